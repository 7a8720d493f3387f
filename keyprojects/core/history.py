"""Typed values of the history: how every app's `events.py` keeps an old or new value, and how a
reader turns it back into text in the reader's language.

A stored value is JSON with an explicit type, or null for "no value":

    {"t": "text", "v": "…"}                      free text, kept as typed
    {"t": "choice", "v": "provincial"}            a choice code (its label is read from the field)
    {"t": "int", "v": 2026}  {"t": "bool", "v": true}
    {"t": "decimal", "v": "123.45"}               exact, as a string
    {"t": "date", "v": "2026-03-01"}              ISO date
    {"t": "datetime", "v": "2026-03-01T09:30:00+08:00"}
    {"t": "ref", "m": "accounts.region", "v": 5, "code": "371502", "name": "东昌府区"}
                                                  a row by id, with its code and name when written
    {"t": "list", "v": [<value>, …]}   {"t": "map", "v": {"key": <value>, …}}

Text is produced when read (`HistoryText`): choice labels in the active language, a referenced
row's current name (the stored name when the row is gone), amounts with the `money` filters.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext

from keyprojects.core.templatetags.money import wan
from keyprojects.core.text import join_list

Typed = dict[str, Any]
Choices = Mapping[str, str | Promise]


@dataclass(frozen=True)
class Ref:
    """A decoded reference: the row's model label and id, with its code and name when written."""

    model: str
    pk: int
    code: str = ""
    name: str = ""


def encode(value: Any, *, choices: Choices | None = None) -> Typed | None:
    """The typed form of a Python value; strings become choice codes when `choices` is given."""
    if value is None:
        return None
    if isinstance(value, models.Model):
        ref: Typed = {"t": "ref", "m": value._meta.label_lower, "v": value.pk, "name": str(value)}
        code = getattr(value, "code", None)
        if code:
            ref["code"] = str(code)
        return ref
    if isinstance(value, bool):
        return {"t": "bool", "v": value}
    if isinstance(value, int):
        return {"t": "int", "v": value}
    if isinstance(value, Decimal):
        return {"t": "decimal", "v": format(value, "f")}
    if isinstance(value, datetime.datetime):
        return {"t": "datetime", "v": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"t": "date", "v": value.isoformat()}
    if isinstance(value, Mapping):
        return {"t": "map", "v": {str(k): encode(v, choices=choices) for k, v in value.items()}}
    if isinstance(value, list | tuple):
        return {"t": "list", "v": [encode(v, choices=choices) for v in value]}
    return {"t": "choice" if choices is not None else "text", "v": str(value)}


def decode(data: Typed | None) -> Any:
    """The Python value of a typed value (a `Ref` for a reference, a dict for a map)."""
    if data is None:
        return None
    kind, value = data["t"], data["v"]
    if kind == "decimal":
        return Decimal(value)
    if kind == "date":
        return datetime.date.fromisoformat(value)
    if kind == "datetime":
        return datetime.datetime.fromisoformat(value)
    if kind == "ref":
        return Ref(data["m"], value, data.get("code", ""), data.get("name", ""))
    if kind == "list":
        return [decode(v) for v in value]
    if kind == "map":
        return {k: decode(v) for k, v in value.items()}
    return value


def field_choices(field: models.Field | None) -> Choices | None:
    """The (code → label) choices of a model field; None for a field without (or a relation)."""
    return dict(field.flatchoices) if getattr(field, "choices", None) else None  # type: ignore[union-attr]


def is_money(field: models.Field | None) -> bool:
    """Whether a field holds an amount in 万元 (made by `projects.models.money_field`: 14 digits, 2 places)."""
    return isinstance(field, models.DecimalField) and (field.max_digits, field.decimal_places) == (14, 2)


def _refs(data: Typed | None) -> Iterable[Typed]:
    if data is None:
        return
    if data["t"] == "ref":
        yield data
    elif data["t"] == "list":
        for item in data["v"]:
            yield from _refs(item)
    elif data["t"] == "map":
        for item in data["v"].values():
            yield from _refs(item)


class HistoryText:
    """Renders typed values as text for one reader; the referenced rows' current names are read in
    one query per model for all the values given to the constructor."""

    def __init__(self, values: Iterable[Typed | None]) -> None:
        wanted: dict[str, set[int]] = defaultdict(set)
        for value in values:
            for ref in _refs(value):
                wanted[ref["m"]].add(ref["v"])
        self._names: dict[tuple[str, int], str] = {}
        for label, ids in wanted.items():
            model = apps.get_model(label)
            for row in model.objects.filter(pk__in=ids):
                self._names[label, row.pk] = str(row)

    def text(self, data: Typed | None, *, choices: Choices | None = None, money: bool = False) -> str:
        if data is None:
            return ""
        kind, value = data["t"], data["v"]
        if kind == "choice" and choices is not None:
            return str(choices.get(value, value))
        if kind == "decimal":
            return wan(value) if money else format(Decimal(value).normalize(), "f")
        if kind == "ref":
            return self._names.get((data["m"], value)) or data.get("name") or data.get("code") or str(value)
        if kind == "list":
            return join_list(self.text(v, choices=choices, money=money) for v in value)
        if kind == "map":
            return " ".join(self.text(v, choices=choices, money=money) for v in value.values())
        if kind == "datetime":
            return date_format(timezone.localtime(datetime.datetime.fromisoformat(value)), "Y-m-d H:i")
        if kind == "bool":
            return gettext("是") if value else gettext("否")
        return str(value)


def ref_by_name(model: type[models.Model], name: str) -> Typed | None:
    """A reference to the one row of `model` named `name` (None when no row or several match)."""
    rows = list(
        model._default_manager.filter(name=name).values("pk", *(["code"] if _has(model, "code") else []))[:2]
    )
    if len(rows) != 1:
        return None
    ref: Typed = {"t": "ref", "m": model._meta.label_lower, "v": rows[0]["pk"], "name": name}
    if rows[0].get("code"):
        ref["code"] = rows[0]["code"]
    return ref


def _has(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def typed_from_text(text: str, *, field: models.Field | None, choices: Choices | None = None) -> Typed | None:
    """A value written by the former text history, typed by the field it belongs to: a decimal, a
    date, an integer, a choice code, a related row resolved by its name; text when it cannot be
    read as its field's type (e.g. a renamed row's old name). Empty text is no value. Works with
    the historical models of a migration."""
    if text == "":
        return None
    if isinstance(field, models.ForeignKey):
        return ref_by_name(field.related_model, text) or {"t": "text", "v": text}
    try:
        if isinstance(field, models.DecimalField):
            return {"t": "decimal", "v": format(Decimal(text), "f")}
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return {"t": "date", "v": datetime.date.fromisoformat(text).isoformat()}
        if isinstance(field, models.IntegerField):
            return {"t": "int", "v": int(text)}
    except (ValueError, ArithmeticError):
        return {"t": "text", "v": text}
    if choices is None and field is not None:
        choices = field_choices(field)
    if choices is not None and text in choices:
        return {"t": "choice", "v": text}
    return {"t": "text", "v": text}
