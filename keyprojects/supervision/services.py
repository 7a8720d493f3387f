"""Issuing a supervision notice and its loop: issued → answered → accepted, or sent back (returned) and
answered again. Every step is a `NoticeEvent` and tells the people concerned (kinds `supervision.<step>`).
A step the user may not take at all answers 403 (`permissions`); one the notice's state does not allow
answers 409 (`StateConflict`)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Organization, User
from keyprojects.accounts.selectors import require_city
from keyprojects.alerts.models import Color, ProjectWarning
from keyprojects.blockers import selectors as blocker_selectors
from keyprojects.blockers.models import Blocker, Decision, DecisionStatus
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.text import labelled
from keyprojects.notifications.services import notify
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.models import Project
from keyprojects.schedule.workdays import add_workdays

from . import people, permissions
from .events import Kind, notice_event
from .models import AWAITING, NoticeAction, NoticeSource, NoticeStatus, SupervisionNotice

MAX_DEADLINE_WORKDAYS = 120


class StateConflict(ApplicationError):
    """The notice's state does not allow the action (HTTP 409)."""

    status = 409


ALLOWED: dict[str, frozenset[str]] = {
    NoticeAction.ANSWER: AWAITING,
    NoticeAction.ACCEPT: frozenset({NoticeStatus.ANSWERED}),
    NoticeAction.RETURN: frozenset({NoticeStatus.ANSWERED}),
}


def _invalid(field: str, message: Message) -> ApplicationError:
    return ApplicationError(_("请修正标出的错误"), errors={field: [message]})


def allowed_actions(user: User, notice: SupervisionNotice) -> list[str]:
    """The actions this user may take on the notice now (for the page's buttons and the API)."""
    return [
        action
        for action in NoticeAction.values
        if notice.status in ALLOWED[action] and permissions.may_take(user, notice, action)
    ]


def _url(notice: SupervisionNotice) -> str:
    return reverse("supervision:detail", args=[notice.pk])


def tell(
    recipients: Iterable[User],
    notice: SupervisionNotice,
    step: str,
    title: str,
    body: str = "",
    *,
    actor: User | None = None,
    dedup_key: str = "",
) -> int:
    """Notify each recipient once, never the person who took the step; answers how many were told."""
    sent: set[int] = {actor.pk} if actor is not None else set()
    told = 0
    for user in recipients:
        if user.pk in sent:
            continue
        sent.add(user.pk)
        told += bool(
            notify(
                recipient=user,
                kind=f"supervision.{step}",
                title=title,
                body=body,
                url=_url(notice),
                dedup_key=dedup_key,
            )
        )
    return told


def title_of(notice: SupervisionNotice, what: str) -> str:
    return _("督办单 #%(n)s：%(what)s") % {"n": notice.pk, "what": what}


@transaction.atomic
def notice_issue(
    *,
    user: User,
    source: str,
    source_id: int,
    subject: str,
    receiver_id: int | None = None,
    deadline_workdays: int | None = None,
    deadline: datetime.date | None = None,
    today: datetime.date | None = None,
) -> SupervisionNotice:
    """Issue a notice from a red warning, an overdue blocker or a meeting decision past its date, to a
    county office or a department of the city (by default the one the source points at), due in
    `deadline_workdays` working days from `today` or on `deadline`."""
    permissions.require_issue(user)
    city_id = require_city(user)
    today = today or timezone.localdate()
    origin = resolve_source(user, source, source_id, today)
    errors: dict[str, list[Message]] = {}
    if not (subject or "").strip():
        errors["subject"] = [_("请填写督办事项")]
    receiver = (
        people.receivers(city_id).filter(pk=receiver_id).first()
        if receiver_id is not None
        else origin.receiver
    )
    if receiver is None:
        errors["receiver"] = [_("请选择本市的县（市、区）发改部门或职能部门")]
    due = _deadline(today, deadline_workdays, deadline, errors)
    if errors or receiver is None or due is None:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    notice = SupervisionNotice.objects.create(
        city_id=city_id,
        source=source,
        project=origin.project,
        receiver=receiver,
        origin=origin.summary,
        subject=subject.strip(),
        deadline_workdays=deadline_workdays,
        deadline=due,
        issued_by=user,
        issued_on=today,
        **{source: origin.record},
    )
    notice_event(
        notice=notice,
        kind=Kind.ISSUED,
        actor=user,
        text=notice.subject,
        receiver=receiver,
        deadline_workdays=deadline_workdays,
        deadline=due,
    )
    body = _("请于%(deadline)s前答复：%(subject)s") % {"deadline": due.isoformat(), "subject": notice.subject}
    tell(
        people.receiver_people(receiver.pk),
        notice,
        "issued",
        title_of(notice, _("新的督办事项")),
        body,
        actor=user,
    )
    return notice


@dataclass(frozen=True)
class Source:
    """The record a notice is issued from, its project, the receiver it points at, and what it says."""

    record: ProjectWarning | Blocker | Decision
    project: Project | None
    receiver: Organization | None
    summary: str


