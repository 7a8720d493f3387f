"""Reads of the factor guarantee, scoped to the reader: the command post (每类要素的总量、已配置、剩余和待保障
项目;每个项目尚缺什么), a project's demands and allocations, the ledger.

A demand is unmet while its allocations hold less than it asks for; the command post lists the unmet
demands of the projects the reader sees, the soonest needed first, in a fixed number of queries whatever
the number of pools, demands and projects (one per kind that waits, at most the dozen kinds)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum

from keyprojects.accounts.access import sees_whole_tenant
from keyprojects.accounts.models import User
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import visible_projects

from . import permissions
from .models import (
    UNMET,
    ZERO,
    FactorAllocation,
    FactorDemand,
    FactorKind,
    FactorLedgerEntry,
    FactorPool,
    unit_of,
)

WAITING_PER_KIND = 10
PROJECTS_SHOWN = 50
WAITING_VALUES = (
    "pk",
    "kind",
    "project_id",
    "project__name",
    "project__region__name",
    "amount",
    "allocated",
    "needed_by",
)


@dataclass(frozen=True)
class Waiting:
    """An unmet demand, as the command post and the API list it."""

    id: int
    kind: str
    project_id: int
    project_name: str
    region_name: str
    amount: Decimal
    allocated: Decimal
    needed_by: datetime.date
    overdue: bool

    @property
    def lacking(self) -> Decimal:
        return self.amount - self.allocated


@dataclass
class KindFigures:
    """One factor kind: the city's supply (its own pools: a county's sub-pool is carved from them), what is
    allocated and what remains in every pool, and the projects waiting on it."""

    kind: str
    pools: list[FactorPool] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    waiting_count: int = 0
    lacking: Decimal = ZERO

    @property
    def label(self) -> str:
        return str(FactorKind(self.kind).label)

    @property
    def unit(self) -> str:
        return unit_of(self.kind)

    @property
    def supply(self) -> Decimal:
        return sum((p.supply for p in self.pools if p.parent_id is None), ZERO)

    @property
    def allocated(self) -> Decimal:
        return sum((p.allocated for p in self.pools), ZERO)

    @property
    def remaining(self) -> Decimal:
        return sum((p.remaining for p in self.pools), ZERO)


@dataclass(frozen=True)
class ProjectLacks:
    """A project and what it still lacks, kind by kind, the soonest needed first."""

    project_id: int
    project_name: str
    region_name: str
    first_needed: datetime.date
    items: list[Waiting]


@dataclass(frozen=True)
class CommandPost:
    year: int
    years: list[int]
    kinds: list[KindFigures]
    projects: list[ProjectLacks]
    project_count: int


def unmet_demands(user: User) -> QuerySet[FactorDemand]:
    return permissions.visible_demands(user).filter(UNMET)


def waiting_of(row: dict, today: datetime.date) -> Waiting:
    """A demand read as `WAITING_VALUES`, overdue when it was needed before `today`."""
    return Waiting(
        row["pk"],
        row["kind"],
        row["project_id"],
        row["project__name"],
        row["project__region__name"],
        row["amount"],
        row["allocated"],
        row["needed_by"],
        row["needed_by"] < today,
    )


def command_post(
    *,
    user: User,
    year: int,
    today: datetime.date,
    waiting_per_kind: int = WAITING_PER_KIND,
    projects_shown: int = PROJECTS_SHOWN,
) -> CommandPost:
    """The command post of `year`'s pools, with every kind that has a pool or a waiting project."""
    pools = permissions.visible_pools(user)
    years = sorted({year, *pools.order_by().values_list("year", flat=True).distinct()}, reverse=True)
    kinds = {kind: KindFigures(kind) for kind in FactorKind.values}
    for pool in pools.filter(year=year).select_related("region"):
        kinds[pool.kind].pools.append(pool)
    unmet = unmet_demands(user)
    totals = (
        unmet.values("kind")
        .annotate(n=Count("pk"), short=Sum(F("amount") - F("allocated")))
        .values_list("kind", "n", "short")
    )
    for kind, count, lacking in totals:
        kinds[kind].waiting_count, kinds[kind].lacking = count, lacking
    # The soonest of each kind that waits, one read per kind down (city, kind, needed_by): a window over
    # every waiting demand cost a second at 100,000 projects, these a fraction of a millisecond.
    for figures in kinds.values():
        if figures.waiting_count:
            soonest = unmet.filter(kind=figures.kind).order_by("needed_by", "pk").values(*WAITING_VALUES)
            figures.waiting = [waiting_of(row, today) for row in soonest[:waiting_per_kind]]
    return CommandPost(
        year=year,
        years=years,
        kinds=[k for k in kinds.values() if k.pools or k.waiting_count],
        projects=projects_lacking(user=user, today=today, limit=projects_shown),
        project_count=unmet.order_by().values("project_id").distinct().count(),
    )


