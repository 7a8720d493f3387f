"""The three headline rates (开工率, 纳统率, 投资完成率) and 序时进度: the one implementation that pages,
the API, exports and warnings all use.

Every figure is computed as of a date from what was known by then. A project counts as started when
its actual start is on or before the date, as included when its inclusion date is, and investment is
the sum of the figures in force on that date (`progress.in_force`). The projects counted are those on
the year's list: in 调度库 (or the pipeline asked for), of the list year, not withdrawn.

The counts are SQL aggregates over the projects' current values. A project changed after the date
(its plan, stage, pipeline, year, list kind, start, region, chain, level, category or statistics
inclusion; or created after it) is then corrected for: its current contribution is taken out and the
contribution of its values on that date, rebuilt from the typed values of its history
(`ProjectEvent.old`: a region by id, a chain by code; never display text), is put back.
Such projects are few, so the rates stay a handful of queries whatever the number of projects.

序时进度 is the share of the year elapsed (by days, or by whole months), or under the `plan` basis
the monthly plan: the investment planned up to the last whole month divided by the annual plan,
summed over the slice, where a project without a monthly plan counts its annual plan times the share
of whole months elapsed. Monthly plans are read as they stand now.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from keyprojects.accounts.access import sees_whole_tenant
from keyprojects.accounts.models import Region, User
from keyprojects.core.aggregates import subquery_sum
from keyprojects.core.history import Ref, Typed, decode
from keyprojects.inclusion.selectors import (
    STATISTICS_FIELD,
    included_q,
    inclusion_due_q,
    inclusion_threshold,
    of_city,
)
from keyprojects.progress.in_force import figures_in_force
from keyprojects.progress.selectors import end_of_day
from keyprojects.projects.models import ListKind, Pipeline, Project, ProjectEvent, Stage
from keyprojects.projects.selectors import ProjectFilters, project_list

from .models import MetricsSettings, MonthlyPlan, StartBasis, TimeBasis

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
    """The raw sums behind the rates for one slice; slices add up (a county table sums to the city).
    `time_target` is the investment due by the date under the `plan` basis of 序时进度 (else 0)."""

    projects: int = 0
    started: int = 0
    start_base: int = 0
    included: int = 0
    inclusion_due: int = 0
    completed: Decimal = ZERO
    annual_plan: Decimal = ZERO
    time_target: Decimal = ZERO

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))

    def __sub__(self, other: "Counts") -> "Counts":
        return Counts(*(getattr(self, f.name) - getattr(other, f.name) for f in fields(self)))


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
            investment_rate=Rate(counts.completed.quantize(CENTS), counts.annual_plan.quantize(CENTS)),
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


def whole_months(*, as_of: datetime.date, year: int) -> int:
    """The months of `year` over by the end of `as_of`: 3 at the end of March, 2 on 15 March."""
    if as_of.year < year:
        return 0
    if as_of.year > year:
        return 12
    last_day = calendar.monthrange(as_of.year, as_of.month)[1]
    return as_of.month if as_of.day == last_day else as_of.month - 1


def time_progress(*, as_of: datetime.date, year: int, basis: str = TimeBasis.MONTH) -> Decimal:
    """序时进度 by the calendar: the share of `year` elapsed by the end of `as_of` (0 before the year,
    1 after it). By months (and for projects without a monthly plan under the `plan` basis) only
    whole months count: the end of March is 3/12 = 0.25, 15 March is 2/12."""
    if as_of.year != year or basis != TimeBasis.DAY:
        return Decimal(whole_months(as_of=as_of, year=year)) / 12
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
        city_id: int | None = None,
    ) -> "MetricsQuery":
        """Fill what is not given from the settings of the city (of the province, when None: its
        defaults) and the date (list year)."""
        if start_basis is None or time_basis is None:
            settings = MetricsSettings.for_city(city_id)
            start_basis = start_basis or settings.start_basis
            time_basis = time_basis or settings.time_basis
        return cls(as_of, filters or ProjectFilters(), start_basis, time_basis)


def list_projects(*, user: User, query: MetricsQuery) -> QuerySet[Project]:
    """The projects the rates count, by their current values: the user's slice of the year's list,
    without withdrawn ones."""
    filters = query.filters
    qs = project_list(user=user, filters=filters).select_related(None).order_by()
    qs = qs.exclude(stage=Stage.WITHDRAWN)
    if filters.year is None:
        qs = qs.filter(year=query.year)
    if filters.pipeline is None:
        qs = qs.filter(pipeline=Pipeline.SCHEDULED)
    return qs


def _has_plan(query: MetricsQuery) -> Exists:
    return Exists(MonthlyPlan.objects.filter(project=OuterRef("pk"), year=query.year))


def _project_aggregates(
    query: MetricsQuery, threshold: Decimal, inclusion: str, *, per_project: bool
) -> dict[str, Any]:
    """The counts over the projects' own rows; with `per_project`, also each project's figures in
    force and monthly plans to date, summed inside the same aggregate."""
    as_of = query.as_of
    start_base = Q(list_kind=ListKind.IMPLEMENTATION)
    if query.start_basis == StartBasis.PLANNED:
        start_base &= Q(planned_start__lte=as_of)
    started = Q(actual_start__lte=as_of)
    due = inclusion_due_q(as_of=as_of, threshold=threshold)
    aggregates: dict[str, Any] = {
        "projects": Count("pk"),
        "started": Count("pk", filter=start_base & started),
        "start_base": Count("pk", filter=start_base),
        "included": Count("pk", filter=due & included_q(as_of=as_of, relation=inclusion)),
        "inclusion_due": Count("pk", filter=due),
        "annual_plan": Coalesce(Sum("annual_investment"), ZERO),
    }
    plan_basis = query.time_basis == TimeBasis.PLAN
    if plan_basis:
        aggregates["plan_annual"] = Coalesce(Sum("annual_investment", filter=Q(_has_plan(query))), ZERO)
    if per_project:
        aggregates["completed"] = Coalesce(Sum(_per_project(_completed(query), "total")), ZERO)
        if plan_basis:
            aggregates["planned"] = Coalesce(Sum(_per_project(_planned_to_date(query), "amount")), ZERO)
    return aggregates


def _per_project(rows: QuerySet, field: str) -> Subquery:
    """The sum of `field` over `rows` of the project of the outer row. Summed inside the projects'
    own aggregate, each project's rows are read through an index on (project, …), which is faster
    than gathering the slice's rows and joining them back to their projects."""
    return subquery_sum(rows, field)


