"""A warning's message, written when it is read, in the reader's language, from the rule and the
figures the refresh stored with it (`ProjectWarning.facts`)."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from keyprojects.core.text import join_list
from keyprojects.factors.models import FactorKind, amount_text, unit_of
from keyprojects.schedule.workdays import calendar_notice

from .models import Rule

MAX_LISTED_ROUNDS = 3


def _start_delay(f: Mapping[str, Any]) -> str:
    return _("计划%(date)s开工，至今未开工（已过%(days)s天）") % {
        "date": f["planned_start"],
        "days": f["days"],
    }


def _investment_lag(f: Mapping[str, Any]) -> str:
    done, plan = f["completed"], f["annual_plan"]
    return _(
        "本年完成投资%(done)s万元，为年度计划%(plan)s万元的%(rate)s%%，低于序时进度%(points)s个百分点"
    ) % {
        "done": done.quantize(Decimal("0.01")),
        "plan": plan,
        "rate": (done * 100 / plan).quantize(Decimal("0.1")),
        "points": f["points_behind"].quantize(Decimal("0.1")),
    }


def _statistics_missing(f: Mapping[str, Any]) -> str:
    return _("%(date)s开工，已满%(months)s个月仍未入库纳统") % {
        "date": f["actual_start"],
        "months": f["months"],
    }


def _node_overdue(f: Mapping[str, Any]) -> str:
    values = {"node": f["node"], "date": f["planned_date"], "unit": f["department"] or _("未指定")}
    if f["overdue_workdays"] is None:
        return _("节点“%(node)s”计划%(date)s完成，即将到期（责任部门：%(unit)s）") % values
    return _("节点“%(node)s”计划%(date)s完成，已逾期%(days)s个工作日（责任部门：%(unit)s）") % {
        **values,
        "days": f["overdue_workdays"],
    }


def _report_missing(f: Mapping[str, Any]) -> str:
    missing: list[str] = f["missing_rounds"]
    listed = join_list(missing[-MAX_LISTED_ROUNDS:])
    if len(missing) > MAX_LISTED_ROUNDS:
        listed = _("%(rounds)s等%(count)s期") % {"rounds": listed, "count": len(missing)}
    if f["streak"]:
        return _("%(rounds)s未报送月报（连续%(streak)s期未报）") % {"rounds": listed, "streak": f["streak"]}
    return _("%(rounds)s未报送月报") % {"rounds": listed}


def _factor_unmet(f: Mapping[str, Any]) -> str:
    unit = unit_of(f["kind"])
    return _(
        "%(kind)s需求%(amount)s%(unit)s，要求%(date)s前保障，尚缺%(lacking)s%(unit)s（已逾期%(days)s天）"
    ) % {
        "kind": FactorKind(f["kind"]).label,
        "amount": amount_text(f["amount"]),
        "lacking": amount_text(f["lacking"]),
        "unit": unit,
        "date": f["needed_by"],
        "days": f["days"],
    }


MESSAGES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    Rule.START_DELAY: _start_delay,
    Rule.INVESTMENT_LAG: _investment_lag,
    Rule.STATISTICS_MISSING: _statistics_missing,
    Rule.NODE_OVERDUE: _node_overdue,
    Rule.REPORT_MISSING: _report_missing,
    Rule.FACTOR_UNMET: _factor_unmet,
}


def warning_message(rule: str, facts: Mapping[str, Any]) -> str:
    """The reason of a warning of `rule` with these (decoded) figures."""
    return MESSAGES[rule](facts)


def page_calendar_notice(
    facts: Iterable[Any], *days: datetime.date | None, request: HttpRequest | None = None
) -> str:
    """The page's one notice of the years without the official calendar: those the shown warnings (their
    decoded facts) counted working days in, and those of `days`; empty when every year is known. A
    warning's message does not repeat it."""
    years = {year for f in facts if isinstance(f, Mapping) for year in f.get("estimated_years") or () if year}
    return calendar_notice(*days, *(datetime.date(year, 1, 1) for year in years), request=request)
