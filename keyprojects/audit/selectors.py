"""Reading the audit trail: the one filter the page, its export and the API share."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditRecord


@dataclass(frozen=True)
class AuditFilters:
    person: str = ""  # a username or a person's name (the API: a username, exactly)
    exact_person: bool = False
    kind: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None  # inclusive
    object: str = ""


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_list(filters: AuditFilters) -> QuerySet[AuditRecord]:
    """The records matching `filters`, the latest first, with their actor."""
    rows = AuditRecord.objects.select_related("actor")
    if filters.person:
        if filters.exact_person:
            rows = rows.filter(username=filters.person)
        else:
            rows = rows.filter(
                Q(username__icontains=filters.person) | Q(actor__full_name__icontains=filters.person)
            )
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.since is not None:
        rows = rows.filter(at__gte=_day_start(filters.since))
    if filters.until is not None:
        rows = rows.filter(at__lt=_day_start(filters.until + datetime.timedelta(days=1)))
    if filters.object:
        text = filters.object
        rows = rows.filter(
            Q(object_text__icontains=text)
            | Q(object_model=text.lower())
            | Q(object_pk=text)
            | Q(path__icontains=text)
        )
    return rows.order_by("-seq")