def _completed(query: MetricsQuery, projects: QuerySet | None = None) -> QuerySet:
    """The year's figures in force on the date of `projects` (by default the outer row's project)."""
    figures = figures_in_force(as_of=query.as_of).filter(month__year=query.year)
    return (
        figures.filter(project=OuterRef("pk")) if projects is None else figures.filter(project__in=projects)
    )


def _planned_to_date(query: MetricsQuery, projects: QuerySet | None = None) -> QuerySet:
    """The monthly plans of `projects` (by default the outer row's project) up to the last whole month
    before the date."""
    months = whole_months(as_of=query.as_of, year=query.year)
    plans = MonthlyPlan.objects.filter(year=query.year, month__lte=months)
    return plans.filter(project=OuterRef("pk")) if projects is None else plans.filter(project__in=projects)


def _share(query: MetricsQuery) -> Decimal:
    return time_progress(as_of=query.as_of, year=query.year, basis=TimeBasis.MONTH)


def _grouped(qs: QuerySet, key: str | None, **aggregates: Any) -> list[dict[str, Any]]:
    """Aggregate rows per `key` (a region field), or one row with the key None for the whole slice."""
    if key is None:
        return [{"key": None, **qs.aggregate(**aggregates)}]
    return [{"key": row.pop(key), **row} for row in qs.values(key).annotate(**aggregates)]


GROUPS = {"region": "region_id", "city": "city_id"}  # the project's field each grouping reads
SLICE_GROUPS = {"region": "project__region_id", "city": "city_id"}  # the same from a figure or a plan


def _sums_over_slice(
    projects: QuerySet, query: MetricsQuery, group: str | None
) -> tuple[dict[int | None, Decimal], dict[int | None, Decimal]]:
    """The slice's figures in force and monthly plans to date per group, each in one grouped scan.
    Across a province's cities this is faster than reading them project by project (a city's
    projects are fewer than its figures, and there the per-project sums win)."""
    ids = projects.values("pk")
    key = SLICE_GROUPS[group] if group else None
    completed = {
        row["key"]: row["total"] for row in _grouped(_completed(query, ids), key, total=Sum("total"))
    }
    planned: dict[int | None, Decimal] = {}
    if query.time_basis == TimeBasis.PLAN:
        plans = _grouped(_planned_to_date(query, ids), key, total=Sum("amount"))
        planned = {row["key"]: row["total"] or ZERO for row in plans}
    return completed, planned


