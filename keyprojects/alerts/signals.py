"""Refresh a project's warnings after any change that can turn its light (once the change commits)."""

from typing import Any

from django.db import transaction

from .tasks import refresh_project_warnings


def enqueue_refresh(project_id: int | None) -> None:
    if project_id is not None:
        transaction.on_commit(lambda: refresh_project_warnings.enqueue(project_id))


def project_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    enqueue_refresh(instance.pk)


def project_part_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    enqueue_refresh(instance.project_id)
