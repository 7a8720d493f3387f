"""The audit trail as its reader reads it: the kind of object and its fields by their names in the reader's
language, the object by a useful name, the values as text. Display only: the records keep what was written
(the chain hashes it), and nothing here reads the database."""

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

from keyprojects.core.text import join_list, labelled

from .models import AuditRecord


@dataclass(frozen=True)
class AuditRow:
    record: AuditRecord
    object: str  # the object's name: its own text when it has one, else its kind and number
    object_kind: str  # the kind and number beside a name of its own; empty when `object` says them
    changes: str


@cache
def _model(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label) if "." in label else None
    except LookupError:  # a model since removed: its records stay
        return None


def _named(model: type[models.Model]) -> bool:
    """Whether the model's rows have a text of their own, not Django's "X object (1)"."""
    return model.__str__ is not models.Model.__str__


def model_name(label: str) -> str:
    model = _model(label)
    return str(model._meta.verbose_name) if model is not None else label


def _numbered(label: str, pk: object) -> str:
    return f"{model_name(label)} #{pk}" if pk not in (None, "") else model_name(label)


def _field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, models.Field) else None


def _field_label(field: models.Field | None, name: str) -> str:
    if field is None:
        return name
    if field.related_model is not None and field.verbose_name == field.name.replace("_", " "):
        return str(field.related_model._meta.verbose_name)  # a relation left unnamed: what it points to
    return str(field.verbose_name)


def value_text(typed: Any, field: models.Field | None = None) -> str:
    """A typed value (`core.history`) as plain text, without reading the rows it names."""
    if typed is None:
        return "—"
    kind, value = typed.get("t"), typed.get("v")
    if kind == "ref":
        return typed.get("name") or _numbered(typed.get("m", ""), value)
    if kind == "choice" and field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if kind == "bool":
        return _("是") if value else _("否")
    if kind == "list":
        return join_list(value_text(item, field) for item in value)
    if kind == "map":
        return _("；").join(labelled(key, value_text(item)) for key, item in value.items())
    return str(value)


def changes_text(record: AuditRecord) -> str:
    """ "field：old → new" for each field of a record (one side only for a creation or a deletion), in the
    model's order of fields."""
    old, new = record.old or {}, record.new or {}
    if not isinstance(old, dict) or not isinstance(new, dict):
        return ""
    model = _model(record.object_model)
    order = {field.name: i for i, field in enumerate(model._meta.get_fields())} if model is not None else {}
    parts = []
    for name in sorted(
        {*old, *new}, key=lambda name: (order.get(name, len(order)), name)
    ):  # jsonb keeps no order
        field = _field(model, name)
        if name in old and name in new:
            text = f"{value_text(old[name], field)} → {value_text(new[name], field)}"
        elif name in new:
            text = value_text(new[name], field)
        else:
            text = f"{value_text(old[name], field)} →"
        parts.append(labelled(_field_label(field, name), text))
    return _("；").join(parts)


def audit_row(record: AuditRecord) -> AuditRow:
    numbered = _numbered(record.object_model, record.object_pk) if record.object_model else ""
    model = _model(record.object_model)
    if model is not None and not _named(model):
        name, kind = numbered, ""
    else:
        name, kind = record.object_text or numbered, numbered if record.object_text else ""
    return AuditRow(record=record, object=name, object_kind=kind, changes=changes_text(record))
