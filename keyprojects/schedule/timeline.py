"""The plan as a Gantt-like chart: per node a planned bar and an actual bar on one time axis, and a today
line. Positions are percentages of the axis, so the page draws it with plain HTML and CSS."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from keyprojects.core.inputs import clamp_date

from .models import PlanNode
from .selectors import STATUS_COLORS, NodeStatus, StatusClock

PADDING = timedelta(days=15)
TICK_STEPS = (1, 2, 3, 6, 12)  # months between axis labels
MAX_TICKS = 12


@dataclass(frozen=True)
class Bar:
    left: float
    width: float
    start: date
    end: date


@dataclass(frozen=True)
class Row:
    node: PlanNode
    status: NodeStatus
    color: str
    planned: Bar
    actual: Bar | None
    overdue: Bar | None


@dataclass(frozen=True)
class Tick:
    left: float
    label: str


@dataclass(frozen=True)
class Timeline:
    rows: list[Row]
    ticks: list[Tick]
    today_left: float | None


def _months(start: date, end: date, step: int) -> list[date]:
    month = date(start.year, start.month, 1)
    days = []
    while month <= end:
        if month >= start:
            days.append(month)
        index = month.month - 1 + step
        month = date(month.year + index // 12, index % 12 + 1, 1)
    return days


def plan_timeline(nodes: Sequence[PlanNode], clock: StatusClock) -> Timeline | None:
    """The chart of a plan: a node's planned bar runs from the previous node's planned date to its
    own; its actual bar from the previous node's completion to its own; an open node past its date
    gets an overdue bar up to today."""
    if not nodes:
        return None
    # Dates stored before dates were bounded are drawn at the edge of 1900–2100.
    days = [clamp_date(d) for n in nodes for d in (n.planned_date, n.actual_date) if d is not None]
    days.append(clock.today)
    first, last = min(days) - PADDING, max(days) + PADDING
    span = (last - first).days

    def at(day: date) -> float:
        return round((day - first).days * 100 / span, 2)

    def bar(start: date, end: date) -> Bar:
        start, end = clamp_date(min(start, end)), clamp_date(max(start, end))
        return Bar(at(start), max(round(at(end) - at(start), 2), 0.6), start, end)

    rows = []
    previous_planned = previous_actual = None
    for node in nodes:
        status = clock.status(node)
        planned_from = previous_planned or clamp_date(node.planned_date) - timedelta(days=30)
        actual = None
        if node.actual_date is not None:
            actual = bar(previous_actual or planned_from, node.actual_date)
            previous_actual = node.actual_date
        overdue = bar(node.planned_date, clock.today) if status == NodeStatus.OVERDUE else None
        rows.append(
            Row(node, status, STATUS_COLORS[status], bar(planned_from, node.planned_date), actual, overdue)
        )
        previous_planned = node.planned_date
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in TICK_STEPS if months / s <= MAX_TICKS), 12 * (months // (12 * MAX_TICKS) + 1))
    ticks = [
        Tick(at(day), f"{day:%Y}" if step >= 12 else f"{day:%Y-%m}") for day in _months(first, last, step)
    ]
    return Timeline(rows, ticks, at(clock.today))
