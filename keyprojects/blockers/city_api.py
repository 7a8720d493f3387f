"""The city's side of blockers over HTTP: a department's inbox, the figures, the city's settings, and the
coordination meetings with their decisions. The same services, selectors and permissions as the pages."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from keyprojects.accounts.access import may
from keyprojects.accounts.auth import api_user
from keyprojects.core.api import Id, IfMatch, Pagination, if_match_version, rows_page
from keyprojects.core.errors import ApplicationError
from keyprojects.core.openapi import answers
from keyprojects.core.versions import etag_of, tagged
from keyprojects.projects import permissions as project_permissions

from . import permissions, selectors, services
from .api import LIST_COLUMNS, list_row
from .models import BlockerSettings, Decision, DecisionStatus, Level, Meeting
from .schemas import (
    AgendaIn,
    BlockerSettingsIn,
    BlockerSettingsOut,
    DecisionDoneIn,
    DecisionFilter,
    DecisionIn,
    DecisionOut,
    FiguresOut,
    MeetingDetailOut,
    MeetingIn,
    MeetingOut,
    PagedInboxOut,
)

router = Router(tags=["blockers"])

# The ladders a city may choose: always from the county, through the meeting and up to the leaders, or not.
LADDERS = {
    (Level.COUNTY,): (False, False),
    (Level.COUNTY, Level.CITY): (True, False),
    (Level.COUNTY, Level.LEADER): (False, True),
    (Level.COUNTY, Level.CITY, Level.LEADER): (True, True),
}


@router.get("/blocker-inbox", response=PagedInboxOut, summary="本部门问题办理收件箱（最紧急的在前）")
def inbox(request: HttpRequest, page: Query[Pagination.Input]) -> HttpResponse:
    user = api_user(request)
    permissions.require_inbox(user)
    today = timezone.localdate()
    due_soon = BlockerSettings.for_city(user.city_id).due_soon_workdays
    blockers = selectors.inbox(user=user, today=today, due_soon_workdays=due_soon)
    values = blockers.values(*LIST_COLUMNS, "instruction_pending")[page.window(500)]
    items = [
        {
            **list_row(v, today),
            "urgency": selectors.urgency(
                status=v["status"], deadline=v["deadline"], today=today, due_soon_workdays=due_soon
            ),
            "co_handling": v["department_id"] != user.organization_id,
            "instruction_pending": v["instruction_pending"],
        }
        for v in values
    ]
    return rows_page(request, items, blockers.count())


@router.get("/blocker-figures", response=FiguresOut, summary="问题办理情况统计（按责任单位、县、类别）")
def figures(request: HttpRequest) -> dict[str, list[dict[str, Any]]]:
    user = api_user(request)
    permissions.require_ledger(user)
    tables = selectors.figures(user=user)
    return {
        name: [
            {
                "name": fig.name,
                "raised": fig.raised,
                "resolved": fig.resolved,
                "on_time": fig.on_time,
                "average_workdays": round(sum(fig.workdays) / len(fig.workdays), 1) if fig.workdays else None,
                "satisfaction": round(fig.satisfied * 100 / fig.rated, 1) if fig.rated else None,
            }
            for fig in table
        ]
        for name, table in tables.items()
    }


@router.get("/blocker-settings", response=BlockerSettingsOut, summary="问题协调设置（ETag 为版本号）")
def settings_detail(request: HttpRequest, response: HttpResponse) -> BlockerSettings:
    user = api_user(request)
    project_permissions.require_project_access(user)
    settings = BlockerSettings.for_city(user.city_id)
    tagged(response, etag_of(settings))
    return settings


@router.put(
    "/blocker-settings",
    response=BlockerSettingsOut,
    summary="修改问题协调设置：各类默认时限、临期、自动提级和提级顺序（市重点项目办，须带 If-Match）",
)
def settings_update(
    request: HttpRequest, payload: BlockerSettingsIn, response: HttpResponse, if_match: str | None = IfMatch
) -> BlockerSettings:
    ladder = LADDERS.get(tuple(payload.ladder))
    if ladder is None:
        raise ApplicationError(
            _("请修正标出的错误"),
            errors={"ladder": [_("提级顺序应从县级开始，其后依次可有市协调调度会、市领导")]},
        )
    via_meeting, via_leader = ladder
    settings = services.blocker_settings_update(
        user=api_user(request),
        version=if_match_version(if_match),
        deadlines={str(category): days for category, days in payload.deadline_workdays.items()},
        due_soon_workdays=payload.due_soon_workdays,
        escalate_after_workdays=payload.escalate_after_workdays,
        via_meeting=via_meeting,
        via_leader=via_leader,
    )
    tagged(response, etag_of(settings))
    return settings


@router.get("/blocker-meetings", response=list[MeetingOut], summary="协调调度会（最近的在前）")
def meeting_list(request: HttpRequest) -> QuerySet[Meeting]:
    user = api_user(request)
    permissions.require_meetings(user)
    return Meeting.objects.filter(city_id=user.city_id)


@router.post("/blocker-meetings", response={201: MeetingDetailOut}, summary="召开协调调度会（市重点项目办）")
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    meeting = services.meeting_create(user=user, **payload.dict())
    return Status(201, _meeting(meeting))


@router.get("/blocker-meetings/{meeting_id}", response=MeetingDetailOut, summary="协调调度会的议程和议定事项")
def meeting_detail(request: HttpRequest, meeting_id: Id) -> dict[str, Any]:
    return _meeting(permissions.meeting_access(api_user(request), meeting_id))


@router.post("/blocker-meetings/{meeting_id}/agenda", response=MeetingDetailOut, summary="将问题列入会议议程")
@answers(409)
def agenda_add(request: HttpRequest, meeting_id: Id, payload: AgendaIn) -> dict[str, Any]:
    user = api_user(request)
    services.agenda_add(user=user, meeting_id=meeting_id, blocker_id=payload.blocker)
    return _meeting(permissions.meeting_access(user, meeting_id))


@router.post(
    "/blocker-meetings/{meeting_id}/decisions",
    response={201: DecisionOut},
    summary="记录议定事项、责任单位和完成时限",
)
def decision_add(request: HttpRequest, meeting_id: Id, payload: DecisionIn) -> Status[dict[str, Any]]:
    decision = services.decision_add(
        user=api_user(request),
        meeting_id=meeting_id,
        text=payload.text,
        department_id=payload.department,
        deadline=payload.deadline,
        blocker_id=payload.blocker,
    )
    return Status(201, _decision(_decisions().get(pk=decision.pk), timezone.localdate()))


@router.get(
    "/blocker-decisions",
    response=list[DecisionOut],
    summary="议定事项：市重点项目办看全市的，职能部门看本单位承办的（时限最近的在前）",
)
def decision_list(request: HttpRequest, filters: Query[DecisionFilter]) -> list[dict[str, Any]]:
    user = api_user(request)
    project_permissions.require_project_access(user)
    decisions = _decisions().filter(city_id=user.city_id)
    if not may(user, "meeting.manage"):
        decisions = decisions.filter(department_id=user.organization_id or 0)
    if filters.status:
        decisions = decisions.filter(status=filters.status)
    if filters.meeting:
        decisions = decisions.filter(meeting_id=filters.meeting)
    today = timezone.localdate()
    return [_decision(d, today) for d in decisions.order_by("deadline", "id")[:1000]]


@router.post("/blocker-decisions/{decision_id}/done", response=DecisionOut, summary="报告议定事项已落实")
@answers(409)
def decision_done(request: HttpRequest, decision_id: Id, payload: DecisionDoneIn) -> dict[str, Any]:
    decision = services.decision_done(user=api_user(request), decision_id=decision_id, note=payload.note)
    return _decision(_decisions().get(pk=decision.pk), timezone.localdate())


def _decisions() -> QuerySet[Decision]:
    return Decision.objects.select_related("meeting", "department")


def _decision(decision: Decision, today: datetime.date) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "meeting": decision.meeting_id,
        "meeting_title": decision.meeting.title,
        "text": decision.text,
        "department": decision.department_id,
        "department_name": decision.department.name,
        "deadline": decision.deadline,
        "overdue": decision.status == DecisionStatus.OPEN and decision.deadline < today,
        "status": decision.status,
        "done_on": decision.done_on,
        "done_note": decision.done_note,
        "blocker": decision.blocker_id,
    }


def _meeting(meeting: Meeting) -> dict[str, Any]:
    today = timezone.localdate()
    agenda = meeting.agenda.select_related("blocker__project", "blocker__department")
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "held_on": meeting.held_on,
        "place": meeting.place,
        "chair": meeting.chair,
        "agenda": [
            {
                "blocker": item.blocker_id,
                "project_name": item.blocker.project.name,
                "category": item.blocker.category,
                "description": item.blocker.description,
                "status": item.blocker.status,
                "department_name": item.blocker.department.name if item.blocker.department else None,
            }
            for item in agenda
        ],
        "decisions": [_decision(d, today) for d in _decisions().filter(meeting=meeting)],
    }
