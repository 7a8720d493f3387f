"""The typed history codec: every kind of value comes back as it went in, and reads in the reader's
language (a referenced row by its current name, its stored name once it is gone)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from keyprojects.accounts.tests.factories import RegionFactory
from keyprojects.core.history import HistoryText, Ref, decode, encode


def test_values_come_back_as_they_went_in():
    values = [
        "土地挂牌延后",
        2026,
        True,
        Decimal("12500.50"),
        datetime.date(2026, 3, 1),
        datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC),
        ["a", Decimal("1")],
        {"included_on": datetime.date(2026, 3, 1), "code": "ST-9"},
        None,
    ]
    for value in values:
        assert decode(encode(value)) == value
    assert encode(Decimal("12500.50")) == {"t": "decimal", "v": "12500.50"}
    assert encode("provincial", choices={"provincial": "省重点"}) == {"t": "choice", "v": "provincial"}


@pytest.mark.django_db
def test_text_follows_the_reader_and_the_rows():
    region = RegionFactory(code="371503", name="茌平县")
    stored = encode(region)
    assert decode(stored) == Ref("accounts.region", region.pk, "371503", "茌平县")
    region.name = "茌平区"
    region.save()
    assert HistoryText([stored]).text(stored) == "茌平区"
    region.delete()
    assert HistoryText([stored]).text(stored) == "茌平县"
    with translation.override("en"):
        text = HistoryText([])
        assert text.text(encode(True)) == "Yes"
        assert text.text(encode(["a", "b"])) == "a, b"
        assert text.text(encode(Decimal("51600")), money=True) == "51,600.00"
        assert (
            text.text(encode("provincial", choices={"provincial": "P"}), choices={"provincial": "P"}) == "P"
        )