def resolve_source(user: User, source: str, source_id: int, today: datetime.date) -> Source:
    """The record a notice may be issued from now: a red warning in force, a blocker past its deadline, or
    a meeting decision not carried out by its date, which the user sees (else a field error)."""
    if source == NoticeSource.WARNING:
        warning = (
            project_permissions.visible_under_projects(user, ProjectWarning.objects.filter(pk=source_id))
            .select_related("project", "project__region")
            .first()
        )
        if warning is None or not warning.is_active or warning.color != Color.RED:
            raise _invalid("source_id", _("只能对当前的红灯预警下发督办单"))
        summary = labelled(warning.get_rule_display(), warning.message)
        return Source(warning, warning.project, _county_office(warning.project), summary)
    if source == NoticeSource.BLOCKER:
        blocker = (
            project_permissions.visible_under_projects(user, Blocker.objects.filter(pk=source_id))
            .filter(blocker_selectors.overdue_q(today))
            .select_related("project", "department")
            .first()
        )
        if blocker is None:
            raise _invalid("source_id", _("只能对逾期未办结的问题下发督办单"))
        summary = _("%(category)s：%(text)s（办结期限%(deadline)s）") % {
            "category": blocker.get_category_display(),
            "text": blocker.description,
            "deadline": blocker.deadline,
        }
        return Source(blocker, blocker.project, blocker.department, summary)
    if source == NoticeSource.DECISION:
        decision = (
            Decision.objects.filter(
                city_id=user.city_id, pk=source_id, status=DecisionStatus.OPEN, deadline__lt=today
            )
            .select_related("department", "meeting", "blocker__project")
            .first()
        )
        if decision is None:
            raise _invalid("source_id", _("只能对逾期未落实的会议议定事项下发督办单"))
        project = decision.blocker.project if decision.blocker is not None else None
        summary = _("%(meeting)s：%(text)s（完成时限%(deadline)s）") % {
            "meeting": decision.meeting.title,
            "text": decision.text,
            "deadline": decision.deadline,
        }
        return Source(decision, project, decision.department, summary)
    raise _invalid("source", _("请选择督办来源：红灯预警、逾期问题或会议议定事项"))


def _county_office(project: Project) -> Organization | None:
    """The county office whose region holds the project (the nearest one up its region's path)."""
    codes = [code for code in project.region.path.split("/") if code]
    offices = Organization.objects.filter(
        city_id=project.city_id, kind=Organization.Kind.COUNTY_OFFICE, region__code__in=codes
    ).select_related("region")
    return max(offices, key=lambda o: len(o.region.path), default=None)


def _deadline(
    today: datetime.date,
    workdays: int | None,
    date: datetime.date | None,
    errors: dict[str, list[Message]],
) -> datetime.date | None:
    if workdays is not None and date is not None:
        errors["deadline"] = [_("答复期限填写工作日数或日期其中之一")]
        return None
    if workdays is not None:
        if not 1 <= workdays <= MAX_DEADLINE_WORKDAYS:
            errors["deadline_workdays"] = [
                _("办理时限应在1到%(max)s个工作日之间") % {"max": MAX_DEADLINE_WORKDAYS}
            ]
            return None
        return add_workdays(today, workdays)
    if date is None:
        errors["deadline"] = [_("请填写答复期限（工作日数或日期）")]
        return None
    if date <= today or date > today + datetime.timedelta(days=365):
        errors["deadline"] = [_("答复期限应在今天之后一年之内")]
        return None
    return date


@transaction.atomic
def notice_act(
    *, user: User, notice_id: int, action: str, text: str = "", today: datetime.date | None = None
) -> SupervisionNotice:
    """The receiver answers; the city office accepts the answer or sends it back with a reason."""
    if action not in NoticeAction.values:
        raise _invalid("action", _("未知的操作"))
    notice = permissions.notice_access(user, notice_id, for_update=True)
    permissions.require_take(user, notice, action)
    if notice.status not in ALLOWED[action]:
        raise StateConflict(
            _("督办单当前状态为“%(status)s”，不能%(action)s")
            % {"status": notice.get_status_display(), "action": NoticeAction(action).label}
        )
    today = today or timezone.localdate()
    text = (text or "").strip()
    if action != NoticeAction.ACCEPT and not text:
        raise _invalid("text", _("请填写答复内容") if action == NoticeAction.ANSWER else _("请填写退回理由"))
    if action == NoticeAction.ANSWER:
        notice.status, notice.answer, notice.answered_on = NoticeStatus.ANSWERED, text, today
        notice_event(notice=notice, kind=Kind.ANSWERED, actor=user, text=text)
        recipients = [notice.issued_by, *people.city_office(notice.city_id)]
        tell(recipients, notice, "answered", title_of(notice, _("督办事项已答复，请审核")), text, actor=user)
    elif action == NoticeAction.RETURN:
        notice.status = NoticeStatus.RETURNED
        notice_event(notice=notice, kind=Kind.RETURNED, actor=user, text=text)
        title = title_of(notice, _("督办答复被退回，请重新答复"))
        tell(people.receiver_people(notice.receiver_id), notice, "returned", title, text, actor=user)
    else:
        notice.status, notice.accepted_on = NoticeStatus.ACCEPTED, today
        notice_event(notice=notice, kind=Kind.ACCEPTED, actor=user, text=text)
        title = title_of(notice, _("督办事项已办结"))
        tell(people.receiver_people(notice.receiver_id), notice, "accepted", title, text, actor=user)
    notice.version += 1
    notice.save()
    return notice
