"""Rates as offices write them, the same everywhere (pages, sheets, briefings): 71.8%, to one decimal
rounded half up, and "—" when there is nothing to divide by."""

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def percent(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"
