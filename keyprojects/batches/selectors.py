"""Reads of the batches (集中开工, 观摩): those of the user's city (the province office's: of every
city), each with its announced totals and the totals of its projects the user may see."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import has_project_access, require_project_access, visible_projects

from .models import Batch

ZERO = Decimal(0)
CENTS = Decimal("0.01")


@dataclass(frozen=True)
class BatchSummary:
    id: int
    kind: str
    kind_label: str
    name: str
    held_on: datetime.date
    venue: str
    venue_project: int | None
    venue_project_name: str
    region_name: str
    announced_count: int | None
    announced_investment: Decimal | None
    project_count: int  # its projects the reader sees on the platform
    total_investment: Decimal  # and their total investment (万元)


def visible_batches(user: User) -> QuerySet[Batch]:
    if not has_project_access(user):
        return Batch.objects.none()
    if user.city_id is None:
        return Batch.objects.all()
    return Batch.objects.filter(city_id=user.city_id)


def batch_list(*, user: User, kind: str | None = None, region: str | None = None) -> list[BatchSummary]:
    """The batches, the latest first, each with the count and investment of its projects the user sees
    (one query for them all); with `region`, those with a project in that county."""
    batches = visible_batches(user)
    if kind:
        batches = batches.filter(kind=kind)
    if region:
        batches = batches.filter(projects__region__code=region).distinct()
    return [_summary(batch) for batch in _with_totals(user, batches).order_by("-held_on", "-id")]


def _with_totals(user: User, batches: QuerySet[Batch]) -> QuerySet[Batch]:
    seen = Q(projects__in=visible_projects(user).values("pk"))
    return (
        Batch.objects.filter(pk__in=batches.values("pk"))
        .select_related("venue_project", "region")
        .annotate(
            n=Count("projects", filter=seen),
            total=Coalesce(Sum("projects__total_investment", filter=seen), ZERO),
        )
    )


def _summary(batch: Batch) -> BatchSummary:
    venue = batch.venue_project
    return BatchSummary(
        id=batch.pk,
        kind=batch.kind,
        kind_label=str(batch.get_kind_display()),
        name=batch.name,
        held_on=batch.held_on,
        venue=batch.venue,
        venue_project=venue.pk if venue else None,
        venue_project_name=venue.name if venue else "",
        region_name=batch.region.name if batch.region else "",
        announced_count=batch.announced_count,
        announced_investment=batch.announced_investment,
        project_count=batch.n,  # type: ignore[attr-defined]
        total_investment=Decimal(batch.total).quantize(CENTS),  # type: ignore[attr-defined]
    )


def latest_batch(*, user: User, region: str | None = None) -> BatchSummary | None:
    """The latest batch (of either kind) the dashboard shows."""
    rows = batch_list(user=user, region=region)
    return rows[0] if rows else None


def batch_access(user: User, batch_id: int) -> BatchSummary:
    """A batch the user may see; missing and hidden both answer 404."""
    require_project_access(user)
    batch = _with_totals(user, visible_batches(user).filter(pk=batch_id)).first()
    if batch is None:
        raise Http404(_("该批次不存在"))
    return _summary(batch)


def batch_projects(*, user: User, batch_id: int) -> QuerySet[Project]:
    """The batch's projects the user sees, the largest first."""
    return (
        visible_projects(user)
        .filter(batches=batch_id)
        .select_related("region")
        .order_by("-total_investment", "pk")
    )


def batch_of_city(user: User, batch_id: int) -> Batch:
    """The batch of the user's own city, to change it; another city's answers 404 like a missing one."""
    batch = Batch.objects.filter(city_id=user.city_id, pk=batch_id).first()
    if batch is None or user.city_id is None:
        raise Http404(_("该批次不存在"))
    return batch
