"""Writes of the batches: record a batch of the user's city with its projects."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError
from keyprojects.projects.models import Project

from .models import Batch


@transaction.atomic
def batch_record(
    *,
    user: User,
    kind: str,
    name: str,
    held_on: datetime.date,
    venue: str = "",
    venue_project_id: int | None = None,
    announced_count: int | None = None,
    announced_investment: Decimal | None = None,
    project_ids: Iterable[int] = (),
) -> Batch:
    """Create or update (by its name) a batch of the user's city; its projects must be of that city."""
    city_id = user.city_id
    ids = set(project_ids) | ({venue_project_id} if venue_project_id else set())
    projects = list(Project.objects.filter(city_id=city_id, pk__in=ids).select_related("region"))
    if city_id is None or len(projects) != len(ids):
        raise ApplicationError(_("请修正标出的错误"), errors={"projects": [_("只能选择本市的项目")]})
    venue_project = next((p for p in projects if p.pk == venue_project_id), None)
    batch, _created = Batch.objects.update_or_create(
        city_id=city_id,
        name=name.strip(),
        defaults={
            "kind": kind,
            "held_on": held_on,
            "venue": venue.strip(),
            "venue_project": venue_project,
            "region": venue_project.region if venue_project else None,
            "announced_count": announced_count,
            "announced_investment": announced_investment,
        },
    )
    batch.projects.set(projects)
    return batch
