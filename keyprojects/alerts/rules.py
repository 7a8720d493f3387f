"""The warning rules (红黄绿灯): what is wrong with which project on a given day, and how badly.

Each rule reads every watched project at once (a query or two per rule, whatever the number of
projects and cities) and yields `Finding`s; `services.warnings_refresh` turns them into stored
warnings. The thresholds of each project are its city's `WarningRules` (see `CitySettings`).
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from keyprojects.accounts.city_settings import SettingsBook
from keyprojects.factors.models import FactorDemand
from keyprojects.factors.selectors import UNMET
from keyprojects.inclusion.selectors import included_q, inclusion_due_q
from keyprojects.metrics.models import MetricsSettings, TimeBasis
from keyprojects.metrics.selectors import completed_by_project, planned_by_project, project_time_gap
from keyprojects.progress.models import DispatchRound, MonthlyReport
from keyprojects.projects.models import Pipeline, Project, Stage
from keyprojects.schedule.models import PlanNode, ScheduleSettings
from keyprojects.schedule.selectors import NodeStatus, StatusClock
from keyprojects.schedule.workdays import (
    add_workdays,
    overdue_workdays,
    unknown_calendar_years,
)

from .models import Color, Rule, WarningRules

Book = SettingsBook[WarningRules]

ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Finding:
    """What a rule found: the figures behind it are kept with the warning and its message is
    written from them when read (`messages.warning_message`)."""

    city_id: int
    project_id: int
    rule: str
    subject: str
    color: str
    facts: dict[str, Any]
    since: datetime.date

    @property
    def key(self) -> tuple[int, str, str]:
        return (self.project_id, self.rule, self.subject)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1 → 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:  # a date stored before dates were bounded
        return datetime.date.max if year > datetime.MAXYEAR else datetime.date.min
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def watched_projects(*, today: datetime.date, project_ids: Iterable[int] | None = None) -> QuerySet[Project]:
    """The projects warnings are kept for: this year's list (调度库), neither withdrawn nor on hold."""
    qs = Project.objects.filter(year=today.year, pipeline=Pipeline.SCHEDULED).exclude(
        stage__in=[Stage.WITHDRAWN, Stage.ON_HOLD]
    )
    if project_ids is not None:
        qs = qs.filter(pk__in=list(project_ids))
    return qs.order_by()


def start_delay(projects: QuerySet[Project], book: Book, today: datetime.date) -> Iterator[Finding]:
    """Planned to start by today (this year or earlier) and not started: yellow, red
    `start_red_months` after the planned start."""
    rows = projects.filter(planned_start__lte=today, actual_start__isnull=True).values_list(
        "city_id", "pk", "planned_start"
    )
    for city_id, pk, planned in rows:
        assert planned is not None  # filtered above
        red = today >= add_months(planned, book.of(city_id).start_red_months)
        yield Finding(
            city_id,
            pk,
            Rule.START_DELAY,
            "",
            Color.RED if red else Color.YELLOW,
            {"planned_start": planned, "days": (today - planned).days},
            planned,
        )


def investment_lag(projects: QuerySet[Project], book: Book, today: datetime.date) -> Iterator[Finding]:
    """Started projects with an annual plan whose completed investment lags 序时进度: yellow from
    `investment_yellow_points` behind, red beyond `investment_red_points`."""
    started = projects.filter(actual_start__lte=today, annual_investment__gt=0)
    rows = list(started.values_list("city_id", "pk", "annual_investment"))
    completed = completed_by_project(project_ids=started.values("pk"), as_of=today, year=today.year)
    bases = MetricsSettings.book()
    planned = {}
    if any(row.time_basis == TimeBasis.PLAN for row in bases.rows.values()):
        planned = planned_by_project(project_ids=started.values("pk"), as_of=today, year=today.year)
    for city_id, pk, plan in rows:
        rules, basis = book.of(city_id), bases.of(city_id).time_basis
        done = completed.get(pk) or Decimal(0)
        gap = project_time_gap(
            annual_plan=plan,
            completed=done,
            as_of=today,
            year=today.year,
            basis=basis,
            planned=planned.get(pk),
        )
        if gap is None:
            continue
        behind = -gap
        if behind > rules.investment_red_points:
            color = Color.RED
        elif behind >= rules.investment_yellow_points:
            color = Color.YELLOW
        else:
            continue
        yield Finding(
            city_id,
            pk,
            Rule.INVESTMENT_LAG,
            "",
            color,
            {
                "completed": done.quantize(Decimal("0.01")),
                "annual_plan": plan,
                "points_behind": behind.quantize(Decimal("0.1")),
                "basis": basis,
            },
            today,
        )


def statistics_missing(projects: QuerySet[Project], book: Book, today: datetime.date) -> Iterator[Finding]:
    """Projects that should be in the statistics and are not: yellow `statistics_yellow_months` after
    the start, red after `statistics_red_months`."""
    rows = (
        projects.filter(inclusion_due_q(as_of=today))
        .exclude(included_q(as_of=today))
        .values_list("city_id", "pk", "actual_start")
    )
    for city_id, pk, started in rows:
        assert started is not None  # the inclusion rule needs a start
        rules = book.of(city_id)
        yellow_from = add_months(started, rules.statistics_yellow_months)
        if today < yellow_from:
            continue
        red = today >= add_months(started, rules.statistics_red_months)
        yield Finding(
            city_id,
            pk,
            Rule.STATISTICS_MISSING,
            "",
            Color.RED if red else Color.YELLOW,
            {
                "actual_start": started,
                "months": rules.statistics_red_months if red else rules.statistics_yellow_months,
            },
            yellow_from,
        )


