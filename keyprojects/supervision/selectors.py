"""Reads of supervision notices, scoped to what the user may see: the city office's list with its filters
and the overdue count per receiver, and a receiver's inbox (what it must answer, overdue first)."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from keyprojects.accounts.models import User
from keyprojects.projects.selectors import project_search_q

from . import permissions
from .models import AWAITING, NoticeStatus, SupervisionNotice


@dataclass(frozen=True)
class NoticeFilter:
    status: str | None = None
    source: str | None = None
    receiver: int | None = None
    project: int | None = None
    overdue: bool | None = None
    q: str | None = None  # the search box (`project_search_q`)


def overdue_q(today: datetime.date) -> Q:
    """Awaiting the receiver's answer past its deadline."""
    return Q(status__in=AWAITING, deadline__lt=today)


def is_overdue(notice: SupervisionNotice, today: datetime.date) -> bool:
    return notice.status in AWAITING and notice.deadline < today


def notice_list(*, user: User, filters: NoticeFilter, today: datetime.date) -> QuerySet[SupervisionNotice]:
    qs = permissions.visible_notices(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.receiver is not None:
        qs = qs.filter(receiver_id=filters.receiver)
    if filters.project is not None:
        qs = qs.filter(project_id=filters.project)
    if filters.overdue is True:
        qs = qs.filter(overdue_q(today))
    elif filters.overdue is False:
        qs = qs.exclude(overdue_q(today))
    qs = qs.filter(project_search_q(filters.q, field="project"))
    return qs.select_related("project", "receiver").order_by("-issued_on", "-id")


def inbox(*, user: User, today: datetime.date) -> QuerySet[SupervisionNotice]:
    """The notices sent to the user's organisation that wait for its answer: overdue first, then sent back,
    then by deadline."""
    return (
        permissions.visible_notices(user)
        .filter(receiver_id=user.organization_id or 0, status__in=AWAITING)
        .annotate(
            urgency=Case(
                When(deadline__lt=today, then=Value(0)),
                When(status=NoticeStatus.RETURNED, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .select_related("project", "receiver")
        .order_by("urgency", "deadline", "id")
    )


@dataclass(frozen=True)
class ReceiverCount:
    receiver_id: int
    name: str
    awaiting: int
    overdue: int


def overdue_by_receiver(*, user: User, today: datetime.date) -> list[ReceiverCount]:
    """Per receiver with notices overdue, how many wait for its answer and how many of them are overdue;
    the most overdue first."""
    rows = (
        permissions.visible_notices(user)
        .filter(status__in=AWAITING)
        .order_by()
        .values("receiver_id", "receiver__name")
        .annotate(awaiting=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
        .filter(overdue__gt=0)
    )
    counts = [ReceiverCount(r["receiver_id"], r["receiver__name"], r["awaiting"], r["overdue"]) for r in rows]
    return sorted(counts, key=lambda c: (-c.overdue, c.name))


def notices_of(*, user: User, **source: object) -> QuerySet[SupervisionNotice]:
    """The notices the user sees issued from one record (`warning=`, `blocker=` or `decision=`)."""
    return (
        permissions.visible_notices(user)
        .filter(**source)
        .select_related("receiver")
        .order_by("issued_on", "id")
    )
