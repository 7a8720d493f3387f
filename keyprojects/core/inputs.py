"""What the platform accepts from outside, stated once: ids fit a signed 64-bit column, dates lie in
1900–2100, list years in 2000–2100, and text holds no NUL character (PostgreSQL refuses it). Forms
(`core/forms.py`), the API's types and parser (`core/api.py`), the URL converter (`core/converters.py`)
and the NUL guard (`core/middleware.py`) all check against these bounds."""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

ID_MAX = 2**63 - 1
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2100, 12, 31)
YEAR_MIN = 2000
YEAR_MAX = 2100

DATE_RANGE_MESSAGE = gettext_lazy("日期须在 %(min)s 至 %(max)s 之间")
NUL_MESSAGE = gettext_lazy("不能包含空字符（\\0）")


def date_range_message() -> str:
    return str(DATE_RANGE_MESSAGE) % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}


def date_in_range(value: datetime.date | None) -> bool:
    return value is None or DATE_MIN <= value <= DATE_MAX


def clamp_date(value: datetime.date) -> datetime.date:
    """The nearest date of 1900–2100, for drawing or counting with a date stored before the bounds."""
    return min(max(value, DATE_MIN), DATE_MAX)


def validate_date_range(value: datetime.date | None) -> None:
    """A Django validator: refuse dates outside 1900–2100."""
    if not date_in_range(value):
        raise ValidationError(date_range_message(), code="date_range")


def has_nul(value: Any) -> bool:
    return isinstance(value, str) and "\x00" in value


def nul_fields(data: Any, prefix: str = "") -> list[str]:
    """The dotted names of the values (in a JSON document or a query dict) that hold a NUL character,
    keys included; list items keep their parent's name."""
    found: list[str] = []
    if isinstance(data, Mapping):
        items: Iterable[tuple[Any, Any]] = (
            ((key, value) for key in data for value in data.getlist(key))
            if hasattr(data, "getlist")
            else data.items()
        )
        for key, value in items:
            name = f"{prefix}.{key}" if prefix else str(key)
            if has_nul(key) or has_nul(value):
                found.append(name.replace("\x00", "\\0"))
            elif isinstance(value, Mapping | list):
                found.extend(nul_fields(value, name))
    elif isinstance(data, list):
        for item in data:
            if has_nul(item):
                found.append(prefix or "__all__")
            elif isinstance(item, Mapping | list):
                found.extend(nul_fields(item, prefix))
    elif has_nul(data):
        found.append(prefix or "__all__")
    return list(dict.fromkeys(found))