def node_overdue(projects: QuerySet[Project], book: Book, today: datetime.date) -> Iterator[Finding]:
    """Open plan nodes: due soon (by the city's window, see schedule) is yellow; overdue is red once it
    is more than `node_red_workdays` working days late, yellow before."""
    windows = ScheduleSettings.book()
    clocks = {
        city_id: StatusClock.on(today, workdays=row.due_soon_workdays)
        for city_id, row in windows.rows.items()
    }
    default_clock = clocks.get(None) or StatusClock.on(today, workdays=windows.of(None).due_soon_workdays)
    widest = max([default_clock, *clocks.values()], key=lambda clock: clock.due_soon_until)
    nodes = PlanNode.objects.filter(project__in=projects.values("pk")).filter(
        widest.q(NodeStatus.OVERDUE) | widest.q(NodeStatus.DUE_SOON)
    )
    rows = nodes.values_list("city_id", "pk", "project_id", "name", "planned_date", "department__name")
    for city_id, pk, project_id, name, planned, department in rows:
        if planned > clocks.get(city_id, default_clock).due_soon_until:
            continue
        facts = {"node": name, "planned_date": planned, "department": department, "overdue_workdays": None}
        if planned < today:
            red_before = add_workdays(today, -book.of(city_id).node_red_workdays)
            color = Color.RED if planned < red_before else Color.YELLOW
            facts["overdue_workdays"] = overdue_workdays(planned, today)
            # counted Monday to Friday in years without the official calendar: the message says so
            estimated = unknown_calendar_years(
                *(datetime.date(y, 1, 1) for y in range(planned.year, today.year + 1))
            )
            if estimated:
                facts["estimated_years"] = estimated
            since = planned + ONE_DAY
        else:
            color = Color.YELLOW
            since = today
        yield Finding(city_id, project_id, Rule.NODE_OVERDUE, f"node:{pk}", color, facts, since)


def report_missing(projects: QuerySet[Project], book: Book, today: datetime.date) -> Iterator[Finding]:
    """Closed dispatch rounds a project was in without a report for the month: yellow; red when the
    latest `report_red_rounds` rounds in a row are missing."""
    closed = {r.pk: r for r in DispatchRound.objects.filter(closes_on__lt=today)}
    if not closed:
        return
    membership = DispatchRound.projects.through.objects.filter(
        dispatchround_id__in=closed, project_id__in=projects.values("pk")
    ).values_list("project_id", "dispatchround_id")
    rounds_of: dict[int, list[DispatchRound]] = defaultdict(list)
    for project_id, round_id in membership:
        rounds_of[project_id].append(closed[round_id])
    city_of = {project_id: rounds[0].city_id for project_id, rounds in rounds_of.items()}
    reported = set(
        MonthlyReport.objects.filter(project_id__in=rounds_of, month__in={_month(r) for r in closed.values()})
        .values_list("project_id", "month")
        .distinct()
    )
    for project_id, rounds in rounds_of.items():
        rounds.sort(key=lambda r: (r.year, r.month))
        missing = [r for r in rounds if (project_id, _month(r)) not in reported]
        if not missing:
            continue
        streak = 0
        for round_ in reversed(rounds):
            if (project_id, _month(round_)) in reported:
                break
            streak += 1
        yield Finding(
            city_of[project_id],
            project_id,
            Rule.REPORT_MISSING,
            "",
            Color.RED if streak >= book.of(city_of[project_id]).report_red_rounds else Color.YELLOW,
            {"missing_rounds": [r.title for r in missing], "streak": streak},
            missing[0].closes_on + ONE_DAY,
        )


def _month(round_: DispatchRound) -> datetime.date:
    return datetime.date(round_.year, round_.month, 1)


def factor_unmet(projects: QuerySet[Project], book: Book, today: datetime.date) -> Iterator[Finding]:
    """A demand for land, energy, an emission quota, water, power or funds still not met past the date it
    was needed by (要素保障): red, one warning per demand."""
    rows = (
        FactorDemand.objects.filter(UNMET, project__in=projects.values("pk"), needed_by__lt=today)
        .order_by()
        .values_list("city_id", "pk", "project_id", "kind", "amount", "allocated", "needed_by")
    )
    for city_id, pk, project_id, kind, amount, allocated, needed_by in rows:
        facts = {
            "kind": kind,
            "amount": amount,
            "lacking": amount - allocated,
            "needed_by": needed_by,
            "days": (today - needed_by).days,
        }
        yield Finding(
            city_id, project_id, Rule.FACTOR_UNMET, f"demand:{pk}", Color.RED, facts, needed_by + ONE_DAY
        )


RULES = (start_delay, investment_lag, statistics_missing, node_overdue, report_missing, factor_unmet)


def findings(*, today: datetime.date, project_ids: Iterable[int] | None = None) -> list[Finding]:
    """Everything wrong with the watched projects on `today`, by every rule, each by its city's rules."""
    book = WarningRules.book()
    projects = watched_projects(today=today, project_ids=project_ids)
    return [finding for rule in RULES for finding in rule(projects, book, today)]
