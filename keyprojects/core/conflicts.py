"""An edit that lost the race to another save, merged field by field.

An edit form carries `base` (hidden): its fields' values as it was rendered. When the service refuses the
save as stale (`StaleVersionError`), `merge(posted, latest)` compares three states of every field: what the
form started from (`base`), what the user sent, and the record as it now is (`latest`, the form rendered
afresh). The page then shows the latest version in the form, what others changed since (`Merge.saved`),
and each value the user typed (`Merge.typed`) with a box to keep it; sent again, `reapplied(data)` puts the
kept values on top of the latest version (`core/_merge.html` renders it inside the form)."""

import datetime
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext as _

BASE = "base"
KEEP = "keep"
MINE = "mine-"
_SKIPPED = {BASE, "version", "token"}


def _plain(value: Any) -> list[str]:
    """A field's value as the strings a browser sends back."""
    if value is None or value is False:
        return []
    if value is True:
        return ["on"]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    text = str(value)
    return [text] if text else []


def _edited(form: forms.BaseForm) -> dict[str, forms.Field]:
    """The fields a merge compares: a file is chosen again, never carried over."""
    return {
        n: f
        for n, f in form.fields.items()
        if n not in _SKIPPED and not f.widget.is_hidden and not isinstance(f, forms.FileField)
    }


def track_base(form: forms.BaseForm) -> None:
    """Give an edit form its `base` field; rendered unbound, it holds the values the form shows."""
    form.fields[BASE] = forms.CharField(widget=forms.HiddenInput, required=False)
    if not form.is_bound:
        form.initial[BASE] = json.dumps(
            {name: _plain(form[name].value()) for name in _edited(form)}, ensure_ascii=False
        )


def _sent(form: forms.BaseForm, name: str) -> list[str]:
    field = form.fields[name]
    return _plain(field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name)))


def _same(field: forms.Field, a: list[str], b: list[str]) -> bool:
    """Whether two sent values mean the same to the field (10 and 10.0 alike)."""
    if a == b:
        return True
    if len(a) != 1 or len(b) != 1:
        return False
    try:
        return bool(field.to_python(a[0]) == field.to_python(b[0]))
    except ValidationError:
        return False


def _number(value: str) -> str:
    """An amount as written without trailing zeros (800.00 as 800), as the services' messages write it."""
    try:
        return format(Decimal(value).normalize(), "f")
    except InvalidOperation:
        return value


def _text(field: forms.Field, values: Sequence[str]) -> str:
    if not values:
        return "—"
    if isinstance(field, forms.BooleanField):
        return _("是")
    if isinstance(field, forms.DecimalField):
        values = [_number(v) for v in values]
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(value): str(label) for value, label in choices}
        return _("、").join(labels.get(v, v) for v in values)
    return _("、").join(values)


@dataclass(frozen=True)
class MergeField:
    name: str
    label: str
    mine: list[str]  # what the user sent, as sent
    mine_text: str
    base_text: str
    latest_text: str
    typed: bool  # the user changed it from what the form showed
    saved: bool  # someone else changed it since
    by: str = ""  # who saved it last, and when
    at: datetime.datetime | None = None


@dataclass(frozen=True)
class Merge:
    fields: list[MergeField]
    note: str = ""  # why the save was refused, as the service said it

    @property
    def typed(self) -> list[MergeField]:
        return [f for f in self.fields if f.typed]

    @property
    def saved(self) -> list[MergeField]:
        return [f for f in self.fields if f.saved]

    def saved_by(self, authors: Mapping[str, tuple[str, datetime.datetime]]) -> "Merge":
        """The same, each field saved since named with who saved it last and when (by field name)."""
        return replace(
            self,
            fields=[
                replace(f, by=authors[f.name][0], at=authors[f.name][1])
                if f.saved and f.name in authors
                else f
                for f in self.fields
            ],
        )


def merge(posted: forms.BaseForm, latest: forms.BaseForm) -> Merge:
    """What the user typed and what others saved since `posted` was rendered; `latest` is the form of the
    record as it now is (unbound)."""
    try:
        base = json.loads(posted.data.get(BASE) or "{}")
    except ValueError:
        base = {}
    rows = []
    for name, field in _edited(latest).items():
        if name not in posted.fields:
            continue
        now = _plain(latest[name].value())
        mine = _sent(posted, name)
        started = base.get(name) if isinstance(base.get(name), list) else None
        # a form sent without its base: all it differs in
        typed = not _same(field, mine, now) and (started is None or not _same(field, mine, started))
        saved = started is not None and not _same(field, now, started)
        if typed or saved:
            rows.append(
                MergeField(
                    name=name,
                    label=str(field.label),
                    mine=mine,
                    mine_text=_text(field, mine),
                    base_text=_text(field, started or []),
                    latest_text=_text(field, now),
                    typed=typed,
                    saved=saved,
                )
            )
    return Merge(rows)


Savers = Callable[[list[str]], Mapping[str, tuple[str, datetime.datetime]]]


def last_savers(events: Iterable[Any]) -> dict[str, tuple[str, datetime.datetime]]:
    """Who saved each field last, and when, from its history rows (each with `field`, `actor` and
    `created_at`), newest first."""
    savers: dict[str, tuple[str, datetime.datetime]] = {}
    for event in events:
        if event.field not in savers:
            savers[event.field] = (event.actor.display_name if event.actor else "", event.created_at)
    return savers


def offer(posted: forms.BaseForm, latest: forms.BaseForm, savers: Savers) -> Merge:
    """`merge(posted, latest)`, each field saved since named by `savers` (field names → who saved each
    last, and when)."""
    found = merge(posted, latest)
    return found.saved_by(savers([f.name for f in found.saved]) if found.saved else {})


def reapplied(data: QueryDict) -> QueryDict:
    """The data sent from a merge, each kept field's value replaced by what the user had typed."""
    kept = data.getlist(KEEP)
    if not kept:
        return data
    data = data.copy()
    for name in kept:
        data.setlist(name, data.getlist(MINE + name))
    return data
