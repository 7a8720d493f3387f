"""The war room (挂图作战): one read of everything a dashboard shows, for a slice of the user's projects
on an as-of date, from the lifecycle's own selectors.

The headline rates and the ranking come from `metrics` (the three rates, their numerators and
denominators, 序时进度); the warnings from `alerts`, the blockers from `blockers`, the factor
shortfalls from `factors`; the latest batch from `batches`. Every figure is a grouped query over the
slice (the projects `metrics.list_projects` counts), never a query per project or per county, so the
dashboard is a fixed number of queries whatever the size of the city.

The city office and the leaders see their city by county; a county its own projects (a county's
dashboard is the city's with `region`); the province office compares its cities.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from keyprojects.accounts.access import may, sees_whole_tenant
from keyprojects.accounts.models import Organization, Region, User
from keyprojects.alerts.models import Color, ProjectWarning
from keyprojects.alerts.selectors import WarningRow, warning_list, warning_rows, worst_color
from keyprojects.batches.selectors import BatchSummary, latest_batch
from keyprojects.blockers.models import OPEN, Blocker
from keyprojects.blockers.models import Status as BlockerStatus
from keyprojects.blockers.selectors import LedgerFilter, blocker_list, overdue_q
from keyprojects.factors.selectors import WAITING_VALUES, KindFigures, Waiting, unmet_demands, waiting_of
from keyprojects.metrics.models import MonthlyPlan
from keyprojects.metrics.selectors import (
    Metrics,
    MetricsQuery,
    MetricsTable,
    list_projects,
    metrics_by_city,
    metrics_by_county,
)
from keyprojects.progress.in_force import figures_in_force
from keyprojects.projects.models import Project
from keyprojects.projects.selectors import ProjectFilters

ZERO = Decimal(0)
CENTS = Decimal("0.01")
ROWS_SHOWN = 10  # rows of each list (warnings, blockers, factor shortfalls) on the dashboard
MAX_POINTS = 2000  # projects drawn on the map, the largest first
OPEN_BLOCKER = frozenset(
    {BlockerStatus.RAISED, BlockerStatus.ACCEPTED, BlockerStatus.ASSIGNED, BlockerStatus.IN_PROGRESS}
)


class Level:
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


@dataclass(frozen=True)
class Scope:
    """Whose dashboard: the province's, a city's or a county's; `city_code`/`city_name` name the city
    whose map is drawn (empty for the province)."""

    level: str
    code: str
    name: str
    city_code: str
    city_name: str


@dataclass(frozen=True)
class RegionRow:
    """One county (or, for the province, one city) of the ranking and the map."""

    code: str
    name: str
    former_names: list[str]
    is_zone: bool
    projects: int
    total_investment: Decimal
    annual_plan: Decimal
    metrics: Metrics | None
    red: int
    yellow: int
    latitude: (
        Decimal | None
    )  # the mean of its projects' coordinates (a zone without a polygon is drawn there)
    longitude: Decimal | None


@dataclass(frozen=True)
class MonthRow:
    month: int
    completed: Decimal  # this month's completed investment, from the figures in force on the date
    cumulative: Decimal
    plan_cumulative: (
        Decimal  # the investment planned by the end of the month (monthly plans, else 1/12 a month)
    )
    started: int  # projects that actually started in the month


@dataclass(frozen=True)
class BlockerSummary:
    open: int
    overdue: int
    rows: list[Blocker]  # the overdue ones first, then the soonest due
    overdue_ids: frozenset[int]


@dataclass(frozen=True)
class FactorSummary:
    kinds: list[KindFigures]  # each kind's waiting demands and what they lack in all
    waiting: list[Waiting]  # the unmet demands, the soonest needed first
    project_count: int  # the projects waiting on a factor


@dataclass(frozen=True)
class Point:
    project: int
    name: str
    region: str
    latitude: Decimal
    longitude: Decimal
    total_investment: Decimal
    color: str  # the project's worst active warning: red, yellow or green


@dataclass(frozen=True)
class Dashboard:
    as_of: datetime.date
    year: int
    scope: Scope
    projects: int
    total_investment: Decimal
    annual_plan: Decimal
    rates: Metrics
    regions: list[RegionRow]
    trend: list[MonthRow]
    red: int
    yellow: int
    warnings: list[WarningRow]
    blockers: BlockerSummary
    factors: FactorSummary
    points: list[Point]
    batch: BatchSummary | None


def compares_cities(user: User) -> bool:
    return may(user, "rates.compare_cities")


def _scope(user: User, filters: ProjectFilters) -> Scope:
    """A county's dashboard when the slice is one county, or the reader is a county's office; else the
    city's, or the province's for the province office."""
    city = Region.objects.filter(pk=user.city_id).only("code", "name").first() if user.city_id else None
    city_code, city_name = (city.code, city.name) if city else ("", "")
    code = filters.region or (filters.city if city is None else None)
    org = user.organization
    if not code and org is not None and org.kind == Organization.Kind.COUNTY_OFFICE:
        code = (
            Region.objects.filter(pk=org.region_id)
            .exclude(kind=Region.Kind.CITY)
            .values_list("code", flat=True)
            .first()
        )
    if code:
        region = Region.objects.filter(code=code).select_related("city").first()
        if region is not None and region.kind == Region.Kind.CITY:
            # the province office down to one of its cities (`city`): that city's war room
            return Scope(Level.CITY, region.code, region.name, region.code, region.name)
        if region is not None:
            if city is None and region.city is not None:  # the province office, down to a county
                city_code, city_name = region.city.code, region.city.name
            return Scope(Level.COUNTY, region.code, region.name, city_code, city_name)
    if city is None:
        province = Region.objects.filter(kind=Region.Kind.PROVINCE).only("code", "name").first()
        return Scope(Level.PROVINCE, getattr(province, "code", ""), getattr(province, "name", ""), "", "")
    return Scope(Level.CITY, city_code, city_name, city_code, city_name)


def _region_rows(
    user: User,
    scope: Scope,
    query: MetricsQuery,
    projects: QuerySet[Project],
    table: MetricsTable,
    by_city: bool,
) -> list[RegionRow]:
    """The ranking's rows: every county of the city (every city of the province) with its rates,
    projects, investment, warnings and mean coordinates, each figure from one grouped query."""
    key = "city_id" if by_city else "region_id"
    rates = {row.region.pk: row.metrics for row in table.rows}
    totals = {
        row.pop(key): row
        for row in projects.values(key).annotate(
            n=Count("pk"),
            total=Coalesce(Sum("total_investment"), ZERO),
            annual=Coalesce(Sum("annual_investment"), ZERO),
            lat=Avg("latitude"),
            lng=Avg("longitude"),
        )
    }
    lights: dict[int, dict[str, int]] = {
        row["key"]: {"red": row["red"], "yellow": row["yellow"]}
        for row in _active_warnings(user, projects)
        .values(key=F(f"project__{key}"))
        .annotate(
            red=Count("pk", filter=Q(color=Color.RED)), yellow=Count("pk", filter=Q(color=Color.YELLOW))
        )
    }
    city_id = user.city_id
    if city_id is None and scope.level == Level.CITY:  # the province office, down to one city
        city_id = Region.objects.filter(code=scope.code).values_list("pk", flat=True).first()
    if by_city:
        regions = Region.objects.filter(kind=Region.Kind.CITY, pk__in=set(totals) | set(rates))
    elif query.filters.region:
        regions = Region.objects.filter(code=query.filters.region)
    elif sees_whole_tenant(user):  # every county of the city, those without projects too
        regions = Region.objects.filter(city_id=city_id).exclude(kind=Region.Kind.CITY)
        regions = regions.filter(parent_id=city_id) | regions.filter(pk__in=set(totals))
    else:
        regions = Region.objects.filter(pk__in=set(totals) | set(rates))
    rows = []
    for region in regions.order_by("sort_order", "code"):
        total = totals.get(region.pk, {})
        light = lights.get(region.pk, {})
        rows.append(
            RegionRow(
                code=region.code,
                name=region.name,
                former_names=list(region.former_names),
                is_zone=region.kind == Region.Kind.ZONE,
                projects=total.get("n", 0),
                total_investment=Decimal(total.get("total", ZERO)).quantize(CENTS),
                annual_plan=Decimal(total.get("annual", ZERO)).quantize(CENTS),
                metrics=rates.get(region.pk),
                red=light.get("red", 0),
                yellow=light.get("yellow", 0),
                latitude=_coordinate(total.get("lat")),
                longitude=_coordinate(total.get("lng")),
            )
        )
    return rows


def _coordinate(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.000001"))


def _active_warnings(user: User, projects: QuerySet[Project]) -> QuerySet[ProjectWarning]:
    return warning_list(user=user).filter(project__in=projects.values("pk")).order_by()


def _trend(query: MetricsQuery, projects: QuerySet[Project]) -> list[MonthRow]:
    """Month by month up to the as-of date: completed investment against the plan line, and starts."""
    year, as_of = query.year, query.as_of
    last = 12 if as_of.year > year else (as_of.month if as_of.year == year else 0)
    ids = projects.values("pk")
    # grouped by the date itself and put in months here: extracting the month in SQL is a function call
    # per row on SQLite
    completed: dict[int, Decimal] = defaultdict(Decimal)
    for first_day, total in (
        figures_in_force(as_of=as_of)
        .filter(month__year=year, project__in=ids)
        .values("month")
        .annotate(total=Sum("total"))
        .values_list("month", "total")
    ):
        completed[first_day.month] += Decimal(total)
    plans = MonthlyPlan.objects.filter(year=year, project__in=ids)
    planned = dict(plans.values("month").annotate(total=Sum("amount")).values_list("month", "total"))
    unplanned = projects.filter(~Exists(MonthlyPlan.objects.filter(project=OuterRef("pk"), year=year)))
    unplanned_annual = unplanned.aggregate(total=Coalesce(Sum("annual_investment"), ZERO))["total"]
    started: dict[int, int] = defaultdict(int)
    for day, count in (
        projects.filter(actual_start__year=year, actual_start__lte=as_of)
        .values("actual_start")
        .annotate(n=Count("pk"))
        .values_list("actual_start", "n")
    ):
        if day is not None:
            started[day.month] += count
    rows, cumulative, plan = [], ZERO, ZERO
    for month in range(1, last + 1):
        done = Decimal(completed.get(month) or ZERO).quantize(CENTS)
        cumulative += done
        plan += Decimal(planned.get(month) or ZERO) + Decimal(unplanned_annual) / 12
        rows.append(MonthRow(month, done, cumulative, plan.quantize(CENTS), started.get(month, 0)))
    return rows


def _blockers(user: User, projects: QuerySet[Project], today: datetime.date) -> BlockerSummary:
    blockers = blocker_list(user=user, filters=LedgerFilter(), today=today).filter(
        project__in=projects.values("pk"), status__in=OPEN_BLOCKER
    )
    counts = blockers.order_by().aggregate(open=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    first = Case(When(overdue_q(today), then=Value(0)), default=Value(1), output_field=IntegerField())
    rows: list[Blocker] = list(
        blockers.order_by(first, F("deadline").asc(nulls_last=True), "pk")[:ROWS_SHOWN]
    )
    overdue_ids = frozenset(b.pk for b in rows if b.deadline and b.deadline < today and b.status in OPEN)
    return BlockerSummary(counts["open"], counts["overdue"], rows, overdue_ids)


def _factors(user: User, projects: QuerySet[Project], today: datetime.date) -> FactorSummary:
    unmet = unmet_demands(user).filter(project__in=projects.values("pk"))
    kinds = [
        KindFigures(kind, waiting_count=n, lacking=short)
        for kind, n, short in unmet.order_by("kind")
        .values("kind")
        .annotate(n=Count("pk"), short=Sum("amount") - Sum("allocated"))
        .values_list("kind", "n", "short")
    ]
    waiting = [
        waiting_of(row, today)
        for row in unmet.values(*WAITING_VALUES).order_by("needed_by", "pk")[:ROWS_SHOWN]
    ]
    return FactorSummary(kinds, waiting, unmet.values("project_id").distinct().count())


def _points(user: User, projects: QuerySet[Project]) -> list[Point]:
    """The projects with coordinates, the largest first, each with its worst active warning (read for
    those alone, not for every project with coordinates before the largest are chosen)."""
    rows = list(
        projects.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by("-total_investment", "pk")
        .values_list("pk", "name", "region__code", "latitude", "longitude", "total_investment")[:MAX_POINTS]
    )
    lights: dict[int, list[ProjectWarning]] = defaultdict(list)
    for warning in ProjectWarning.objects.filter(
        project_id__in=[row[0] for row in rows], is_active=True
    ).only("project_id", "color"):
        lights[warning.project_id].append(warning)
    return [
        Point(pk, name, code, lat, lng, Decimal(total).quantize(CENTS), worst_color(lights[pk]))
        for pk, name, code, lat, lng, total in rows
        if lat is not None and lng is not None
    ]


def dashboard(*, user: User, query: MetricsQuery, today: datetime.date) -> Dashboard:
    """The war room of the user's slice (`query.filters`, on `query.as_of`)."""
    scope = _scope(user, query.filters)
    projects = list_projects(user=user, query=query)
    by_city = scope.level == Level.PROVINCE
    table = (metrics_by_city if by_city else metrics_by_county)(user=user, query=query)
    regions = _region_rows(user, scope, query, projects, table, by_city)
    warnings = warning_list(user=user).filter(
        project__in=projects.values("pk"), color__in=[Color.RED, Color.YELLOW]
    )  # worst first
    return Dashboard(
        as_of=query.as_of,
        year=query.year,
        scope=scope,
        projects=sum(r.projects for r in regions),
        total_investment=sum((r.total_investment for r in regions), ZERO),
        annual_plan=sum((r.annual_plan for r in regions), ZERO),
        rates=table.total,
        regions=regions,
        trend=_trend(query, projects),
        red=sum(r.red for r in regions),  # every warning of the slice is of a project of one of them
        yellow=sum(r.yellow for r in regions),
        warnings=warning_rows(warnings[:ROWS_SHOWN]),
        blockers=_blockers(user, projects, today),
        factors=_factors(user, projects, today),
        points=_points(user, projects) if scope.level != Level.PROVINCE else [],
        batch=latest_batch(user=user, region=query.filters.region),
    )