WALK = 500


def projects_lacking(*, user: User, today: datetime.date, limit: int = PROJECTS_SHOWN) -> list[ProjectLacks]:
    """The projects with unmet demands, the one that needs something soonest first, each with what it lacks.

    The first `limit` projects are found by walking the waiting demands in date order (`factor_unmet_by_date`)
    until that many projects have appeared, a few hundred rows at a time, instead of grouping them all."""
    unmet = unmet_demands(user)
    by_date = unmet.order_by("needed_by", "project_id", "pk").values_list("project_id", "needed_by")
    firsts: dict[int, datetime.date] = {}
    offset = 0
    while len(firsts) < limit:
        chunk = list(by_date[offset : offset + WALK])
        for project_id, needed_by in chunk:
            firsts.setdefault(project_id, needed_by)
        if len(chunk) < WALK:
            break
        offset += WALK
    shown = list(firsts.items())[:limit]
    items: dict[int, list[Waiting]] = {pk: [] for pk, _first in shown}
    for row in unmet.filter(project_id__in=list(items)).values(*WAITING_VALUES).order_by("needed_by", "pk"):
        items[row["project_id"]].append(waiting_of(row, today))
    return [
        ProjectLacks(pk, rows[0].project_name, rows[0].region_name, first, rows)
        for (pk, first), rows in ((pair, items[pair[0]]) for pair in shown)
    ]


def pool_list(
    *, user: User, kind: str | None = None, year: int | None = None, region: str | None = None
) -> QuerySet[FactorPool]:
    pools = permissions.visible_pools(user).select_related("region")
    if kind is not None:
        pools = pools.filter(kind=kind)
    if year is not None:
        pools = pools.filter(year=year)
    if region is not None:
        pools = pools.filter(region__code=region)
    return pools.order_by("-year", "kind", "region__path", "pk")


def sub_pools(pool: FactorPool) -> list[FactorPool]:
    return list(pool.children.select_related("region").order_by("region__sort_order", "region__code"))


def ledger(
    *, user: User, pool_id: int | None = None, project_id: int | None = None, kind: str | None = None
) -> QuerySet[FactorLedgerEntry]:
    """The ledger's entries (newest first) of the pools the reader sees; of the entries naming a project,
    those of the projects it sees (a pool's ledger is its city's, the projects in it not all the reader's)."""
    entries = FactorLedgerEntry.objects.filter(pool__in=permissions.visible_pools(user))
    if not sees_whole_tenant(user):
        entries = entries.filter(Q(project__isnull=True) | Q(project__in=visible_projects(user).values("pk")))
    if pool_id is not None:
        entries = entries.filter(pool_id=pool_id)
    if project_id is not None:
        entries = entries.filter(project_id=project_id)
    if kind is not None:
        entries = entries.filter(pool__kind=kind)
    return entries.select_related("pool", "pool__region", "project", "actor", "sub_pool__region").order_by(
        "-created_at", "-pk"
    )


def demand_list(
    *, user: User, project_id: int | None = None, kind: str | None = None, unmet: bool | None = None
) -> QuerySet[FactorDemand]:
    demands = permissions.visible_demands(user).select_related("project", "project__region")
    if project_id is not None:
        demands = demands.filter(project_id=project_id)
    if kind is not None:
        demands = demands.filter(kind=kind)
    if unmet is not None:
        demands = demands.filter(UNMET) if unmet else demands.exclude(UNMET)
    return demands.order_by("needed_by", "pk")


def allocation_list(
    *, user: User, project_id: int | None = None, pool_id: int | None = None
) -> QuerySet[FactorAllocation]:
    allocations = permissions.visible_allocations(user).select_related(
        "project", "pool", "pool__region", "allocated_by"
    )
    if project_id is not None:
        allocations = allocations.filter(project_id=project_id)
    if pool_id is not None:
        allocations = allocations.filter(pool_id=pool_id)
    return allocations.order_by("-allocated_at", "-pk")


def project_factors(project: Project) -> tuple[list[FactorDemand], list[FactorAllocation]]:
    """A project's demands (the soonest needed first) and its allocations (newest first)."""
    demands = list(project.factor_demands.order_by("needed_by", "pk"))
    allocations = list(
        project.factor_allocations.select_related("pool", "pool__region", "allocated_by").order_by(
            "-allocated_at", "-pk"
        )
    )
    return demands, allocations
