"""The history of a project: who changed what, when, from what, to what, and why. Values are kept
typed (`keyprojects.core.history`) and turned into text when read."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise

from keyprojects.accounts.models import User
from keyprojects.core.crypto import EncryptedCharField
from keyprojects.core.history import Choices, HistoryText, Typed, decode, encode, field_choices, is_money
from keyprojects.core.text import mask_phone

from .models import BUILT_IN_ENTRIES, DICTIONARY_KINDS, Project, ProjectEvent, project_field
from .vocabulary import Vocabulary

Renderer = Callable[[Any], str]


@dataclass(frozen=True)
class _ExtraField:
    label: str | Promise
    render: Renderer | None


_extra_fields: dict[str, _ExtraField] = {}


def register_event_field(name: str, label: str | Promise, render: Renderer | None = None) -> None:
    """Name a history field that is not a column of Project (e.g. "statistics" for 入库纳统), with
    how its decoded value reads (default: the generic rendering of its type)."""
    _extra_fields[name] = _ExtraField(label, render)


def event_field_label(name: str) -> str:
    if not name:
        return ""
    if name in _extra_fields:
        return str(_extra_fields[name].label)
    try:
        return str(project_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


_BUILT_IN = {
    name: dict(BUILT_IN_ENTRIES[kind].choices) if kind in BUILT_IN_ENTRIES else {}
    for name, kind in DICTIONARY_KINDS.items()
}


def _choices(name: str, labels: Choices | None = None) -> Choices | None:
    """The labels of a field's codes; a dictionary's as the project's city names them (`labels`)."""
    if name in _extra_fields:
        return None
    if name in DICTIONARY_KINDS:
        return labels if labels is not None else _BUILT_IN[name]
    try:
        return field_choices(project_field(name))
    except FieldDoesNotExist:
        return None


def event_value(name: str, value: Any) -> Typed | None:
    """How a value of the history field `name` is stored: personal data (a field encrypted at rest)
    only masked, as the fact of a change."""
    if value and _encrypted(name):
        value = mask_phone(value)
    return encode(value, choices=_choices(name))


def _encrypted(name: str) -> bool:
    try:
        return isinstance(project_field(name), EncryptedCharField)
    except FieldDoesNotExist:
        return False


def dictionary_labels(words: Vocabulary, city_id: int | None) -> dict[str, Choices]:
    """The labels of each dictionary field's codes in a city, for `event_text`."""
    return {name: words.labels(city_id, kind) for name, kind in DICTIONARY_KINDS.items()}


def event_text(
    text: HistoryText, name: str, value: Typed | None, *, dictionary: Mapping[str, Choices] | None = None
) -> str:
    """A stored value of the history field `name` as the reader reads it; codes of the dictionary as the
    project's city names them (`dictionary_labels`)."""
    extra = _extra_fields.get(name)
    if extra is not None and extra.render is not None:
        return extra.render(decode(value))
    try:
        money = is_money(project_field(name))
    except FieldDoesNotExist:
        money = False
    labels = (dictionary or {}).get(name)
    return text.text(value, choices=_choices(name, labels), money=money)


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
            old=event_value(field, old),
            new=event_value(field, new),
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
        old=event_value(field, old),
        new=event_value(field, new),
        reason=reason,
        actor=actor,
    )
