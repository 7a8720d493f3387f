"""The daily watch over notices awaiting an answer: tell the receiver's people when the deadline is near
(the city's due-soon window of `BlockerSettings`, in working days) and when it has passed, marking an
overdue notice once on its timeline. Every notification carries a key per notice, step and deadline, so
running it twice the same day sends nothing new."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from keyprojects.blockers.models import BlockerSettings
from keyprojects.schedule.workdays import add_workdays

from . import people
from .events import Kind, notice_event
from .models import AWAITING, SupervisionNotice
from .services import tell, title_of


@dataclass(frozen=True)
class WatchRun:
    due_soon: int
    overdue: int
    notified: int


def watch_notices(*, today: datetime.date | None = None) -> WatchRun:
    """Everything due on `today` (default: today)."""
    today = today or timezone.localdate()
    book = BlockerSettings.book()
    due_soon = overdue = notified = 0
    notices = SupervisionNotice.objects.filter(status__in=AWAITING).select_related("receiver").order_by("pk")
    for notice in notices.iterator(chunk_size=500):
        key = f"supervision:{notice.pk}:{{step}}:{notice.deadline}"
        recipients = people.receiver_people(notice.receiver_id)
        if notice.deadline < today:
            overdue += 1
            body = _("答复期限%(deadline)s已过，请尽快答复") % {"deadline": notice.deadline.isoformat()}
            with transaction.atomic():
                told = tell(
                    recipients,
                    notice,
                    "overdue",
                    title_of(notice, _("督办单已逾期")),
                    body,
                    dedup_key=key.format(step="overdue"),
                )
                if not notice.events.filter(
                    kind=Kind.OVERDUE, values__deadline__v=notice.deadline.isoformat()
                ).exists():
                    notice_event(notice=notice, kind=Kind.OVERDUE, actor=None, deadline=notice.deadline)
            notified += told
        elif notice.deadline <= add_workdays(today, book.of(notice.city_id).due_soon_workdays):
            due_soon += 1
            body = _("请于%(deadline)s前答复") % {"deadline": notice.deadline.isoformat()}
            notified += tell(
                recipients,
                notice,
                "due_soon",
                title_of(notice, _("督办单临近答复期限")),
                body,
                dedup_key=key.format(step="due_soon"),
            )
    return WatchRun(due_soon, overdue, notified)


@task()
def watch_notices_task(today: str | None = None) -> int:
    """The daily job for a task worker; answers how many notifications were sent."""
    day = datetime.date.fromisoformat(today) if today else None
    return watch_notices(today=day).notified
