"""The history of settings: every settings update service records each field it changed."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise

from .conflicts import Merge, last_savers, offer
from .history import HistoryText, encode, field_choices, is_money
from .models import SettingsEvent

_labels: dict[tuple[str, str], str | Promise] = {}


def register_settings_field(model: type[models.Model], field: str, label: str | Promise) -> None:
    """Name a settings history field that is not a column of `model` (e.g. a template's nodes)."""
    _labels[model._meta.label_lower, field] = label


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def settings_changed_events(
    *,
    record: models.Model,
    actor: AbstractBaseUser,
    changes: Iterable[tuple[str, Any, Any]],
    reason: str = "",
) -> list[SettingsEvent]:
    """Record the fields of a settings record that changed: (field, old, new) as Python values.
    The events name the record by model and id, so each row of settings (a city's, a template) has
    its own history."""
    model = type(record)
    events = []
    for name, old, new in changes:
        if old == new:
            continue
        field = _field(model, name)
        choices = field_choices(field) if field is not None else None
        events.append(
            SettingsEvent(
                record=model._meta.label_lower,
                object_id=record.pk,
                field=name,
                old=encode(old, choices=choices),
                new=encode(new, choices=choices),
                reason=reason,
                actor_id=actor.pk,
            )
        )
    return SettingsEvent.objects.bulk_create(events)


@dataclass(frozen=True)
class SettingsHistoryRow:
    event: SettingsEvent
    field_label: str
    old: str
    new: str


def settings_history(
    *, record: models.Model | type[models.Model], object_ids: Iterable[int] | None = None, limit: int = 50
) -> list[SettingsHistoryRow]:
    """The changes of a settings record (or of the records of a model with `object_ids`, such as a city's
    dictionary entries), newest first, as text in the reader's language."""
    model = record if isinstance(record, type) else type(record)
    ids = list(object_ids) if object_ids is not None else [record.pk]
    events = list(
        SettingsEvent.objects.filter(record=model._meta.label_lower, object_id__in=ids)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
    text = HistoryText(v for e in events for v in (e.old, e.new))
    rows = []
    for event in events:
        field = _field(model, event.field)
        choices = field_choices(field) if field is not None else None
        label = _labels.get((model._meta.label_lower, event.field)) or (
            field.verbose_name if field is not None else event.field
        )
        rows.append(
            SettingsHistoryRow(
                event,
                str(label),
                text.text(event.old, choices=choices, money=is_money(field)),
                text.text(event.new, choices=choices, money=is_money(field)),
            )
        )
    return rows


def settings_savers(
    *, record: models.Model, fields: Iterable[str]
) -> dict[str, tuple[str, datetime.datetime]]:
    """Who saved each of these fields of a settings record last, and when (`core.conflicts.offer`)."""
    return last_savers(
        SettingsEvent.objects.filter(
            record=record._meta.label_lower, object_id=record.pk, field__in=list(fields)
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def settings_merge(
    posted: Any, latest: Any, *, record: models.Model, recorded_as: Mapping[str, str] | None = None
) -> Merge:
    """The edit-conflict merge of a settings form refused as stale (`core.conflicts.offer`): `latest` is the
    form of `record` as it now is, each field saved since named with who saved it and when. `recorded_as`
    names the history field of a form field recorded under another name (several deadlines in one map)."""
    history = recorded_as or {}

    def savers(names: list[str]) -> dict[str, tuple[str, datetime.datetime]]:
        found = settings_savers(record=record, fields={history.get(n, n) for n in names})
        return {n: found[history.get(n, n)] for n in names if history.get(n, n) in found}

    return offer(posted, latest, savers)
