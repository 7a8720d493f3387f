"""Money in the offices' units: amounts are kept in 万元 and large totals read in 亿元."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()

YI_IN_WAN = Decimal(10000)


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _grouped(amount: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{amount.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


@register.filter
def wan(value: object) -> str:
    """An amount in 万元, grouped by thousands, without the unit: 51,600.00."""
    amount = _decimal(value)
    return "" if amount is None else _grouped(amount, 2)


@register.filter
def money_parts(value: object) -> tuple[str, str]:
    """(number, unit) of an amount in 万元, switching to 亿元 from 1亿 up: ("5.16", "亿元")."""
    amount = _decimal(value) or Decimal(0)
    if abs(amount) >= YI_IN_WAN:
        return _grouped(amount / YI_IN_WAN, 2), _("亿元")
    return _grouped(amount, 2), _("万元")


@register.filter
def money(value: object) -> str:
    """An amount in 万元 with its unit, switching to 亿元 from 1亿 up: 5.16亿元, 800.00万元."""
    if _decimal(value) is None:
        return ""
    number, unit = money_parts(value)
    return f"{number}{unit}"
