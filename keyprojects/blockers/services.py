"""The blocker's closed loop: raised → accepted → assigned → in progress → resolved → rated → closed
(or returned), climbing the ladder county → city coordination meeting → city leader when it stalls.

Every step is a `BlockerEvent` and tells the people concerned (`notifications.services.notify`, kinds
`blocker.<event>`). A step the user may not take at all answers 403 (`permissions`); one the
blocker's state does not allow answers 409 (`StateConflict`)."""

import datetime
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.city_settings import settings_update
from keyprojects.accounts.models import Organization, User
from keyprojects.accounts.selectors import require_city
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.notifications.services import notify
from keyprojects.progress.models import MonthlyReport
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.locks import locked_under_project
from keyprojects.schedule.workdays import add_workdays

from . import people, permissions
from .events import Kind, blocker_event
from .models import (
    OPEN,
    Action,
    AgendaItem,
    Blocker,
    BlockerAttachment,
    BlockerSettings,
    Category,
    Decision,
    DecisionStatus,
    Level,
    Meeting,
    Rating,
    Status,
)

MAX_DEADLINE_WORKDAYS = 250
ATTACHMENT_TYPES = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".ofd"})
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5


class StateConflict(ApplicationError):
    """The blocker's state does not allow the action (HTTP 409)."""

    status = 409


ALLOWED: dict[str, frozenset[str]] = {
    Action.ACCEPT: frozenset({Status.RAISED}),
    Action.RETURN: frozenset({Status.RAISED, Status.ACCEPTED}),
    Action.ASSIGN: frozenset({Status.ACCEPTED, *OPEN}),
    Action.ANSWER: OPEN,
    Action.RESOLVE: OPEN,
    Action.RATE: frozenset({Status.RESOLVED}),
    Action.ESCALATE: frozenset({Status.ACCEPTED, *OPEN}),
    Action.INSTRUCT: frozenset({Status.ACCEPTED, *OPEN}),
}


def allowed_actions(user: User, blocker: Blocker) -> list[str]:
    """The actions this user may take on the blocker now (for the page's buttons)."""
    return [
        action
        for action in Action.values
        if blocker.status in ALLOWED[action]
        and _state_allows(blocker, action) is None
        and permissions.may_take(user, blocker, action)
    ]


def _state_allows(blocker: Blocker, action: str) -> Message | None:
    """Why the blocker's state refuses the action (None: it allows it)."""
    if blocker.status not in ALLOWED[action]:
        return _("问题当前状态为“%(status)s”，不能%(action)s") % {
            "status": blocker.get_status_display(),
            "action": Action(action).label,
        }
    if (
        action == Action.ESCALATE
        and BlockerSettings.for_city(blocker.city_id).next_level(blocker.level) is None
    ):
        return _("问题已提级到最高层级")
    if action == Action.INSTRUCT and blocker.level != Level.LEADER:
        return _("问题提级到市领导后方可批示")
    return None