def _counts(*, user: User, query: MetricsQuery, group: str | None) -> dict[int | None, Counts]:
    """The counts per region or city (`group`; for None, under None for the whole slice) of the
    projects on the list on the date (see the module's docstring)."""
    threshold = inclusion_threshold(user.city_id)
    projects = list_projects(user=user, query=query)
    joined, inclusion = of_city(projects, user.city_id)
    per_project = user.city_id is not None
    aggregates = _project_aggregates(query, threshold, inclusion, per_project=per_project)
    rows = _grouped(joined, GROUPS[group] if group else None, **aggregates)
    if not per_project:
        completed, planned = _sums_over_slice(projects, query, group)
        for row in rows:
            row["completed"] = completed.get(row["key"]) or ZERO
            row["planned"] = planned.get(row["key"], ZERO)
    share = _share(query)
    counts: dict[int | None, Counts] = {}
    for row in rows:
        target = ZERO
        if query.time_basis == TimeBasis.PLAN:
            target = row["planned"] + (row["annual_plan"] - row["plan_annual"]) * share
        counts[row["key"]] = Counts(
            projects=row["projects"],
            started=row["started"],
            start_base=row["start_base"],
            included=row["included"],
            inclusion_due=row["inclusion_due"],
            completed=Decimal(row["completed"]),
            annual_plan=Decimal(row["annual_plan"]),
            time_target=target,
        )
    corrections = _history_corrections(user=user, query=query, threshold=threshold)
    city_of = (
        dict(Region.objects.filter(pk__in=list(corrections)).values_list("pk", "city_id"))
        if group == "city" and corrections
        else {}
    )
    for region_id, delta in corrections.items():
        key = region_id if group == "region" else city_of.get(region_id) if group == "city" else None
        counts[key] = counts.get(key, Counts()) + delta
    return {key: part for key, part in counts.items() if part.projects}


# --- projects changed after the date --------------------------------------------------------------

HISTORY_FIELDS = (
    "annual_investment",
    "total_investment",
    "stage",
    "pipeline",
    "year",
    "list_kind",
    "actual_start",
    "planned_start",
    "region",
    "chain",
    "level",
    "category",
)
HISTORY_TYPES: dict[str, type | tuple[type, ...]] = {
    "annual_investment": Decimal,
    "total_investment": Decimal,
    "year": int,
    "actual_start": datetime.date,
    "planned_start": datetime.date,
}  # the other fields hold codes (str), but these two
REFERENCE_FIELDS = ("region", "chain")  # kept as references (`core.history.Ref`)
MAX_LISTED_IDS = 500


@dataclass(frozen=True)
class _State:
    """What the rates read of one project."""

    region_id: int
    chain: str | None  # the chain's code
    level: str
    category: str
    stage: str
    pipeline: str
    year: int
    list_kind: str
    actual_start: datetime.date | None
    planned_start: datetime.date | None
    total_investment: Decimal | None
    annual_investment: Decimal
    included_on: datetime.date | None


def _state_then(now: _State, old_values: Mapping[str, Typed | None]) -> _State:
    """The project's values on the date: each changed field's typed value before its first later
    change (a value of the wrong type, e.g. legacy text that could not be resolved, keeps the
    current one)."""
    changes: dict[str, Any] = {}
    for field, stored in old_values.items():
        value = decode(stored)
        if field == "region":
            if isinstance(value, Ref):
                changes["region_id"] = value.pk
        elif field == "chain":
            if value is None:
                changes["chain"] = None
            elif isinstance(value, Ref) and value.code:
                changes["chain"] = value.code
        elif field == STATISTICS_FIELD:
            if value is None or isinstance(value, dict):
                changes["included_on"] = value.get("included_on") if value else None
        elif value is None:
            if field in ("actual_start", "planned_start", "total_investment"):
                changes[field] = None
            elif field == "annual_investment":
                changes[field] = ZERO
        elif isinstance(value, HISTORY_TYPES.get(field, str)) and not isinstance(value, bool):
            changes[field] = value
    return replace(now, **changes)


