"""Statistics inclusion (入库纳统), read: which projects should be in the fixed-asset investment
statistics, and which are, as of a date. A project should be once its main works started and its
planned total investment reaches the threshold (500万元 by default, `ProgressSettings` of its city).

The two Q builders are the shared rule (the rates and the warnings read them too); the rest answers per
project and per county."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Case, Count, F, FilteredRelation, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.core.inputs import YEAR_MAX, YEAR_MIN, date_in_range
from keyprojects.core.versions import digest_tag
from keyprojects.progress.models import ProgressSettings
from keyprojects.projects import permissions
from keyprojects.projects.models import Pipeline, Project
from keyprojects.projects.selectors import project_search_q

from .models import StatisticsInclusion

STATISTICS_FIELD = "statistics"  # the project history field of the inclusion


def _quantized(amount: Decimal) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


def inclusion_threshold(city_id: int | None) -> Decimal:
    """The investment (万元) from which a started project of the city should be in the statistics
    (the province's default, for None)."""
    return _quantized(ProgressSettings.for_city(city_id).inclusion_threshold)


def inclusion_due_q(*, as_of: datetime.date, threshold: Decimal | None = None) -> Q:
    """Projects that should be included by `as_of` (a filter on Project), against `threshold` or, by
    default, each project's city's threshold."""
    started = Q(actual_start__isnull=False, actual_start__lte=as_of)
    if threshold is not None:
        return started & Q(total_investment__gte=threshold)
    book = ProgressSettings.book()
    own = {city_id: row for city_id, row in book.rows.items() if city_id is not None}
    reaches = Q(~Q(city_id__in=own), total_investment__gte=_quantized(book.of(None).inclusion_threshold))
    for city_id, row in own.items():
        reaches |= Q(city_id=city_id, total_investment__gte=_quantized(row.inclusion_threshold))
    return started & reaches


def included_q(*, as_of: datetime.date, relation: str = "statistics") -> Q:
    """Projects included in the statistics by `as_of` (a filter on Project), through `relation` (the
    inclusion, or an alias of it from `of_city`)."""
    return Q(**{f"{relation}__included_on__isnull": False, f"{relation}__included_on__lte": as_of})


CITY_STATISTICS = "city_statistics"


def of_city(projects: QuerySet[Project], city_id: int | None) -> tuple[QuerySet[Project], str]:
    """The projects with their inclusion joined through the city key, when they are one city's, so that
    the database reads that city's inclusions alone (not every city's); and the relation to name in
    `included_q`."""
    if city_id is None:
        return projects, "statistics"
    joined = FilteredRelation("statistics", condition=Q(statistics__city_id=city_id))
    return projects.annotate(**{CITY_STATISTICS: joined}), CITY_STATISTICS


# --- one project ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class InclusionStatus:
    """A project's inclusion on a date: should it be in the statistics (应纳统), is it (已纳统),
    since when, and whether it is missing (应纳未纳)."""

    project: Project
    as_of: datetime.date
    threshold: Decimal
    due: bool
    included: bool
    included_on: datetime.date | None
    statistics_code: str
    etag: str

    @property
    def missing(self) -> bool:
        return self.due and not self.included

    @property
    def due_since(self) -> datetime.date | None:
        return self.project.actual_start if self.due else None

    @property
    def days_missing(self) -> int | None:
        """Days since the start for a project that should be included and is not."""
        if not self.missing or self.project.actual_start is None:
            return None
        return (self.as_of - self.project.actual_start).days


def inclusion_etag(record: StatisticsInclusion | None) -> str:
    """The version a client read (ETag): changes whenever the inclusion is recorded or cleared."""
    state = (
        ""
        if record is None
        else f"{record.included_on}|{record.statistics_code}|{record.updated_at.isoformat()}"
    )
    return digest_tag(state)


def inclusion_status(*, project: Project, as_of: datetime.date | None = None) -> InclusionStatus:
    as_of = as_of or timezone.localdate()
    threshold = inclusion_threshold(project.city_id)
    record = StatisticsInclusion.objects.filter(city_id=project.city_id, project=project).first()
    included_on = record.included_on if record else None
    return InclusionStatus(
        project=project,
        as_of=as_of,
        threshold=threshold,
        due=project.actual_start is not None
        and project.actual_start <= as_of
        and project.total_investment >= threshold,
        included=included_on is not None and included_on <= as_of,
        included_on=included_on,
        statistics_code=record.statistics_code if record else "",
        etag=inclusion_etag(record),
    )


def project_inclusion(*, user: User, project_id: int, as_of: datetime.date | None = None) -> InclusionStatus:
    """A visible project's inclusion (404 for a project the user may not see)."""
    project = permissions.project_access(user, project_id)
    return inclusion_status(project=project, as_of=as_of)


# --- lists ----------------------------------------------------------------------------------------


class InclusionState:
    DUE = "due"
    INCLUDED = "included"
    MISSING = "missing"
    NOT_DUE = "not_due"

    CHOICES = (DUE, INCLUDED, MISSING, NOT_DUE)


@dataclass(frozen=True)
class InclusionFilters:
    as_of: datetime.date
    year: int
    region: str | None = None  # the region's code
    state: str | None = None
    q: str | None = None

    @classmethod
    def from_mapping(cls, data: Any, *, today: datetime.date | None = None) -> "InclusionFilters":
        """From query parameters; blanks and malformed values fall back to the defaults."""
        today = today or timezone.localdate()
        try:
            as_of = datetime.date.fromisoformat(str(data.get("as_of") or ""))
        except ValueError:
            as_of = today
        if not date_in_range(as_of):
            as_of = today
        try:
            year = int(data.get("year") or as_of.year)
        except (TypeError, ValueError):
            year = as_of.year
        if not YEAR_MIN <= year <= YEAR_MAX:
            year = as_of.year
        state = data.get("state") or None
        return cls(
            as_of=as_of,
            year=year,
            region=data.get("region") or None,
            state=state if state in InclusionState.CHOICES else None,
            q=data.get("q") or None,
        )


def _annotated(user: User, filters: InclusionFilters) -> QuerySet[Project]:
    qs = permissions.visible_projects(user).filter(year=filters.year, pipeline=Pipeline.SCHEDULED)
    if filters.region:
        qs = qs.filter(region__code=filters.region)
    qs = qs.filter(project_search_q(filters.q))
    qs, inclusion = of_city(qs, user.city_id)
    due = inclusion_due_q(as_of=filters.as_of)
    included = included_q(as_of=filters.as_of, relation=inclusion)
    return qs.annotate(
        is_due=Case(When(due, then=Value(True)), default=Value(False), output_field=BooleanField()),
        is_included=Case(When(included, then=Value(True)), default=Value(False), output_field=BooleanField()),
        included_on=F(f"{inclusion}__included_on"),
        statistics_code=Coalesce(F(f"{inclusion}__statistics_code"), Value("")),
    )


_STATE_FILTERS = {
    InclusionState.DUE: {"is_due": True},
    InclusionState.INCLUDED: {"is_included": True},
    InclusionState.MISSING: {"is_due": True, "is_included": False},
    InclusionState.NOT_DUE: {"is_due": False},
}


def inclusion_list(*, user: User, filters: InclusionFilters) -> QuerySet[Project]:
    """The year's scheduled projects the user may see, each annotated with `is_due` and
    `is_included` as of the filter's date; missing ones (应纳未纳) first, longest-started first."""
    qs = _annotated(user, filters)
    if filters.state:
        qs = qs.filter(**_STATE_FILTERS[filters.state])
    missing_first = Case(When(is_due=True, is_included=False, then=Value(0)), default=Value(1))
    return qs.select_related("region", "owner").order_by(
        missing_first, "actual_start", "-total_investment", "id"
    )


@dataclass(frozen=True)
class InclusionCount:
    region_code: str
    region_name: str
    due: int
    included: int
    missing: int

    @property
    def rate(self) -> Decimal | None:
        """纳统率: included among those that should be, or None when none should be."""
        if not self.due:
            return None
        return Decimal(self.due - self.missing) / Decimal(self.due)


def inclusion_summary(*, user: User, filters: InclusionFilters) -> list[InclusionCount]:
    """Per county-level unit: should be included, included, and missing (应纳未纳), in region order.
    `included` counts every included project; the rate counts those that should be and are."""
    rows = (
        _annotated(user, filters)
        .order_by()
        .values("region__code", "region__name", "region__sort_order")
        .annotate(
            due=Count("id", filter=Q(is_due=True)),
            included=Count("id", filter=Q(is_included=True)),
            missing=Count("id", filter=Q(is_due=True, is_included=False)),
        )
        .order_by("region__sort_order", "region__code")
    )
    return [
        InclusionCount(r["region__code"], r["region__name"], r["due"], r["included"], r["missing"])
        for r in rows
    ]


def inclusion_totals(rows: list[InclusionCount]) -> InclusionCount:
    return InclusionCount(
        "",
        _("合计"),
        sum(r.due for r in rows),
        sum(r.included for r in rows),
        sum(r.missing for r in rows),
    )
