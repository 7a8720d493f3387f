"""The project list's tallies (`ProjectTally`): per city, region and year, the number of projects and
their total and annual investment. A slice is recounted whenever a project in it (before or after the
write) is saved, deleted, bulk-created or updated in bulk; `rebuild` recounts whole cities. A write of many
projects one by one (an import) recounts each slice once, at the end, inside `tallies_held()`."""

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import Coalesce

from .models import TALLY_KEY, Project, ProjectTally

SUMS = {
    "projects": Count("pk"),
    "total_investment": Coalesce(Sum("total_investment"), Decimal(0)),
    "annual_investment": Coalesce(Sum("annual_investment"), Decimal(0)),
}


_held = threading.local()


@contextmanager
def tallies_held() -> Iterator[None]:
    """Gather the slices the projects saved inside the block touch, and recount each once when the block
    ends without error (use it inside the writes' transaction: a failed block's writes are rolled back)."""
    if getattr(_held, "keys", None) is not None:
        yield
        return
    keys: set[tuple] = set()
    _held.keys = keys
    try:
        yield
    finally:
        _held.keys = None
    refresh_tallies(keys)


@transaction.atomic
def refresh_tallies(keys: Iterable[tuple]) -> None:
    """Recount the slices (city id, region id, year) from their projects."""
    for city_id, region_id, year in keys:
        key = {"city_id": city_id, "region_id": region_id, "year": year}
        sums = Project.objects.filter(**key).aggregate(**SUMS)
        if sums["projects"]:
            ProjectTally.objects.update_or_create(**key, defaults=sums)
        else:
            ProjectTally.objects.filter(**key).delete()


def project_written(sender: type[Project], instance: Project, raw: bool = False, **kwargs: Any) -> None:
    """After a project is saved or deleted: recount its slice, and the one it left."""
    if raw:
        return
    now = instance.tally_values()
    if "created" in kwargs and now == instance.tallied:
        return  # nothing the tallies read has changed
    keys = {now[: len(TALLY_KEY)]}
    if instance.tallied is not None:
        keys.add(instance.tallied[: len(TALLY_KEY)])
    held = getattr(_held, "keys", None)
    if held is not None:
        held |= keys
    else:
        refresh_tallies(keys)
    instance.tallied = now if "created" in kwargs else None


@transaction.atomic
def rebuild(city_ids: list[int] | None) -> int:
    """Recount every slice of the given cities (all, for None): the number of tallies written."""
    projects = Project.objects.all() if city_ids is None else Project.objects.filter(city_id__in=city_ids)
    tallies = (
        ProjectTally.objects.all() if city_ids is None else ProjectTally.objects.filter(city_id__in=city_ids)
    )
    tallies.delete()
    rows = projects.order_by().values(*TALLY_KEY).annotate(**SUMS)
    return len(ProjectTally.objects.bulk_create(ProjectTally(**row) for row in rows))