def _on_list(state: _State, region_code: str | None, query: MetricsQuery) -> bool:
    """Whether a project with these values is on the list the query counts (as `list_projects`)."""
    filters = query.filters
    if state.stage == Stage.WITHDRAWN or state.year != query.year:
        return False
    if state.pipeline != (filters.pipeline or Pipeline.SCHEDULED):
        return False
    if filters.region is not None and region_code != filters.region:
        return False
    if filters.chain is not None and state.chain != filters.chain:
        return False
    return all(
        getattr(filters, name) is None or getattr(state, name) == getattr(filters, name)
        for name in ("level", "category", "stage", "list_kind")
    )


def _contribution(
    state: _State, query: MetricsQuery, *, threshold: Decimal, completed: Decimal, planned: Decimal | None
) -> Counts:
    """One project's part of the counts (the same rules as `_project_aggregates`)."""
    as_of = query.as_of
    start_base = state.list_kind == ListKind.IMPLEMENTATION and (
        query.start_basis != StartBasis.PLANNED
        or (state.planned_start is not None and state.planned_start <= as_of)
    )
    has_started = state.actual_start is not None and state.actual_start <= as_of
    due = has_started and state.total_investment is not None and state.total_investment >= threshold
    included = due and state.included_on is not None and state.included_on <= as_of
    target = ZERO
    if query.time_basis == TimeBasis.PLAN:
        target = planned if planned is not None else state.annual_investment * _share(query)
    return Counts(
        projects=1,
        started=int(start_base and has_started),
        start_base=int(start_base),
        included=int(included),
        inclusion_due=int(due),
        completed=completed,
        annual_plan=state.annual_investment,
        time_target=target,
    )


def _history_corrections(*, user: User, query: MetricsQuery, threshold: Decimal) -> dict[int, Counts]:
    """Per region, what to add to the current-value counts so that projects changed (or created)
    after the date count with their values on the date. One query when nothing changed since."""
    unsliced = replace(
        query.filters,
        region=None,
        chain=None,
        level=None,
        category=None,
        stage=None,
        pipeline=None,
        year=None,
        list_kind=None,
    )
    later = ProjectEvent.objects.filter(created_at__gt=end_of_day(query.as_of)).filter(
        Q(kind=ProjectEvent.Kind.CREATED) | Q(field__in=(*HISTORY_FIELDS, STATISTICS_FIELD))
    )
    if user.city_id is not None:  # read the city's changes through (city, created_at), not every city's
        later = later.filter(city_id=user.city_id)
    narrowed = unsliced.city or unsliced.owner is not None or unsliced.leader is not None or unsliced.q
    if narrowed or user.city_id is None or not sees_whole_tenant(user):
        # the projects of the slice; for a city office's whole city its key alone says it, without
        # reading every project of the city again
        later = later.filter(project__in=project_list(user=user, filters=unsliced).order_by().values("pk"))
    events = later.order_by("created_at", "id").values_list("project_id", "kind", "field", "old")
    unborn: set[int] = set()
    old_values: dict[int, dict[str, Typed | None]] = defaultdict(dict)
    for project_id, kind, field, old in events:
        if kind == ProjectEvent.Kind.CREATED:
            unborn.add(project_id)
        else:
            old_values[project_id].setdefault(field, old)
    if not unborn and not old_values:
        return {}
    changed = unborn | old_values.keys()
    # the ids themselves when few (each query below would otherwise search the history again), else a
    # subquery: there may be more than SQL parameters allow
    ids: list[int] | QuerySet = (
        sorted(changed) if len(changed) <= MAX_LISTED_IDS else later.order_by().values("project_id")
    )

    # each project's values now, with whether the rates count it now and its figures in force on the date
    rows = (
        Project.objects.filter(pk__in=ids)
        .annotate(
            counted_now=Exists(list_projects(user=user, query=query).filter(pk=OuterRef("pk"))),
            completed_then=subquery_sum(_completed(query), "total"),
        )
        .values(
            "pk",
            "region_id",
            "chain__code",
            *(f for f in HISTORY_FIELDS if f not in REFERENCE_FIELDS),
            "statistics__included_on",
            "counted_now",
            "completed_then",
        )
    )
    now: dict[int, _State] = {}
    counted_now: set[int] = set()
    completed: dict[int, Decimal] = {}
    for row in rows:
        pk = row.pop("pk")
        if row.pop("counted_now"):
            counted_now.add(pk)
        completed[pk] = row.pop("completed_then")
        now[pk] = _State(chain=row.pop("chain__code"), included_on=row.pop("statistics__included_on"), **row)
    then_regions = {
        value.pk for values in old_values.values() if isinstance(value := decode(values.get("region")), Ref)
    }
    regions = Region.objects.filter(pk__in={s.region_id for s in now.values()} | then_regions)
    region_codes = dict(regions.values_list("pk", "code"))
    planned: dict[int, Decimal] = {}
    if query.time_basis == TimeBasis.PLAN:
        planned = planned_by_project(project_ids=ids, as_of=query.as_of, year=query.year)

    deltas: dict[int, Counts] = defaultdict(Counts)
    for project_id, current in now.items():
        done = completed.get(project_id) or ZERO
        plan = planned.get(project_id)
        if project_id in counted_now:
            deltas[current.region_id] -= _contribution(
                current, query, threshold=threshold, completed=done, planned=plan
            )
        if project_id in unborn:
            continue
        then = _state_then(current, old_values[project_id])
        if _on_list(then, region_codes.get(then.region_id), query):
            deltas[then.region_id] += _contribution(
                then, query, threshold=threshold, completed=done, planned=plan
            )
    return deltas


