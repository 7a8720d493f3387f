"""The former project history kept its values as display text; `project_event_value` types one of
them (migration 0005 converts every stored event with it)."""

import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist

from keyprojects.core.history import Typed, typed_from_text

from .models import FundingSource

DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
STATISTICS_CODE = re.compile(r"(?:统计库编码|statistics code) (.+)$")
MONTHLY_PLAN = re.compile(r"^(\d{4}): (.*)$")
MONTH_AMOUNT = re.compile(r"(\d{1,2})月(-?[\d.]+)|month (\d{1,2}): (-?[\d.]+)")


def _text(text: str) -> Typed:
    return {"t": "text", "v": text}


def _statistics(text: str) -> Typed | None:
    """ "入库纳统 2026-03-01,统计库编码 ST-9" (or its English) → the inclusion's date and code."""
    found = DATE.search(text)
    if found is None:
        return None  # "未入库纳统"
    code = STATISTICS_CODE.search(text)
    return {
        "t": "map",
        "v": {
            "included_on": {"t": "date", "v": found.group()},
            "statistics_code": _text(code.group(1).strip()) if code else _text(""),
        },
    }


def _monthly_plan(text: str) -> Typed:
    """ "2026: 1月500,2月1500" (or its English) → the year and each month's amount."""
    found = MONTHLY_PLAN.match(text)
    if found is None:
        return _text(text)
    plan = {
        (m.group(1) or m.group(3)): {"t": "decimal", "v": m.group(2) or m.group(4)}
        for m in MONTH_AMOUNT.finditer(found.group(2))
    }
    return {
        "t": "map",
        "v": {"year": {"t": "int", "v": int(found.group(1))}, "plan": {"t": "map", "v": plan}},
    }


def project_event_value(project_model: Any, field: str, text: str) -> Typed | None:
    """One old text value of the history field `field`, typed; `project_model` is Project (or its
    historical model in a migration). Names of regions, owners and chains are resolved to the row
    they still match; what cannot be read stays text."""
    if text == "":
        return None
    if field == "statistics":
        return _statistics(text)
    if field == "monthly_plan":
        return _monthly_plan(text)
    if field == "funding_sources":
        codes = FundingSource.values
        return {
            "t": "list",
            "v": [{"t": "choice" if c in codes else "text", "v": c} for c in text.split(",")],
        }
    try:
        model_field = project_model._meta.get_field(field)
    except FieldDoesNotExist:
        return _text(text)
    return typed_from_text(text, field=model_field)
