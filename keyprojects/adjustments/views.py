"""The change-request pages: the request form, the city office's queue, and the project page sections."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.core.errors import ApplicationError
from keyprojects.core.http import AuthenticatedRequest
from keyprojects.core.text import labelled
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.models import Project

from . import permissions, selectors, services
from .forms import ChangeRequestForm, DecisionForm
from .models import ChangeRequest, Status


def _rows(requests: list[ChangeRequest]) -> list[tuple[ChangeRequest, list[selectors.ChangeRow]]]:
    return [(r, selectors.change_rows(r)) for r in requests]


@login_required
def change_request_list(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_list(request.user)
    status = request.GET.get("status", Status.PENDING)
    if status not in Status.values and status != "all":
        status = Status.PENDING
    requests = selectors.change_request_list(user=request.user, status=None if status == "all" else status)
    context = {
        "rows": _rows(list(requests)),
        "status": status,
        "statuses": [(Status.PENDING, Status.PENDING.label), ("all", _("全部"))],
        "can_decide": permissions.can_decide(request.user),
        "decision_form": DecisionForm(),
    }
    return render(request, "adjustments/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def change_request_create(request: AuthenticatedRequest, project_pk: int) -> HttpResponse:
    project = project_permissions.project_access(request.user, project_pk)
    permissions.require_request(request.user, project)
    form = ChangeRequestForm(request.POST if request.method == "POST" else None, project=project)
    if form.is_bound and form.is_valid():
        try:
            services.change_request_create(
                user=request.user,
                project_id=project.pk,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("调整申请已提交，市重点项目办批准后生效"))
            return redirect("projects:detail", pk=project.pk)
    pending = selectors.pending_request(project=project)
    return render(request, "adjustments/form.html", {"form": form, "project": project, "pending": pending})


@login_required
@require_POST
def change_request_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或不批准"))
        return redirect("adjustments:list")
    reason = form.cleaned_data["reason"]
    try:
        if form.cleaned_data["decision"] == "approve":
            change_request = services.change_request_approve(user=request.user, request_id=pk, reason=reason)
            messages.success(request, _("已批准“%(name)s”的调整申请") % {"name": change_request.project.name})
        else:
            change_request = services.change_request_refuse(user=request.user, request_id=pk, reason=reason)
            messages.success(
                request, _("“%(name)s”的调整申请未获批准") % {"name": change_request.project.name}
            )
    except ApplicationError as error:
        for field, texts in error.field_messages().items():
            label = _("审批意见") if field == "reason" else ""
            for text in texts:
                messages.error(request, labelled(label, text) if label else text)
    return redirect("adjustments:list")


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The project page's list of change requests, with the 申请调整 action for who may ask."""
    user = request.user
    can_request = permissions.can_request(user, project)  # type: ignore[arg-type]
    requests = list(project.change_requests.select_related("requested_by", "decided_by"))
    if not requests and not can_request:
        return None
    pending = any(r.status == Status.PENDING for r in requests)
    return {"adjustment_rows": _rows(requests), "can_request_adjustment": can_request and not pending}


def edit_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """On the edit form: the key figures this user may not edit, their values, and 申请调整."""
    if not project_permissions.key_fields_locked(request.user, project):  # type: ignore[arg-type]
        return None
    return {
        "key_figures": selectors.key_figures(project),
        "pending": selectors.pending_request(project=project),
    }
