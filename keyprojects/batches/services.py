"""Writes of the batches: record a batch of the user's city with its projects."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError
from keyprojects.projects.models import Project

from .models import Batch


@transaction.atomic
def batch_record(
    *,
    user: User,
    batch_id: int | None = None,
    kind: str,
    name: str,
    held_on: datetime.date,
    venue: str = "",
    venue_project_id: int | None = None,
    announced_count: int | None = None,
    announced_investment: Decimal | None = None,
    project_ids: Iterable[int] = (),
) -> Batch:
    """Record a batch of the user's city (the city office, `batch.manage`): change `batch_id`'s, else add
    one; its name is the city's only one of that name; its projects and main venue's project are the city's."""
    if not may(user, "batch.manage") or user.city_id is None:
        raise PermissionDenied(_("只有市重点项目办可以登记集中开工和观摩"))
    city_id = user.city_id
    name = name.strip()
    ids = set(project_ids) | ({venue_project_id} if venue_project_id else set())
    projects = list(Project.objects.filter(city_id=city_id, pk__in=ids).select_related("region"))
    errors: dict[str, list[str | Promise]] = {}
    if len(projects) != len(ids):
        errors["projects"] = [_("只能选择本市的项目")]
    if not name:
        errors["name"] = [_("请填写名称")]
    batches = Batch.objects.filter(city_id=city_id)
    batch = batches.filter(pk=batch_id).first() if batch_id else None
    if batch_id and batch is None:
        raise Http404(_("该批次不存在"))
    if batches.filter(name=name).exclude(pk=batch.pk if batch else 0).exists():
        errors["name"] = [_("本市已有同名的批次")]
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    batch = batch or Batch(city_id=city_id)
    venue_project = next((p for p in projects if p.pk == venue_project_id), None)
    batch.kind, batch.name, batch.held_on, batch.venue = kind, name, held_on, venue.strip()
    batch.venue_project = venue_project
    batch.region = venue_project.region if venue_project else None
    batch.announced_count, batch.announced_investment = announced_count, announced_investment
    batch.save()
    batch.projects.set(projects)
    return batch
