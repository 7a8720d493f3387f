"""Reads of blockers, scoped to what the user may see: the ledger (台账) with its filters, a department's
inbox sorted by urgency, the figures, and the meetings' decisions."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from keyprojects.accounts.models import Organization, Region, User
from keyprojects.projects.selectors import project_search_q
from keyprojects.schedule.workdays import add_workdays, workdays_between

from . import permissions
from .models import OPEN, Blocker, Category, Decision, DecisionStatus, Rating, Status


@dataclass(frozen=True)
class LedgerFilter:
    project: int | None = None
    status: str | None = None
    category: str | None = None
    department: int | None = None
    region: str | None = None  # a region code: the region and every region below it
    level: str | None = None
    overdue: bool | None = None
    q: str | None = None  # the search box (`project_search_q`)


def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=OPEN, deadline__lt=today)


def blocker_list(*, user: User, filters: LedgerFilter, today: datetime.date) -> QuerySet[Blocker]:
    qs = permissions.visible_blockers(user)
    if filters.project is not None:
        qs = qs.filter(project_id=filters.project)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.department is not None:
        qs = qs.filter(department_id=filters.department)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        qs = qs.filter(project__region__path__startswith=region.path) if region else qs.none()
    if filters.overdue is True:
        qs = qs.filter(overdue_q(today))
    elif filters.overdue is False:
        qs = qs.exclude(overdue_q(today))
    qs = qs.filter(project_search_q(filters.q, field="project"))
    return qs.select_related("project", "project__region", "department").order_by("-raised_at", "-id")


def inbox(*, user: User, today: datetime.date, due_soon_workdays: int) -> QuerySet[Blocker]:
    """The open blockers assigned to the user's department (responsible or co-handling), the most urgent
    first: overdue, then due soon (within `due_soon_workdays`, the city's setting), then new (not answered
    yet), then the rest by deadline.

    Read from the city's blockers by department, without the visibility filter of the ledger: a blocker
    assigned to a department makes its project one the department sees (the `assigned` scope's source in
    `apps.py`), so that filter would only add a scan of the department's projects to every inbox."""
    org_id = user.organization_id or 0
    due_soon_by = add_workdays(today, due_soon_workdays)
    co_handled = Blocker.co_departments.through.objects.filter(organization_id=org_id).values("blocker_id")
    mine = Q(department_id=org_id) | Q(pk__in=co_handled)
    return (
        Blocker.objects.filter(mine, city_id=user.city_id, status__in=OPEN)
        .annotate(
            urgency=Case(
                When(deadline__lt=today, then=Value(0)),
                When(deadline__lte=due_soon_by, then=Value(1)),
                When(status=Status.ASSIGNED, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("urgency", "deadline", "id")
    )


def open_decisions(*, user: User) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(
            city_id=user.city_id, department_id=user.organization_id, status=DecisionStatus.OPEN
        )
        .select_related("meeting", "blocker")
        .order_by("deadline", "id")
    )


def urgency(
    *, status: str, deadline: datetime.date | None, today: datetime.date, due_soon_workdays: int
) -> str:
    """overdue | due_soon | new | "" for a blocker in `status` due on `deadline` (only an open one is urgent);
    the same order as the inbox's in SQL."""
    if status not in OPEN or deadline is None:
        return ""
    if deadline < today:
        return "overdue"
    if workdays_between(today, deadline) <= due_soon_workdays:
        return "due_soon"
    return "new" if status == Status.ASSIGNED else ""


@dataclass
class Figures:
    """Raised, resolved, resolved on time, the average working days to resolve, and satisfaction (the
    rated ones that were 满意 or 基本满意)."""

    name: str
    raised: int = 0
    resolved: int = 0
    on_time: int = 0
    workdays: list[int] = field(default_factory=list)
    rated: int = 0
    satisfied: int = 0

    @property
    def average_workdays(self) -> str:
        return f"{sum(self.workdays) / len(self.workdays):.1f}" if self.workdays else "—"

    @property
    def satisfaction(self) -> str:
        return f"{self.satisfied * 100 / self.rated:.1f}%" if self.rated else "—"

    @property
    def on_time_rate(self) -> str:
        return f"{self.on_time * 100 / self.resolved:.1f}%" if self.resolved else "—"


def figures(*, user: User) -> dict[str, list[Figures]]:
    """The figures per department, per county and per category, from the blockers the user sees."""
    rows = list(
        permissions.visible_blockers(user).values(
            "pk",
            "category",
            "department_id",
            "project__region_id",
            "status",
            "assigned_on",
            "deadline",
            "resolved_on",
            "rating",
        )
    )
    departments = dict(
        Organization.objects.filter(pk__in={r["department_id"] for r in rows}).values_list("pk", "name")
    )
    regions = dict(
        Region.objects.filter(pk__in={r["project__region_id"] for r in rows}).values_list("pk", "name")
    )
    categories = dict(Category.choices)
    tables: dict[str, dict[Any, Figures]] = {"department": {}, "county": {}, "category": {}}
    for row in rows:
        keys = {
            "department": (row["department_id"], departments.get(row["department_id"], "—")),
            "county": (row["project__region_id"], regions.get(row["project__region_id"], "—")),
            "category": (row["category"], str(categories.get(row["category"], row["category"]))),
        }
        for table, (key, name) in keys.items():
            if table == "department" and key is None:
                continue
            fig = tables[table].setdefault(key, Figures(name))
            _count(fig, row)
    return {name: sorted(table.values(), key=lambda f: (-f.raised, f.name)) for name, table in tables.items()}


def _count(fig: Figures, row: Any) -> None:
    fig.raised += 1
    done = row["resolved_on"]
    if done is not None and row["status"] in (Status.RESOLVED, Status.CLOSED):
        fig.resolved += 1
        if row["deadline"] is not None and done <= row["deadline"]:
            fig.on_time += 1
        if row["assigned_on"] is not None:
            fig.workdays.append(max(workdays_between(row["assigned_on"], done), 0))
    if row["rating"]:
        fig.rated += 1
        fig.satisfied += row["rating"] in (Rating.SATISFIED, Rating.BASIC)


def status_counts(qs: QuerySet[Blocker]) -> dict[str, int]:
    return dict(qs.order_by().values_list("status").annotate(n=Count("pk")))
