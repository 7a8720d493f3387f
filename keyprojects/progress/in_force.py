"""The figures in force (`FigureInForce`): which accepted version of each project's month counts on
each day. A month's rows are recomputed from its accepted reports whenever one of them is saved or
deleted, and a whole city's by `rebuild` (after bulk loads, and by `keyprojects rebuild`).

The rule is the one a reader expects of corrections: on a date, the highest version accepted by the
end of that day counts (a correction counts from the day it is accepted, the version it corrects
until then)."""

import datetime
from collections.abc import Iterable, Iterator
from itertools import groupby
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import FigureInForce, MonthlyReport

_ACCEPTED_FIELDS = ("pk", "city_id", "project_id", "month", "version", "total", "reviewed_at")


def figures_in_force(*, as_of: datetime.date | None = None) -> QuerySet[FigureInForce]:
    """One figure per project and month: the version in force at the end of `as_of` (or now)."""
    if as_of is None:
        return FigureInForce.objects.filter(in_force_until__isnull=True)
    return FigureInForce.objects.filter(
        Q(in_force_until__isnull=True) | Q(in_force_until__gt=as_of), in_force_from__lte=as_of
    )


def figures_of_month(accepted: Iterable[Any], model: type[Any] = FigureInForce) -> Iterator[Any]:
    """The rows (unsaved `model`s) of one project's month from its accepted reports, in the order they
    were accepted. A pure function of the reports' fields, so that a migration can run it on its
    historical models."""
    current = None
    top = 0
    for report in sorted(accepted, key=lambda r: (r.reviewed_at, r.version)):
        if report.version <= top:
            continue  # accepted after a newer version: never in force
        day = timezone.localtime(report.reviewed_at).date()
        if current is not None:
            current.in_force_until = day
            yield current
        top = report.version
        current = model(
            city_id=report.city_id,
            report_id=report.pk,
            project_id=report.project_id,
            month=report.month,
            total=report.total,
            in_force_from=day,
        )
    if current is not None:
        yield current


def _accepted() -> QuerySet[MonthlyReport]:
    return MonthlyReport.objects.filter(status=MonthlyReport.Status.ACCEPTED, reviewed_at__isnull=False)


@transaction.atomic
def refresh_month(*, city_id: int, project_id: int, month: datetime.date) -> None:
    """Recompute the figures of one project's month (after one of its reports is saved or deleted)."""
    FigureInForce.objects.filter(city_id=city_id, project_id=project_id, month=month).delete()
    accepted = _accepted().filter(city_id=city_id, project_id=project_id, month=month).only(*_ACCEPTED_FIELDS)
    FigureInForce.objects.bulk_create(figures_of_month(accepted))


@transaction.atomic
def rebuild(*, city_ids: Iterable[int] | None = None, batch_size: int = 5000) -> int:
    """Recompute the figures of the given cities (all, for None) from their accepted reports; the
    number of rows written."""
    existing = FigureInForce.objects.all()
    accepted = _accepted()
    if city_ids is not None:
        city_ids = list(city_ids)
        existing = existing.filter(city_id__in=city_ids)
        accepted = accepted.filter(city_id__in=city_ids)
    existing.delete()
    reports = accepted.order_by("project_id", "month").only(*_ACCEPTED_FIELDS).iterator(batch_size)
    written = 0
    batch: list[FigureInForce] = []
    for figure in figures_of(reports):
        batch.append(figure)
        if len(batch) >= batch_size:
            written += len(FigureInForce.objects.bulk_create(batch))
            batch = []
    written += len(FigureInForce.objects.bulk_create(batch))
    return written


def figures_of(accepted: Iterable[MonthlyReport]) -> Iterator[FigureInForce]:
    """The rows of accepted reports ordered by project and month (of a bulk load, or of `rebuild`)."""
    for _month, reports in groupby(accepted, key=lambda r: (r.project_id, r.month)):
        yield from figures_of_month(reports)
