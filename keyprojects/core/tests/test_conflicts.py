"""The edit-conflict merge compares what a field means, not how it was written."""

from decimal import Decimal

from django import forms
from django.http import QueryDict

from keyprojects.core.conflicts import merge, track_base


class Thresholds(forms.Form):
    points = forms.DecimalField(label="百分点")
    months = forms.IntegerField(label="月数")


def rendered(**initial: object) -> Thresholds:
    form = Thresholds(initial=initial)
    track_base(form)
    return form


def test_the_same_amount_written_otherwise_is_neither_typed_nor_saved_by_another():
    shown = rendered(points=Decimal("10"), months=3)  # a default not yet saved: 10
    data = QueryDict(mutable=True)
    data.update({"points": "10.0", "months": "5", "base": shown.initial["base"]})
    posted = Thresholds(data)
    track_base(posted)
    latest = rendered(points=Decimal("10.0"), months=6)  # as stored: 10.0
    found = merge(posted, latest)
    assert [f.name for f in found.saved] == ["months"]
    assert [(f.name, f.latest_text, f.mine_text) for f in found.typed] == [("months", "6", "5")]


def test_an_amount_is_shown_without_trailing_zeros():
    shown = rendered(points=Decimal("500"), months=3)
    data = QueryDict(mutable=True)
    data.update({"points": "1000", "months": "3", "base": shown.initial["base"]})
    posted = Thresholds(data)
    track_base(posted)
    found = merge(posted, rendered(points=Decimal("800.00"), months=3))
    assert [(f.base_text, f.latest_text, f.mine_text) for f in found.fields] == [("500", "800", "1000")]
