"""Supervision notices over HTTP: the same services, selectors and permissions as the pages."""

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router, Status

from keyprojects.accounts.auth import api_user
from keyprojects.accounts.models import User
from keyprojects.core.api import Id, Pagination, rows_page
from keyprojects.core.openapi import answers
from keyprojects.projects.selectors import project_search_q

from . import permissions, selectors, services
from .events import timeline
from .models import SupervisionNotice
from .schemas import NoticeActionIn, NoticeDetailOut, NoticeFilter, NoticeIn, PagedNoticeOut

router = Router(tags=["supervision"])


def _row(notice: SupervisionNotice, today: datetime.date) -> dict[str, Any]:
    return {
        "id": notice.pk,
        "source": notice.source,
        "warning": notice.warning_id,
        "blocker": notice.blocker_id,
        "decision": notice.decision_id,
        "project": notice.project_id,
        "project_name": notice.project.name if notice.project is not None else None,
        "receiver": notice.receiver_id,
        "receiver_name": notice.receiver.name,
        "subject": notice.subject,
        "origin": notice.origin,
        "status": notice.status,
        "issued_on": notice.issued_on,
        "deadline": notice.deadline,
        "deadline_workdays": notice.deadline_workdays,
        "overdue": selectors.is_overdue(notice, today),
        "answer": notice.answer,
        "answered_on": notice.answered_on,
        "accepted_on": notice.accepted_on,
    }


def _detail(user: User, notice: SupervisionNotice) -> dict[str, Any]:
    events = notice.events.select_related("actor", "organization")
    return {
        **_row(notice, timezone.localdate()),
        "actions": services.allowed_actions(user, notice),
        "events": [step.api() for step in timeline(events)],
    }


@router.get("", response=PagedNoticeOut, summary="督办单")
def notice_list(
    request: HttpRequest, filters: Query[NoticeFilter], page: Query[Pagination.Input]
) -> HttpResponse:
    user = api_user(request)
    permissions.require_read(user)
    today = timezone.localdate()
    if filters.inbox:
        notices = selectors.inbox(user=user, today=today)
        for name in ("status", "source", "receiver", "project"):
            if (value := getattr(filters, name)) is not None:
                notices = notices.filter(**{f"{name}_id" if name in ("receiver", "project") else name: value})
        notices = notices.filter(project_search_q(filters.q, field="project"))
    else:
        wanted = filters.dict(exclude={"inbox"})
        notices = selectors.notice_list(user=user, filters=selectors.NoticeFilter(**wanted), today=today)
    rows = [_row(n, today) for n in notices[page.window(500)]]
    return rows_page(request, rows, notices.count())


@router.post("", response={201: NoticeDetailOut}, summary="下发督办单")
def notice_create(request: HttpRequest, payload: NoticeIn) -> Status[dict[str, Any]]:
    user = api_user(request)
    notice = services.notice_issue(
        user=user,
        source=payload.source,
        source_id=payload.source_id,
        subject=payload.subject,
        receiver_id=payload.receiver,
        deadline_workdays=payload.deadline_workdays,
        deadline=payload.deadline,
    )
    return Status(201, _detail(user, notice))


@router.get("/{notice_id}", response=NoticeDetailOut, summary="督办单详情及办理过程")
def notice_detail(request: HttpRequest, notice_id: Id) -> dict[str, Any]:
    user = api_user(request)
    return _detail(user, permissions.notice_access(user, notice_id))


@router.post("/{notice_id}/actions", response=NoticeDetailOut, summary="答复、认可或退回督办单")
@answers(409)
def notice_action(request: HttpRequest, notice_id: Id, payload: NoticeActionIn) -> dict[str, Any]:
    user = api_user(request)
    notice = services.notice_act(user=user, notice_id=notice_id, action=payload.action, text=payload.text)
    return _detail(user, notice)
