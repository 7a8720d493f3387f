"""Reminders of monthly dispatch: before a round's window closes, and once it has closed, tell each
owner with projects still unreported and each county officer of a county with missing reports.

Run daily (`keyprojects sendreminders`, or the `send_reminders` task); every notification carries a
key per round, phase and user, so running it again the same day, or every day of the reminder period,
sends nothing new."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from keyprojects.accounts.models import Role, User
from keyprojects.notifications.services import notify
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import visible_projects

from . import permissions
from .models import DispatchRound, MonthlyReport, ProgressSettings
from .selectors import round_access

KIND_BEFORE_CLOSE = "report_due"
KIND_CLOSED = "report_missing"
KIND_URGED = "report_urged"


class Phase:
    BEFORE_CLOSE = "before_close"
    CLOSED = "closed"


@dataclass(frozen=True)
class ReminderRun:
    dispatch_round: DispatchRound
    phase: str
    missing: int  # projects of the round without a report
    notified: int  # notifications sent by this run (0 when all were sent before)


def unreported_projects(dispatch_round: DispatchRound) -> QuerySet[Project]:
    """The round's projects that have no report for its month (a returned one counts as reported:
    its reporter already has it back with the reason)."""
    reported = MonthlyReport.objects.filter(
        dispatch_round=dispatch_round, project=OuterRef("pk"), is_current=True
    )
    return dispatch_round.projects.exclude(Exists(reported))


def _due_rounds(today: datetime.date) -> list[tuple[DispatchRound, str]]:
    """In each city, the open round when its close is N days away or less (the city's N), and the
    round that closed last."""
    due: list[tuple[DispatchRound, str]] = []
    windows = ProgressSettings.book()
    cities = DispatchRound.objects.order_by("city_id").values_list("city_id", flat=True).distinct()
    for city_id in cities:
        rounds = DispatchRound.objects.filter(city_id=city_id)
        days = windows.of(city_id).remind_days_before_close
        open_round = (
            rounds.filter(
                opens_on__lte=today,
                closes_on__gte=today,
                closes_on__lte=today + datetime.timedelta(days=days),
            )
            .order_by("closes_on")
            .first()
        )
        if open_round is not None:
            due.append((open_round, Phase.BEFORE_CLOSE))
        closed = rounds.filter(closes_on__lt=today).order_by("-closes_on", "-id").first()
        if closed is not None:
            due.append((closed, Phase.CLOSED))
    return due


def _message(dispatch_round: DispatchRound, phase: str, count: int) -> tuple[str, str]:
    closes = _("%(month)s月%(day)s日") % {
        "month": dispatch_round.closes_on.month,
        "day": dispatch_round.closes_on.day,
    }
    if phase == Phase.BEFORE_CLOSE:
        title = _("%(title)s月报即将截止") % {"title": dispatch_round.title}
        body = _("本期月报将于%(closes)s截止，尚有%(count)s个项目未报") % {"closes": closes, "count": count}
    else:
        title = _("%(title)s月报已截止") % {"title": dispatch_round.title}
        body = _("本期月报已于%(closes)s截止，仍有%(count)s个项目未报，请尽快补报") % {
            "closes": closes,
            "count": count,
        }
    return title, body


def _recipients(missing: list[Project]) -> dict[User, int]:
    """Each owner and county officer concerned, with how many of the missing projects are theirs."""
    counts: Counter[User] = Counter()
    by_owner: Counter[int] = Counter(p.owner_id for p in missing if p.owner_id is not None)
    for owner in User.objects.filter(role=Role.PROJECT_OWNER, is_active=True, organization_id__in=by_owner):
        counts[owner] = by_owner[owner.organization_id or 0]
    missing_ids = [p.pk for p in missing]
    cities = {p.city_id for p in missing}
    for officer in User.objects.filter(
        role=Role.COUNTY_OFFICER, is_active=True, organization__city_id__in=cities
    ).select_related("organization__region"):
        mine = visible_projects(officer).filter(pk__in=missing_ids).count()
        if mine:
            counts[officer] = mine
    return dict(counts)


def send_round_reminders(dispatch_round: DispatchRound, phase: str) -> ReminderRun:
    missing = list(unreported_projects(dispatch_round).only("id", "owner_id", "region_id", "city_id"))
    sent = 0
    url = reverse("progress:round", args=[dispatch_round.pk])
    for user, count in _recipients(missing).items():
        title, body = _message(dispatch_round, phase, count)
        kind = KIND_BEFORE_CLOSE if phase == Phase.BEFORE_CLOSE else KIND_CLOSED
        key = f"dispatch:{dispatch_round.pk}:{phase}"
        if notify(recipient=user, kind=kind, title=title, body=body, url=url, dedup_key=key) is not None:
            sent += 1
    return ReminderRun(dispatch_round, phase, len(missing), sent)


def send_reminders(*, today: datetime.date | None = None) -> list[ReminderRun]:
    """Everything due on `today` (default: today)."""
    today = today or timezone.localdate()
    return [send_round_reminders(r, phase) for r, phase in _due_rounds(today)]


@dataclass(frozen=True)
class UrgeRun:
    projects: int  # the round's projects the user sees that are unreported or returned
    urged: int  # of those, the projects whose people were told now (not already today)
    notified: int


def _county_officers(city_id: int) -> list[User]:
    return list(
        User.objects.filter(
            role=Role.COUNTY_OFFICER, is_active=True, organization__city_id=city_id
        ).select_related("organization__region")
    )


@transaction.atomic
def round_urge(*, user: User, round_id: int, today: datetime.date | None = None) -> UrgeRun:
    """催报: tell the owners of the round's projects that the user sees and that have no report yet, or
    one returned and not sent again, and the officers of their county. A project is urged once a day:
    the same click again that day tells no one twice (a key per project and day)."""
    if not permissions.can_review_anything(user):
        raise PermissionDenied(_("只有县（市、区）和市重点项目办可以催报"))
    dispatch_round = round_access(user, round_id)
    today = today or timezone.localdate()
    returned = MonthlyReport.objects.filter(
        dispatch_round=dispatch_round,
        project=OuterRef("pk"),
        is_current=True,
        status=MonthlyReport.Status.RETURNED,
    )
    reported = MonthlyReport.objects.filter(
        dispatch_round=dispatch_round, project=OuterRef("pk"), is_current=True
    )
    projects = list(
        visible_projects(user, dispatch_round.projects.all())
        .filter(Q(Exists(returned)) | ~Q(Exists(reported)))
        .select_related("region")
        .annotate(was_returned=Exists(returned))
        .order_by("id")
    )
    owners: dict[int, list[User]] = {}
    for owner in User.objects.filter(
        role=Role.PROJECT_OWNER, is_active=True, organization_id__in={p.owner_id for p in projects}
    ):
        owners.setdefault(owner.organization_id or 0, []).append(owner)
    officers = _county_officers(dispatch_round.city_id) if projects else []
    urged = notified = 0
    for project in projects:
        county = [
            o
            for o in officers
            if o.organization and project.region.path.startswith(o.organization.region.path)
        ]
        names = {"project": project.name, "round": dispatch_round.title}
        title = _("催报：%(project)s %(round)s月报") % names
        body = (
            _("月报被退回后尚未重新提交，请尽快修改后提交。")
            if project.was_returned
            else _("本期月报尚未填报，请尽快填报。")
        )
        url = reverse("projects:detail", args=[project.pk])
        sent = sum(
            notify(
                recipient=person,
                kind=KIND_URGED,
                title=title,
                body=body,
                url=url,
                dedup_key=f"urge:{project.pk}:{today.isoformat()}",
            )
            is not None
            for person in [*owners.get(project.owner_id or 0, []), *county]
            if person.pk != user.pk
        )
        urged += sent > 0
        notified += sent
    return UrgeRun(len(projects), urged, notified)


@task()
def send_reminders_task(today: str | None = None) -> int:
    """The daily job for a task worker; answers how many notifications were sent."""
    day = datetime.date.fromisoformat(today) if today else None
    return sum(run.notified for run in send_reminders(today=day))
