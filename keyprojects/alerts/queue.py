"""Coalescing the refreshes of a few seconds: each change marks its project pending, and the first mark of
a quiet city queues one refresh of all its pending projects, run `DELAY` later (at once on a backend
that cannot defer, as in tests). A change during a refresh marks its project again and queues the next.
A refresh that fails leaves its projects pending for the next one, and the daily `refreshwarnings`
catches anything left."""

import datetime
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends

from .models import PendingRefresh, RefreshQueued
from .services import warnings_refresh

DELAY = datetime.timedelta(seconds=5)


def mark_pending(projects: Mapping[int, int]) -> set[int]:
    """Mark the projects pending (`projects`: each project's id to its city's, as the events name them);
    the cities whose refresh is to be queued now."""
    now = timezone.now()
    rows = [PendingRefresh(city_id=city_id, project_id=pk, queued_at=now) for pk, city_id in projects.items()]
    PendingRefresh.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["city", "project"], update_fields=["queued_at"]
    )
    cities = {row.city_id for row in rows}
    already = set(RefreshQueued.objects.filter(city_id__in=cities).values_list("city_id", flat=True))
    fresh = [RefreshQueued(city_id=city_id, queued_at=now) for city_id in cities - already]
    RefreshQueued.objects.bulk_create(fresh, ignore_conflicts=True)
    return {row.city_id for row in fresh}


def run_after() -> datetime.datetime | None:
    """When a queued refresh should run: `DELAY` from now, where the task backend can wait."""
    return timezone.now() + DELAY if task_backends["default"].supports_defer else None


def refresh_pending(city_id: int) -> int:
    """Refresh the city's pending projects; how many there were."""
    started = timezone.now()
    RefreshQueued.objects.filter(city_id=city_id).delete()  # from here, a change queues the next refresh
    with transaction.atomic():
        pending = PendingRefresh.objects.filter(city_id=city_id, queued_at__lte=started)
        ids = list(pending.values_list("project_id", flat=True))
        if ids:
            warnings_refresh(project_ids=ids)
            pending.filter(project_id__in=ids).delete()
    return len(ids)
