"""The three headline rates (开工率, 纳统率, 投资完成率) and 序时进度: the one implementation that pages,
the API, exports and warnings all use.

Every figure is computed as of a date from what was known by then: a project counts as started when
its actual start is on or before the date, as included when its inclusion date is, and investment is
the sum of the reports in force on that date (`reports_in_force`). The projects counted are those on
the year's list: in 调度库 (or the pipeline asked for), of the list year, not withdrawn.
"""

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Region, User
from keyprojects.progress.inclusion import included_q, inclusion_due_q
from keyprojects.progress.selectors import reports_in_force
from keyprojects.projects.models import ListKind, Pipeline, Project, Stage
from keyprojects.projects.selectors import ProjectFilters, project_list

from .models import MetricsSettings, StartBasis, TimeBasis

RATE_PLACES = Decimal("0.001")
POINT_PLACES = Decimal("0.1")
CENTS = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class Rate:
    numerator: int | Decimal
    denominator: int | Decimal

    @property
    def exact(self) -> Decimal | None:
        if not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)

    @property
    def value(self) -> Decimal | None:
        """The rate to 3 places (0.718), or None when there is nothing to divide by."""
        exact = self.exact
        return None if exact is None else exact.quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Counts:
    """The raw sums behind the rates for one slice; slices add up (a county table sums to the city)."""

    started: int = 0
    start_base: int = 0
    included: int = 0
    inclusion_due: int = 0
    completed: Decimal = ZERO
    annual_plan: Decimal = ZERO

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(
            self.started + other.started,
            self.start_base + other.start_base,
            self.included + other.included,
            self.inclusion_due + other.inclusion_due,
            self.completed + other.completed,
            self.annual_plan + other.annual_plan,
        )


@dataclass(frozen=True)
class Metrics:
    as_of: datetime.date
    year: int
    start_rate: Rate
    statistics_rate: Rate
    investment_rate: Rate
    time_progress: Decimal

    @property
    def vs_time_progress_exact(self) -> Decimal | None:
        """Percentage points above (positive) or below (negative) 序时进度; None without an annual plan."""
        exact = self.investment_rate.exact
        return None if exact is None else (exact - self.time_progress) * 100

    @property
    def vs_time_progress(self) -> Decimal | None:
        """The same, to one decimal place as bulletins write it (5.5)."""
        exact = self.vs_time_progress_exact
        return None if exact is None else exact.quantize(POINT_PLACES, rounding=ROUND_HALF_UP)

    @property
    def vs_time_progress_text(self) -> str:
        return time_progress_words(self.vs_time_progress)

    @classmethod
    def from_counts(
        cls, counts: Counts, *, as_of: datetime.date, year: int, time_progress: Decimal
    ) -> "Metrics":
        return cls(
            as_of=as_of,
            year=year,
            start_rate=Rate(counts.started, counts.start_base),
            statistics_rate=Rate(counts.included, counts.inclusion_due),
            investment_rate=Rate(counts.completed, counts.annual_plan),
            time_progress=time_progress,
        )


def time_progress_words(points: Decimal | None) -> str:
    """ "超序时进度5.5个百分点", "低于序时进度3.0个百分点", "与序时进度持平"; empty without a plan."""
    if points is None:
        return ""
    if points > 0:
        return _("超序时进度%(points)s个百分点") % {"points": points}
    if points < 0:
        return _("低于序时进度%(points)s个百分点") % {"points": -points}
    return _("与序时进度持平")


def time_progress(*, as_of: datetime.date, year: int, basis: str = TimeBasis.DAY) -> Decimal:
    """序时进度: the share of `year` elapsed by the end of `as_of` (0 before the year, 1 after it).
    By months, only whole months count: the end of March is 3/12 = 0.25, 15 March is 2/12."""
    if as_of.year < year:
        return ZERO
    if as_of.year > year:
        return Decimal(1)
    if basis == TimeBasis.MONTH:
        last_day = calendar.monthrange(as_of.year, as_of.month)[1]
        months = as_of.month if as_of.day == last_day else as_of.month - 1
        return Decimal(months) / 12
    days_in_year = 366 if calendar.isleap(year) else 365
    return Decimal(as_of.timetuple().tm_yday) / days_in_year


@dataclass(frozen=True)
class MetricsQuery:
    """What to compute: the as-of date, the list year, the slice and the counting bases."""

    as_of: datetime.date
    filters: ProjectFilters
    start_basis: str
    time_basis: str

    @property
    def year(self) -> int:
        return self.filters.year if self.filters.year is not None else self.as_of.year

    @classmethod
    def build(
        cls,
        *,
        as_of: datetime.date,
        filters: ProjectFilters | None = None,
        start_basis: str | None = None,
        time_basis: str | None = None,
    ) -> "MetricsQuery":
        """Fill what is not given from the city's settings (bases) and the date (list year)."""
        if start_basis is None or time_basis is None:
            settings = MetricsSettings.current()
            start_basis = start_basis or settings.start_basis
            time_basis = time_basis or settings.time_basis
        return cls(as_of, filters or ProjectFilters(), start_basis, time_basis)


