"""The leader's page, the task force pages, and the project page's section of its leader and task forces."""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keyprojects.accounts.models import User
from keyprojects.alerts.selectors import warnings_calendar_notice
from keyprojects.core.errors import ApplicationError
from keyprojects.core.http import AuthenticatedRequest
from keyprojects.projects.models import Project

from . import permissions, selectors, services
from .forms import TaskForceForm
from .models import TaskForce


@login_required
def leader_page(request: AuthenticatedRequest) -> HttpResponse:
    """A city leader's own page: the projects it 包保, their escalated blockers, pending instructions,
    warnings and rates."""
    permissions.require_own_page(request.user)
    overview = selectors.leader_overview(user=request.user, today=timezone.localdate())
    notice = warnings_calendar_notice(overview.warnings)
    return render(request, "leaders/leader_page.html", {"overview": overview, "calendar_notice": notice})


@login_required
def task_force_list(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_list(request.user)
    return render(
        request,
        "leaders/task_force_list.html",
        {
            "task_forces": list(selectors.task_force_list(user=request.user)),
            "can_manage": permissions.can_manage(request.user),
        },
    )


def _form_page(request: AuthenticatedRequest, task_force: TaskForce | None) -> HttpResponse:
    permissions.require_manage(request.user)
    form = TaskForceForm(request.POST or None, city_id=request.user.city_id, task_force=task_force)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.task_force_save(
                user=request.user, task_force_id=task_force.pk if task_force else None, **form.values()
            )
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("工作专班已保存"))
            return redirect("leaders:task_force", saved.pk)
    return render(request, "leaders/task_force_form.html", {"form": form, "task_force": task_force})


@login_required
@require_http_methods(["GET", "POST"])
def task_force_create(request: AuthenticatedRequest) -> HttpResponse:
    return _form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def task_force_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    permissions.require_manage(request.user)
    return _form_page(request, selectors.task_force_detail(permissions.task_force_access(request.user, pk)))


@login_required
def task_force_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    task_force = selectors.task_force_detail(permissions.task_force_access(request.user, pk))
    return render(
        request,
        "leaders/task_force_detail.html",
        {"task_force": task_force, "can_manage": permissions.can_manage(request.user)},
    )


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The project's 包保 leader and the task forces it belongs to (those the reader may open linked)."""
    task_forces = list(project.task_forces.select_related("lead_organization").order_by("name"))
    if project.leader_id is None and not project.leader_name and not task_forces and not project.task_force:
        return None
    user = cast(User, request.user)  # the project page is signed in
    openable = permissions.visible_task_forces(user).filter(pk__in=[t.pk for t in task_forces])
    visible = set(openable.values_list("pk", flat=True)) if task_forces else set()
    return {"task_force_rows": [(t, t.pk in visible) for t in task_forces]}
