"""What this app tells the others: a project's record was saved (`core.events.ProjectChanged`).

Published from the model's own save signal rather than from each service, so that every way a record
is written (a page, the API, a change request, an import, the demo) is heard alike.
"""

from typing import Any

from keyprojects.core.events import ProjectChanged, publish

from .models import Project


def project_saved(
    sender: type[Project], instance: Project, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw:
        return
    fields = frozenset(update_fields) if update_fields is not None else None
    publish(ProjectChanged(project_id=instance.pk, city_id=instance.city_id, fields=fields))
