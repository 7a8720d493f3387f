"""Change requests of a listed project's key figures: asked for by a county or an owner, approved or
refused by the city office. Approval applies the new values through the projects service, so the
project's version, checks and history are the same as for any edit."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.accounts.access import LISTED_KEY_FIELDS
from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError
from keyprojects.notifications.services import notify
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects import services as project_services
from keyprojects.projects.events import project_transition_event
from keyprojects.projects.locks import locked_under_project
from keyprojects.projects.models import Project, project_field

from . import permissions
from .models import HISTORY_FIELD, ChangeRequest, Status

KEY_FIELDS = LISTED_KEY_FIELDS
KIND_DECIDED = "change_decided"
_PENDING = gettext_lazy("该项目已有一项待审批的调整申请，请等待市重点项目办审批后再提交")


def to_json(value: Any) -> Any:
    """A key figure as JSON: decimals and dates as strings, so nothing is lost."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_json(field: str, value: Any) -> Any:
    return project_field(field).to_python(value)


def requested_values(change_request: ChangeRequest) -> dict[str, Any]:
    """The new values of a request, as the project's fields take them."""
    return {item["field"]: from_json(item["field"], item["new"]) for item in change_request.changes}


def _reason(reason: str, field: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(_("请修正标出的错误"), errors={field: [_("请填写理由")]})
    return reason


@transaction.atomic
def change_request_create(
    *, user: User, project_id: int, changes: Mapping[str, Any], reason: str
) -> ChangeRequest:
    """Ask for new key figures of a listed project; the project keeps its figures until approval."""
    project = project_permissions.project_access(user, project_id, for_update=True)
    permissions.require_request(user, project)
    unknown = sorted(set(changes) - set(KEY_FIELDS))
    if unknown:
        raise ApplicationError(
            _("包含不能申请调整的字段"), errors={name: [_("此字段不能申请调整")] for name in unknown}
        )
    changed = {f: v for f, v in changes.items() if v != getattr(project, f)}
    if not changed:
        raise ApplicationError(_("请至少修改一项关键指标"), errors={"__all__": [_("请至少修改一项关键指标")]})
    reason = _reason(reason, "reason")
    if ChangeRequest.objects.filter(project=project, status=Status.PENDING).exists():
        raise ApplicationError(_PENDING, errors={"__all__": [_PENDING]})
    project_services.project_check_changes(user=user, project=project, data=changed)
    items = [
        {"field": f, "old": to_json(getattr(project, f)), "new": to_json(changed[f])}
        for f in KEY_FIELDS
        if f in changed
    ]
    try:
        with transaction.atomic():
            change_request = ChangeRequest.objects.create(
                project=project, changes=items, reason=reason, requested_by=user
            )
    except IntegrityError:
        raise ApplicationError(_PENDING, errors={"__all__": [_PENDING]}) from None
    project_transition_event(
        project=project, actor=user, field=HISTORY_FIELD, old="", new=Status.PENDING, reason=reason
    )
    return change_request


def _pending_for_decision(user: User, request_id: int) -> tuple[ChangeRequest, Project]:
    """Lock the project first, then its request (the one lock order of the platform, `projects.locks`)."""
    permissions.require_decide(user)
    change_request = locked_under_project(
        lambda lock: permissions.request_access(user, request_id, for_update=lock)
    )
    if change_request.status != Status.PENDING:
        message = _("该调整申请已经审批过了")
        raise ApplicationError(message, errors={"__all__": [message]})
    return change_request, change_request.project


def _decide(change_request: ChangeRequest, *, user: User, status: str, reason: str) -> None:
    change_request.status = status
    change_request.decided_by = user
    change_request.decided_at = timezone.now()
    change_request.decision_reason = reason
    change_request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    project_transition_event(
        project=change_request.project,
        actor=user,
        field=HISTORY_FIELD,
        old=Status.PENDING,
        new=status,
        reason=reason,
    )
    _tell_requester(change_request)


def _tell_requester(change_request: ChangeRequest) -> None:
    project = change_request.project
    names = {"project": project.name, "id": change_request.pk}
    if change_request.status == Status.APPROVED:
        title = _("%(project)s的调整申请 #%(id)s 已获批准") % names
    else:
        title = _("%(project)s的调整申请 #%(id)s 未获批准") % names
    body = (
        _("审批意见：%(reason)s") % {"reason": change_request.decision_reason}
        if change_request.decision_reason
        else ""
    )
    notify(
        recipient=change_request.requested_by,
        kind=KIND_DECIDED,
        title=title,
        body=body,
        url=reverse("projects:detail", args=[project.pk]) + "#project-adjustments",
        dedup_key=f"change-request:{change_request.pk}:decided",
    )


@transaction.atomic
def change_request_approve(*, user: User, request_id: int, reason: str = "") -> ChangeRequest:
    """Apply the requested figures to the project (a new version, each field in the history)."""
    change_request, project = _pending_for_decision(user, request_id)
    reason = (reason or "").strip()
    project_services.project_update(
        user=user,
        project_id=project.pk,
        data=requested_values(change_request),
        version=project.version,
        reason=_("调整申请 #%(id)s 获批") % {"id": change_request.pk},
    )
    _decide(change_request, user=user, status=Status.APPROVED, reason=reason)
    return change_request


@transaction.atomic
def change_request_refuse(*, user: User, request_id: int, reason: str) -> ChangeRequest:
    """Refuse a request, saying why; the project keeps its figures."""
    change_request, _project = _pending_for_decision(user, request_id)
    _decide(change_request, user=user, status=Status.REFUSED, reason=_reason(reason, "reason"))
    return change_request