def _required(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ApplicationError(_("请修正标出的错误"), errors={field: [_("请填写说明")]})
    return text


def _url(blocker: Blocker) -> str:
    return reverse("blockers:detail", args=[blocker.pk])


def _tell(
    recipients: Iterable[User],
    blocker: Blocker,
    event: str,
    title: Message,
    body: str = "",
    *,
    actor: User | None,
) -> None:
    """Notify each recipient once, never the person who took the step."""
    sent: set[int] = {actor.pk} if actor is not None else set()
    for user in recipients:
        if user.pk in sent:
            continue
        sent.add(user.pk)
        notify(recipient=user, kind=f"blocker.{event}", title=str(title), body=body, url=_url(blocker))


def _title(blocker: Blocker, what: Message) -> str:
    return _("%(project)s：%(what)s") % {"project": blocker.project.name, "what": what}


@transaction.atomic
def blocker_create(
    *,
    user: User,
    project_id: int,
    category: str,
    description: str,
    request: str = "",
    report_id: int | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> Blocker:
    """Raise a blocker on a project the user sees (from a monthly report's 存在问题 when `report_id`)."""
    project = project_permissions.project_access(user, project_id)
    permissions.require_raise(user, project)
    errors: dict[str, list[Message]] = {}
    if category not in Category.values:
        errors["category"] = [_("请选择问题类别")]
    if not (description or "").strip():
        errors["description"] = [_("请描述存在的问题")]
    report = None
    if report_id is not None:
        report = MonthlyReport.objects.filter(pk=report_id, project=project).first()
        if report is None:
            errors["report"] = [_("该月报不属于此项目")]
    refused = _refused_attachments(attachments)
    if refused:
        errors["attachments"] = refused
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    blocker = Blocker.objects.create(
        project=project,
        category=category,
        description=description.strip(),
        request=(request or "").strip(),
        raised_by=user,
        report=report,
        level_since=timezone.localdate(),
    )
    for upload in attachments:
        BlockerAttachment.objects.create(
            blocker=blocker,
            file=upload,
            name=Path(upload.name or "").name[:255],
            size=upload.size or 0,
            uploaded_by=user,
        )
    blocker_event(blocker=blocker, kind=Kind.RAISED, actor=user, text=blocker.description)
    _tell(
        people.handling_office(project),
        blocker,
        "raised",
        _title(blocker, _("新反映问题待受理")),
        blocker.description,
        actor=user,
    )
    return blocker


def _refused_attachments(attachments: Sequence[UploadedFile]) -> list[Message]:
    """Why the files cannot be kept: too many, too large, or of a kind offices do not exchange."""
    if len(attachments) > MAX_ATTACHMENTS:
        return [_("最多上传%(n)s个附件") % {"n": MAX_ATTACHMENTS}]
    refused: list[Message] = []
    for upload in attachments:
        name = Path(upload.name or "").name
        if Path(name).suffix.lower() not in ATTACHMENT_TYPES:
            refused.append(_("%(name)s：只接受 PDF、OFD、图片、Word 和 Excel 文件") % {"name": name})
        elif (upload.size or 0) > MAX_ATTACHMENT_BYTES:
            refused.append(_("%(name)s：文件不能超过10MB") % {"name": name})
    return refused


def _locked(user: User, blocker_id: int) -> Blocker:
    """Lock the project first, then the blocker (the platform's one lock order)."""
    return locked_under_project(lambda lock: permissions.blocker_access(user, blocker_id, for_update=lock))


def _department(user: User, blocker: Blocker, department_id: int | None, field: str) -> Organization:
    department = Organization.objects.filter(
        pk=department_id or 0, city_id=blocker.city_id, kind=Organization.Kind.DEPARTMENT
    ).first()
    if department is None:
        raise ApplicationError(_("请修正标出的错误"), errors={field: [_("请选择本市的职能部门")]})
    return department


@transaction.atomic
def blocker_act(
    *,
    user: User,
    blocker_id: int,
    action: str,
    text: str = "",
    department_id: int | None = None,
    co_department_ids: Sequence[int] = (),
    deadline_workdays: int | None = None,
    rating: str = "",
    today: datetime.date | None = None,
) -> Blocker:
    """Take one step of the loop; `today` counts the deadline (default: today)."""
    if action not in Action.values:
        raise ApplicationError(_("请修正标出的错误"), errors={"action": [_("未知的操作")]})
    blocker = _locked(user, blocker_id)
    permissions.require_take(user, blocker, action)
    refusal = _state_allows(blocker, action)
    if refusal is not None:
        raise StateConflict(refusal)
    today = today or timezone.localdate()
    step = _STEPS[Action(action)]
    step(
        blocker,
        user=user,
        text=text,
        department_id=department_id,
        co_department_ids=co_department_ids,
        deadline_workdays=deadline_workdays,
        rating=rating,
        today=today,
    )
    blocker.version += 1
    blocker.save()
    return blocker


def _accept(blocker: Blocker, *, user: User, text: str, **_rest: object) -> None:
    blocker.status = Status.ACCEPTED
    blocker_event(blocker=blocker, kind=Kind.ACCEPTED, actor=user, text=(text or "").strip())
    _tell(people.owner_side(blocker), blocker, "accepted", _title(blocker, _("反映的问题已受理")), actor=user)


def _return(blocker: Blocker, *, user: User, text: str, **_rest: object) -> None:
    reason = _required(text)
    blocker.status = Status.RETURNED
    blocker_event(blocker=blocker, kind=Kind.RETURNED, actor=user, text=reason)
    _tell(
        people.owner_side(blocker),
        blocker,
        "returned",
        _title(blocker, _("反映的问题被退回")),
        reason,
        actor=user,
    )


def _assign(
    blocker: Blocker,
    *,
    user: User,
    text: str,
    department_id: int | None,
    co_department_ids: Sequence[int],
    deadline_workdays: int | None,
    today: datetime.date,
    **_rest: object,
) -> None:
    department = _department(user, blocker, department_id, "department")
    co = [_department(user, blocker, pk, "co_departments") for pk in dict.fromkeys(co_department_ids)]
    co = [o for o in co if o.pk != department.pk]
    if deadline_workdays is None:
        deadline_workdays = BlockerSettings.for_city(blocker.city_id).deadline_for(blocker.category)
    if not 1 <= deadline_workdays <= MAX_DEADLINE_WORKDAYS:
        raise ApplicationError(
            _("请修正标出的错误"),
            errors={
                "deadline_workdays": [
                    _("办理时限应在1到%(max)s个工作日之间") % {"max": MAX_DEADLINE_WORKDAYS}
                ]
            },
        )
    blocker.department = department
    blocker.assigned_on = today
    blocker.deadline_workdays = deadline_workdays
    blocker.deadline = add_workdays(today, deadline_workdays)
    blocker.status = Status.ASSIGNED
    blocker.save()
    blocker.co_departments.set(co)
    blocker_event(
        blocker=blocker,
        kind=Kind.ASSIGNED,
        actor=user,
        text=(text or "").strip(),
        department=department,
        co_departments=co or None,
        deadline_workdays=deadline_workdays,
        deadline=blocker.deadline,
    )
    body = _("请于%(deadline)s前办结（%(n)s个工作日）") % {
        "deadline": blocker.deadline,
        "n": deadline_workdays,
    }
    _tell(
        people.handlers(blocker), blocker, "assigned", _title(blocker, _("交办问题待办理")), body, actor=user
    )


def _answer(blocker: Blocker, *, user: User, text: str, **_rest: object) -> None:
    note = _required(text)
    blocker.status = Status.IN_PROGRESS
    answered_instruction = blocker.instruction_pending and blocker.department_id == user.organization_id
    if answered_instruction:
        blocker.instruction_pending = False
    blocker_event(blocker=blocker, kind=Kind.ANSWERED, actor=user, text=note)
    recipients = list(people.owner_side(blocker))
    if answered_instruction:
        recipients += list(people.leaders(blocker))
    _tell(recipients, blocker, "answered", _title(blocker, _("问题办理有新进展")), note, actor=user)


def _resolve(blocker: Blocker, *, user: User, text: str, today: datetime.date, **_rest: object) -> None:
    done = _required(text)
    blocker.status = Status.RESOLVED
    blocker.resolved_on = today
    blocker.instruction_pending = False
    blocker_event(blocker=blocker, kind=Kind.RESOLVED, actor=user, text=done)
    _tell(
        people.owner_side(blocker),
        blocker,
        "resolved",
        _title(blocker, _("问题已办结，请评价")),
        done,
        actor=user,
    )


def _rate(
    blocker: Blocker, *, user: User, text: str, rating: str, today: datetime.date, **_rest: object
) -> None:
    if rating not in Rating.values:
        raise ApplicationError(_("请修正标出的错误"), errors={"rating": [_("请选择满意、基本满意或不满意")]})
    comment = (text or "").strip()
    if rating == Rating.UNSATISFIED and not comment:
        raise ApplicationError(_("请修正标出的错误"), errors={"text": [_("不满意时请说明原因")]})
    blocker.rating = rating
    blocker_event(blocker=blocker, kind=Kind.RATED, actor=user, text=comment, rating=rating)
    recipients = [*people.handlers(blocker), *people.handling_office(blocker.project)]
    _tell(recipients, blocker, "rated", _title(blocker, Rating(rating).label), comment, actor=user)
    if rating == Rating.UNSATISFIED:
        blocker.status = Status.IN_PROGRESS
        blocker.resolved_on = None
        blocker_event(blocker=blocker, kind=Kind.REOPENED, actor=user, text=comment)
    else:
        blocker.status = Status.CLOSED
        blocker.closed_on = today
        blocker_event(blocker=blocker, kind=Kind.CLOSED, actor=user)


def _escalate(
    blocker: Blocker, *, user: User | None, text: str, today: datetime.date, **_rest: object
) -> None:
    escalate(blocker, actor=user, reason=_required(text) if user is not None else text, today=today)


def escalate(blocker: Blocker, *, actor: User | None, reason: str, today: datetime.date) -> None:
    """Move the blocker one step up its city's ladder (`actor` None: the platform, for an overdue one)."""
    level = BlockerSettings.for_city(blocker.city_id).next_level(blocker.level)
    if level is None:
        raise StateConflict(_("问题已提级到最高层级"))
    previous = blocker.level
    blocker.level = level
    blocker.level_since = today
    if level == Level.LEADER:
        blocker.leader = people.project_leader(blocker.project)
    blocker_event(
        blocker=blocker,
        kind=Kind.ESCALATED,
        actor=actor,
        text=reason,
        from_level=previous,
        level=level,
        leader=blocker.leader if level == Level.LEADER else None,
    )
    above = people.leaders(blocker) if level == Level.LEADER else people.city_office(blocker.city_id)
    what = _("问题提级至%(level)s") % {"level": Level(level).label}
    _tell(
        [*above, *people.handlers(blocker)], blocker, "escalated", _title(blocker, what), reason, actor=actor
    )


def _instruct(blocker: Blocker, *, user: User, text: str, **_rest: object) -> None:
    instruction = _required(text)
    blocker.instruction_pending = True
    if blocker.leader_id is None:
        blocker.leader = user
    blocker_event(blocker=blocker, kind=Kind.INSTRUCTED, actor=user, text=instruction)
    _tell(
        people.handlers(blocker),
        blocker,
        "instructed",
        _title(blocker, _("领导批示，请答复")),
        instruction,
        actor=user,
    )


_STEPS: dict[Action, Callable[..., None]] = {
    Action.ACCEPT: _accept,
    Action.RETURN: _return,
    Action.ASSIGN: _assign,
    Action.ANSWER: _answer,
    Action.RESOLVE: _resolve,
    Action.RATE: _rate,
    Action.ESCALATE: _escalate,
    Action.INSTRUCT: _instruct,
}


@transaction.atomic
def meeting_create(
    *, user: User, title: str, held_on: datetime.date, place: str = "", chair: str = ""
) -> Meeting:
    permissions.require_meetings(user)
    if not (title or "").strip():
        raise ApplicationError(_("请修正标出的错误"), errors={"title": [_("请填写会议名称")]})
    if Meeting.objects.filter(city_id=user.city_id, title=title.strip(), held_on=held_on).exists():
        raise ApplicationError(_("请修正标出的错误"), errors={"title": [_("同一天已有同名会议")]})
    return Meeting.objects.create(
        city_id=require_city(user),
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        chair=chair.strip(),
        created_by=user,
    )


@transaction.atomic
def agenda_add(*, user: User, meeting_id: int, blocker_id: int) -> AgendaItem:
    """Put an open blocker of the city on the meeting's agenda (once)."""
    meeting = permissions.meeting_access(user, meeting_id)
    blocker = permissions.blocker_access(user, blocker_id)
    if blocker.status in (Status.CLOSED, Status.RETURNED):
        raise StateConflict(_("已关闭或退回的问题不能列入议程"))
    item, created = AgendaItem.objects.get_or_create(
        meeting=meeting, blocker=blocker, defaults={"order": meeting.agenda.count() + 1}
    )
    if created:
        blocker_event(blocker=blocker, kind=Kind.ON_AGENDA, actor=user, text=meeting.title, meeting=meeting)
    return item


@transaction.atomic
def decision_add(
    *,
    user: User,
    meeting_id: int,
    text: str,
    department_id: int | None,
    deadline: datetime.date | None,
    blocker_id: int | None = None,
) -> Decision:
    """Record a decision of the meeting, the department charged with it and its deadline."""
    meeting = permissions.meeting_access(user, meeting_id)
    errors: dict[str, list[Message]] = {}
    if not (text or "").strip():
        errors["text"] = [_("请填写议定事项")]
    department = Organization.objects.filter(
        pk=department_id or 0, city_id=meeting.city_id, kind=Organization.Kind.DEPARTMENT
    ).first()
    if department is None:
        errors["department"] = [_("请选择本市的职能部门")]
    if deadline is None:
        errors["deadline"] = [_("请填写完成时限")]
    blocker = None
    if blocker_id is not None:
        blocker = meeting.blockers.filter(pk=blocker_id).first()
        if blocker is None:
            errors["blocker"] = [_("该问题不在本次会议议程中")]
    if errors or department is None or deadline is None:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    decision = Decision.objects.create(
        meeting=meeting, blocker=blocker, text=text.strip(), department=department, deadline=deadline
    )
    url = reverse("blockers:meeting", args=[meeting.pk])
    for person in people.department_people(department):
        notify(
            recipient=person,
            kind="blocker.decision",
            title=_("%(meeting)s议定事项待落实") % {"meeting": meeting.title},
            body=decision.text,
            url=url,
        )
    return decision


@transaction.atomic
def decision_done(*, user: User, decision_id: int, note: str, today: datetime.date | None = None) -> Decision:
    """The charged department (or the city office) reports a decision carried out."""
    decision = permissions.decision_access(user, decision_id)
    if decision.status == DecisionStatus.DONE:
        raise StateConflict(_("该议定事项已落实"))
    decision.done_note = _required(note, "note")
    decision.status = DecisionStatus.DONE
    decision.done_on = today or timezone.localdate()
    decision.done_by = user
    decision.save()
    return decision


@transaction.atomic
def blocker_settings_update(
    *,
    user: User,
    version: int | None,
    deadlines: dict[str, int],
    due_soon_workdays: int,
    escalate_after_workdays: int,
    via_meeting: bool,
    via_leader: bool,
) -> BlockerSettings:
    """The city's default deadline per category, its due-soon and climbing thresholds and its ladder
    (always from the county; through the coordination meeting and up to the leaders, or not)."""
    errors: dict[str, list[Message]] = {}
    for category in Category.values:
        days = deadlines.get(category)
        if not isinstance(days, int) or not 1 <= days <= MAX_DEADLINE_WORKDAYS:
            errors[f"deadline_{category}"] = [
                _("办理时限应在1到%(max)s个工作日之间") % {"max": MAX_DEADLINE_WORKDAYS}
            ]
    if not 0 <= due_soon_workdays <= 60:
        errors["due_soon_workdays"] = [_("应为0到60之间的整数")]
    if not 1 <= escalate_after_workdays <= 60:
        errors["escalate_after_workdays"] = [_("应为1到60之间的整数")]
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    ladder = [Level.COUNTY, *([Level.CITY] if via_meeting else []), *([Level.LEADER] if via_leader else [])]
    return settings_update(
        model=BlockerSettings,
        user=user,
        version=version,
        values={
            "deadline_workdays": {c: deadlines[c] for c in Category.values},
            "due_soon_workdays": due_soon_workdays,
            "escalate_after_workdays": escalate_after_workdays,
            "ladder": [str(level) for level in ladder],
        },
        missing_version=_("修改问题协调设置须提供所依据的版本号"),
        stale=lambda _row: _("问题协调设置已被他人修改，请刷新后重新编辑"),
    )
