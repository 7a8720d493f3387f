"""The daily watch over open blockers: tell the responsible department when a deadline is near, tell it
and the handling office when it has passed, and move a blocker overdue for the city's number of working
days one step up its ladder (county → city coordination meeting → city leader).

Run daily (`keyprojects blockerwatch`, or the `watch_blockers_task` task). Every notification carries a
key per blocker, deadline and step, and a blocker climbs again only after as many more working days at
its new level, so running it twice the same day sends and moves nothing new."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from keyprojects.accounts.city_settings import SettingsBook
from keyprojects.notifications.services import notify
from keyprojects.schedule.workdays import add_workdays, workdays_between

from . import people
from .events import Kind, blocker_event
from .models import OPEN, Blocker, BlockerSettings, Decision, DecisionStatus
from .services import escalate


@dataclass(frozen=True)
class WatchRun:
    due_soon: int
    overdue: int
    escalated: int
    notified: int
    decisions_overdue: int = 0


def _send(blocker: Blocker, recipients: object, event: str, title: str, body: str) -> int:
    sent = 0
    url = reverse("blockers:detail", args=[blocker.pk])
    key = f"blocker:{blocker.pk}:{event}:{blocker.deadline}"
    for user in set(recipients):  # type: ignore[call-overload]
        if notify(recipient=user, kind=f"blocker.{event}", title=title, body=body, url=url, dedup_key=key):
            sent += 1
    return sent


def _climbs(blocker: Blocker, today: datetime.date, book: SettingsBook[BlockerSettings]) -> bool:
    rules = book.of(blocker.city_id)
    if blocker.deadline is None or rules.next_level(blocker.level) is None:
        return False
    since = max(blocker.deadline, blocker.level_since or blocker.deadline)
    return workdays_between(since, today) >= max(rules.escalate_after_workdays, 1)


def watch_blockers(*, today: datetime.date | None = None) -> WatchRun:
    """Everything due on `today` (default: today)."""
    today = today or timezone.localdate()
    book = BlockerSettings.book()
    due_soon = overdue = escalated = notified = 0
    blockers = (
        Blocker.objects.filter(status__in=OPEN, deadline__isnull=False)
        .select_related("project", "project__region")
        .order_by("pk")
    )
    for blocker in blockers.iterator(chunk_size=500):
        name = blocker.project.name
        if blocker.deadline < today:  # type: ignore[operator]
            overdue += 1
            title = _("%(project)s：问题已逾期") % {"project": name}
            body = _("办结期限%(deadline)s已过，请尽快办结") % {"deadline": blocker.deadline}
            recipients = [*people.handlers(blocker), *people.handling_office(blocker.project)]
            notified += _send(blocker, recipients, "overdue", title, body)
            if _climbs(blocker, today, book):
                with transaction.atomic():
                    locked = Blocker.objects.select_for_update().select_related("project").get(pk=blocker.pk)
                    if locked.status in OPEN and _climbs(locked, today, book):
                        blocker_event(blocker=locked, kind=Kind.OVERDUE, actor=None, deadline=locked.deadline)
                        escalate(
                            locked,
                            actor=None,
                            reason=_("逾期%(n)s个工作日未办结，自动提级")
                            % {"n": workdays_between(locked.deadline, today)},  # type: ignore[arg-type]
                            today=today,
                        )
                        locked.version += 1
                        locked.save()
                        escalated += 1
        elif blocker.deadline <= add_workdays(today, book.of(blocker.city_id).due_soon_workdays):  # type: ignore[operator]
            due_soon += 1
            title = _("%(project)s：问题临近办结期限") % {"project": name}
            body = _("请于%(deadline)s前办结") % {"deadline": blocker.deadline}
            notified += _send(blocker, people.handlers(blocker), "due_soon", title, body)
    late, told = _overdue_decisions(today)
    return WatchRun(due_soon, overdue, escalated, notified + told, late)


def _overdue_decisions(today: datetime.date) -> tuple[int, int]:
    """Tell each department of the meeting decisions it has not carried out by their date (once each)."""
    late = Decision.objects.filter(status=DecisionStatus.OPEN, deadline__lt=today).select_related("meeting")
    count = sent = 0
    for decision in late.order_by("pk"):
        count += 1
        url = reverse("blockers:inbox")
        title = _("%(meeting)s议定事项已逾期") % {"meeting": decision.meeting.title}
        body = _("%(text)s（完成时限%(deadline)s）") % {"text": decision.text, "deadline": decision.deadline}
        for user in people.department_people(decision.department_id):
            key = f"decision:{decision.pk}:overdue"
            if notify(
                recipient=user,
                kind="blocker.decision_overdue",
                title=title,
                body=body,
                url=url,
                dedup_key=key,
            ):
                sent += 1
    return count, sent


@task()
def watch_blockers_task(today: str | None = None) -> int:
    """The daily job for a task worker; answers how many notifications were sent."""
    day = datetime.date.fromisoformat(today) if today else None
    return watch_blockers(today=day).notified
