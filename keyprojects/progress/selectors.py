"""Reads of dispatch rounds and monthly reports."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from .models import MonthlyReport


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of `day` in the platform's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def reports_in_force(*, as_of: datetime.date | None = None) -> QuerySet[MonthlyReport]:
    """The figures that count, one report per project and month: the highest version accepted by the
    end of `as_of` (or by now). A correction counts only once it is accepted; reports submitted or
    accepted after `as_of` change nothing about that date."""
    accepted = MonthlyReport.objects.filter(status=MonthlyReport.Status.ACCEPTED)
    if as_of is not None:
        accepted = accepted.filter(reviewed_at__lte=end_of_day(as_of))
    newer = accepted.filter(project=OuterRef("project"), month=OuterRef("month"), version__gt=OuterRef("version"))
    return accepted.exclude(Exists(newer))
