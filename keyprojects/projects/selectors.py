"""Reads of the project registry, already scoped to the user asking."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from keyprojects.accounts.access import project_filter, sees_by_region
from keyprojects.accounts.models import User
from keyprojects.core import conflicts
from keyprojects.core.history import HistoryText

from . import permissions, search
from .events import dictionary_labels, event_field_label, event_text
from .models import Project, ProjectEvent, ProjectTally
from .vocabulary import city_vocabulary

FILTER_FIELDS = (
    "city", "region", "level", "category", "chain", "stage", "pipeline", "year", "list_kind", "owner", "leader",
)  # fmt: skip
SORTS = {
    "investment": ("-total_investment", "id"),
    "-investment": ("total_investment", "id"),
    "annual": ("-annual_investment", "id"),
    "name": ("name", "id"),
    "start": ("planned_start", "id"),
    "updated": ("-updated_at", "-id"),
    "region": ("region__sort_order", "-total_investment", "id"),
}
DEFAULT_SORT = "investment"


@dataclass(frozen=True)
class ProjectFilters:
    city: str | None = None  # a city's code: the province office's slice of one of its cities
    region: str | None = None  # the region's code
    level: str | None = None
    category: str | None = None
    chain: str | None = None  # the industrial chain's code
    stage: str | None = None
    pipeline: str | None = None
    year: int | None = None
    list_kind: str | None = None
    owner: int | None = None
    leader: int | None = None  # the 包保 leader's account
    q: str | None = None
    sort: str = DEFAULT_SORT

    @classmethod
    def from_mapping(cls, data: Any) -> "ProjectFilters":
        """Build from query parameters, ignoring blanks and values of the wrong type."""
        values: dict[str, Any] = {}
        for name in (*FILTER_FIELDS, "q", "sort"):
            raw = data.get(name)
            if raw in (None, ""):
                continue
            if name in {"year", "owner", "leader"}:
                try:
                    values[name] = int(raw)
                except (TypeError, ValueError):
                    continue
            else:
                values[name] = str(raw)
        if values.get("sort") not in SORTS:
            values.pop("sort", None)
        return cls(**values)


def project_list(*, user: User, filters: ProjectFilters | None = None) -> QuerySet[Project]:
    filters = filters or ProjectFilters()
    qs = permissions.visible_projects(user).select_related("region", "owner")
    if filters.city:
        qs = qs.filter(city__code=filters.city)
    if filters.region:
        qs = qs.filter(region__code=filters.region)
    if filters.chain:
        qs = qs.filter(chain__code=filters.chain)
    for name in ("level", "category", "stage", "pipeline", "year", "list_kind"):
        value = getattr(filters, name)
        if value is not None:
            qs = qs.filter(**{name: value})
    if filters.owner is not None:
        qs = qs.filter(owner_id=filters.owner)
    if filters.leader is not None:
        qs = qs.filter(leader_id=filters.leader)
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    if search.query_words(filters.q):
        return qs.filter(project_search_q(filters.q)).order_by(search.rank(filters.q or ""), *order)
    return qs.order_by(*order)


def project_search_q(q: str | None, *, field: str = "pk") -> Q:
    """What the search box `q` finds, as a filter of projects (or, through `field`, e.g. ``"project"``,
    of rows of projects): a subquery of the search index, the same on every list; none for a blank
    query. The words match in any order (`search.py` states the rule)."""
    words = search.query_words(q)
    if not words:
        return Q()
    return Q(**{f"{field}__in": search.matching_rows(words).values("project_id")})


@dataclass(frozen=True)
class ProjectTotals:
    count: int
    total_investment: Decimal
    annual_investment: Decimal


TALLIED_FILTERS = frozenset({"region", "year"})  # the filters a tally answers (`ProjectTally`)


def _tallies(user: User, filters: ProjectFilters) -> QuerySet[ProjectTally] | None:
    """The tallies that add up to the user's slice, when they can (what the user sees is whole regions,
    and only the region and the year are filtered); else None."""
    used = {name for name in (*FILTER_FIELDS, "q") if getattr(filters, name) not in (None, "")}
    if not sees_by_region(user) or not used <= TALLIED_FILTERS:
        return None
    tallies = ProjectTally.objects.filter(project_filter(user))
    if filters.region:
        tallies = tallies.filter(region__code=filters.region)
    if filters.year is not None:
        tallies = tallies.filter(year=filters.year)
    return tallies


def project_totals(*, user: User, filters: ProjectFilters, projects: QuerySet[Project]) -> ProjectTotals:
    """How many `projects` (the user's list with `filters`) and their total and annual investment: from
    the tallies when they answer it, else from the projects."""
    tallies = _tallies(user, filters)
    if tallies is not None:
        row = tallies.aggregate(
            count=Coalesce(Sum("projects"), 0),
            total=Coalesce(Sum("total_investment"), Decimal(0)),
            annual=Coalesce(Sum("annual_investment"), Decimal(0)),
        )
    else:
        row = projects.order_by().aggregate(
            count=Count("id"),
            total=Coalesce(Sum("total_investment"), Decimal(0)),
            annual=Coalesce(Sum("annual_investment"), Decimal(0)),
        )
    return ProjectTotals(row["count"], row["total"], row["annual"])


def project_count(*, user: User, filters: ProjectFilters, projects: QuerySet[Project]) -> int:
    """How many `projects` (the user's list with `filters`): from the tallies when they answer it, else
    counted."""
    tallies = _tallies(user, filters)
    if tallies is None:
        return projects.order_by().count()
    return tallies.aggregate(count=Coalesce(Sum("projects"), 0))["count"]


def list_years(*, user: User) -> list[int]:
    """The years the user's list holds projects of, newest first (the year filter's choices)."""
    tallies = _tallies(user, ProjectFilters())
    source = permissions.visible_projects(user) if tallies is None else tallies
    return list(source.order_by("-year").values_list("year", flat=True).distinct())


@dataclass(frozen=True)
class HistoryRow:
    event: ProjectEvent
    field_label: str
    old: str
    new: str


def last_savers(*, project: Project, fields: Iterable[str]) -> dict[str, tuple[str, datetime.datetime]]:
    """Who last saved each of `fields` of the project, and when."""
    return conflicts.last_savers(
        project.events.filter(field__in=list(fields)).select_related("actor").order_by("-created_at", "-id")
    )


def project_history(*, project: Project) -> list[HistoryRow]:
    """The project's history, newest first, as text in the reader's language."""
    events = list(project.events.select_related("actor").order_by("-created_at", "-id"))
    text = HistoryText(value for event in events for value in (event.old, event.new))
    dictionary = dictionary_labels(city_vocabulary(project.city_id), project.city_id)
    return [
        HistoryRow(
            event,
            event_field_label(event.field),
            event_text(text, event.field, event.old, dictionary=dictionary),
            event_text(text, event.field, event.new, dictionary=dictionary),
        )
        for event in events
    ]
