"""The history of a project: who changed what, when, from what, to what, and why."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.functional import Promise

from keyprojects.accounts.models import User

from .models import Project, ProjectEvent, project_field

_extra_fields: dict[str, str | Promise] = {}
_extra_choices: dict[str, dict[str, str | Promise]] = {}


def register_event_field(
    name: str, label: str | Promise, choices: Iterable[tuple[str, str | Promise]] = ()
) -> None:
    """Name a history field that is not a column of Project (e.g. "statistics" for 入库纳统), with the
    labels of the codes its events store, if any."""
    _extra_fields[name] = label
    _extra_choices[name] = dict(choices)


def event_value_label(name: str, value: str) -> str:
    """The readable label of a code stored in an event of a registered field; the value itself otherwise."""
    return str(_extra_choices.get(name, {}).get(value, value))


def event_field_label(name: str) -> str:
    if not name:
        return ""
    if name in _extra_fields:
        return str(_extra_fields[name])
    return str(project_field(name).verbose_name)


def stored_value(value: Any) -> str:
    """How a field value is kept in the history: readable text, stable across renames of codes."""
    if value is None:
        return ""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def project_created_event(*, project: Project, actor: User) -> ProjectEvent:
    return ProjectEvent.objects.create(project=project, kind=ProjectEvent.Kind.CREATED, actor=actor)


def project_fields_changed_events(
    *, project: Project, actor: User, changes: Iterable[tuple[str, Any, Any]], reason: str = ""
) -> list[ProjectEvent]:
    return ProjectEvent.objects.bulk_create(
        ProjectEvent(
            project=project,
            kind=ProjectEvent.Kind.UPDATED,
            field=field,
            old_value=stored_value(old),
            new_value=stored_value(new),
            reason=reason,
            actor=actor,
        )
        for field, old, new in changes
    )


def project_transition_event(
    *, project: Project, actor: User, field: str, old: str, new: str, reason: str
) -> ProjectEvent:
    return ProjectEvent.objects.create(
        project=project,
        kind=ProjectEvent.Kind.TRANSITION,
        field=field,
        old_value=old,
        new_value=new,
        reason=reason,
        actor=actor,
    )