def list_projects(*, user: User, query: MetricsQuery) -> QuerySet[Project]:
    """The projects the rates count: the user's slice of the year's list, without withdrawn ones."""
    filters = query.filters
    qs = project_list(user=user, filters=filters).select_related(None).order_by()
    qs = qs.exclude(stage=Stage.WITHDRAWN)
    if filters.year is None:
        qs = qs.filter(year=query.year)
    if filters.pipeline is None:
        qs = qs.filter(pipeline=Pipeline.SCHEDULED)
    return qs


def _project_aggregates(query: MetricsQuery) -> dict[str, Any]:
    as_of = query.as_of
    start_base = Q(list_kind=ListKind.IMPLEMENTATION)
    if query.start_basis == StartBasis.PLANNED:
        start_base &= Q(planned_start__lte=as_of)
    started = Q(actual_start__lte=as_of)
    due = inclusion_due_q(as_of=as_of)
    return {
        "started": Count("pk", filter=start_base & started),
        "start_base": Count("pk", filter=start_base),
        "included": Count("pk", filter=due & included_q(as_of=as_of)),
        "inclusion_due": Count("pk", filter=due),
        "annual_plan": Coalesce(Sum("annual_investment"), ZERO),
    }


def _completed_reports(projects: QuerySet[Project], query: MetricsQuery) -> QuerySet:
    return reports_in_force(as_of=query.as_of).filter(
        month__year=query.year, project__in=projects.values("pk")
    )


def _counts(row: Mapping[str, Any], completed: Decimal | None) -> Counts:
    return Counts(
        started=row["started"],
        start_base=row["start_base"],
        included=row["included"],
        inclusion_due=row["inclusion_due"],
        completed=(completed or ZERO).quantize(CENTS),
        annual_plan=Decimal(row["annual_plan"]).quantize(CENTS),
    )


def metrics(*, user: User, query: MetricsQuery) -> Metrics:
    """The three rates for the user's slice: two SQL aggregates, whatever the number of projects."""
    projects = list_projects(user=user, query=query)
    row = projects.aggregate(**_project_aggregates(query))
    completed = _completed_reports(projects, query).aggregate(total=Sum("total"))["total"]
    return _metrics(_counts(row, completed), query)


def _metrics(counts: Counts, query: MetricsQuery) -> Metrics:
    progress = time_progress(as_of=query.as_of, year=query.year, basis=query.time_basis)
    return Metrics.from_counts(counts, as_of=query.as_of, year=query.year, time_progress=progress)


@dataclass(frozen=True)
class RegionMetrics:
    region: Region
    metrics: Metrics


@dataclass(frozen=True)
class MetricsTable:
    rows: list[RegionMetrics]
    total: Metrics


def _sum_counts(parts: Iterable[Counts]) -> Counts:
    total = Counts(completed=ZERO.quantize(CENTS), annual_plan=ZERO.quantize(CENTS))
    for part in parts:
        total = total + part
    return total


def metrics_by_county(*, user: User, query: MetricsQuery) -> MetricsTable:
    """The rates per county-level region the user sees, and for all of them together (the city total
    is the sum of the rows, so the table always adds up)."""
    projects = list_projects(user=user, query=query)
    rows = projects.values("region_id").annotate(**_project_aggregates(query))
    completed = dict(
        _completed_reports(projects, query)
        .values("project__region_id")
        .annotate(total=Sum("total"))
        .values_list("project__region_id", "total")
    )
    counts = {row["region_id"]: _counts(row, completed.get(row["region_id"])) for row in rows}
    regions = Region.objects.filter(pk__in=counts).order_by("sort_order", "code")
    table = [RegionMetrics(region, _metrics(counts[region.pk], query)) for region in regions]
    return MetricsTable(rows=table, total=_metrics(_sum_counts(counts.values()), query))


def project_time_gap(
    *, annual_plan: Decimal, completed: Decimal, as_of: datetime.date, year: int, basis: str
) -> Decimal | None:
    """One project's investment against 序时进度, in exact percentage points (negative when behind)."""
    rate = Metrics.from_counts(
        Counts(completed=completed, annual_plan=annual_plan),
        as_of=as_of,
        year=year,
        time_progress=time_progress(as_of=as_of, year=year, basis=basis),
    )
    return rate.vs_time_progress_exact


def completed_by_project(
    *, project_ids: QuerySet | Iterable[int], as_of: datetime.date, year: int
) -> dict[int, Decimal]:
    """This year's completed investment per project, from the reports in force on `as_of`."""
    rows = (
        reports_in_force(as_of=as_of)
        .filter(month__year=year, project__in=project_ids)
        .values("project_id")
        .annotate(total=Sum("total"))
        .values_list("project_id", "total")
    )
    return dict(rows)