# --- results --------------------------------------------------------------------------------------


def metrics(*, user: User, query: MetricsQuery) -> Metrics:
    """The three rates for the user's slice: a few SQL aggregates, whatever the number of projects."""
    counts = _counts(user=user, query=query, group=None)
    return _metrics(counts.get(None, Counts()), query)


def _metrics(counts: Counts, query: MetricsQuery) -> Metrics:
    if query.time_basis == TimeBasis.PLAN and counts.annual_plan:
        progress = counts.time_target / counts.annual_plan
    else:
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
    total = Counts()
    for part in parts:
        total = total + part
    return total


def _table(counts: Mapping[int | None, Counts], query: MetricsQuery) -> MetricsTable:
    """A row per region of `counts`, in the regions' order, and the total of them all (the total is the
    sum of the rows, so the table always adds up)."""
    regions = Region.objects.filter(pk__in=[pk for pk in counts if pk is not None]).order_by(
        "sort_order", "code"
    )
    table = [RegionMetrics(region, _metrics(counts[region.pk], query)) for region in regions]
    return MetricsTable(rows=table, total=_metrics(_sum_counts(counts.values()), query))


def metrics_by_county(*, user: User, query: MetricsQuery) -> MetricsTable:
    """The rates per county-level region the user sees, and for all of them together."""
    return _table(_counts(user=user, query=query, group="region"), query)


def metrics_by_city(*, user: User, query: MetricsQuery) -> MetricsTable:
    """The rates per city the user sees (the province office compares its cities), and for all of
    them together."""
    return _table(_counts(user=user, query=query, group="city"), query)


def project_time_gap(
    *,
    annual_plan: Decimal,
    completed: Decimal,
    as_of: datetime.date,
    year: int,
    basis: str,
    planned: Decimal | None = None,
) -> Decimal | None:
    """One project's investment against 序时进度, in exact percentage points (negative when behind).
    `planned` is its monthly plan to date (`planned_by_project`), used under the `plan` basis."""
    if basis == TimeBasis.PLAN and planned is not None and annual_plan:
        progress = planned / annual_plan
    else:
        progress = time_progress(as_of=as_of, year=year, basis=basis)
    rate = Metrics.from_counts(
        Counts(completed=completed, annual_plan=annual_plan), as_of=as_of, year=year, time_progress=progress
    )
    return rate.vs_time_progress_exact


def planned_by_project(
    *, project_ids: QuerySet | Iterable[int], as_of: datetime.date, year: int
) -> dict[int, Decimal]:
    """The investment planned up to the last whole month before `as_of`, per project that has a
    monthly plan for `year` (projects without one are absent)."""
    months = whole_months(as_of=as_of, year=year)
    rows = (
        MonthlyPlan.objects.filter(project__in=project_ids, year=year)
        .values("project_id")
        .annotate(total=Coalesce(Sum("amount", filter=Q(month__lte=months)), ZERO))
        .values_list("project_id", "total")
    )
    return dict(rows)


def completed_by_project(
    *, project_ids: QuerySet | Iterable[int], as_of: datetime.date, year: int
) -> dict[int, Decimal]:
    """This year's completed investment per project, from the figures in force on `as_of`."""
    rows = (
        figures_in_force(as_of=as_of)
        .filter(month__year=year, project__in=project_ids)
        .values("project_id")
        .annotate(total=Sum("total"))
        .values_list("project_id", "total")
    )
    return dict(rows)
