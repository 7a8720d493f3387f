"""The plan pages: the plan section of the project page, node editing, the department queue and the
templates. Views parse input and render; services and selectors decide."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from keyprojects.accounts.access import may
from keyprojects.accounts.city_settings import settings_city
from keyprojects.accounts.models import User
from keyprojects.core.conflicts import Merge, offer, reapplied
from keyprojects.core.errors import ApplicationError, StaleVersionError
from keyprojects.core.forms import refused
from keyprojects.core.fragments import render_fragment
from keyprojects.core.htmx import render_page
from keyprojects.core.http import safe_filename
from keyprojects.core.paging import paginate
from keyprojects.core.rows import id_url
from keyprojects.core.settings_events import settings_history
from keyprojects.core.settings_forms import edit_settings
from keyprojects.core.todo import SHOWN
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.models import Project

from . import permissions, selectors, services
from .forms import (
    BaseTemplateNodeFormSet,
    PlanCreateForm,
    PlanNodeForm,
    ScheduleSettingsForm,
    TemplateForm,
    TemplateNodeFormSet,
)
from .models import NodeTemplate, ScheduleSettings
from .selectors import NodeStatus, StatusClock
from .template_merge import nodes_base, stored_rows, template_merge, with_kept_nodes
from .timeline import plan_timeline
from .workdays import calendar_notice, overdue_workdays, workdays_between

if TYPE_CHECKING:
    from keyprojects.core.http import AuthenticatedRequest

QUEUE_PAGE_SIZE = 50


def _plan_url(project_id: int) -> str:
    return reverse("projects:detail", args=[project_id]) + "#plan"


def plan_section_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The plan section of the project page (the project is already checked to be visible)."""
    user = cast(User, request.user)
    nodes = selectors.project_plan(project=project)
    clock = StatusClock.on(city_id=project.city_id)
    can_edit = project_permissions.can_edit_project(user, project)
    editable = {n.pk for n in nodes if permissions.node_editable_fields(user, n, project_editable=can_edit)}
    return {
        "timeline": plan_timeline(nodes, clock),
        "editable_nodes": editable,
        "can_create_plan": can_edit and not nodes,
        "create_form": PlanCreateForm(city_id=project.city_id) if can_edit and not nodes else None,
        "calendar_notice": calendar_notice(
            clock.today, clock.due_soon_until, *(n.planned_date for n in nodes), request=request
        ),
        "due_soon_workdays": workdays_between(clock.today, clock.due_soon_until),
        "plan_history": selectors.plan_history(project=project, limit=20) if nodes else [],
    }


@login_required
@require_POST
def plan_create(request: AuthenticatedRequest, project_id: int) -> HttpResponse:
    project_permissions.require_project_access(request.user)
    project = project_permissions.project_access(request.user, project_id)
    project_permissions.require_edit(request.user, project)
    form = PlanCreateForm(request.POST, city_id=project.city_id)
    template = form.cleaned_data["template"] if form.is_valid() else None
    try:
        plan = services.plan_create_from_template(
            user=request.user, project_id=project.pk, template_id=template.pk if template else None
        )
    except ApplicationError as error:
        for field_messages in error.field_messages().values():
            for message in field_messages:
                messages.error(request, message)
    else:
        messages.success(request, _("已生成节点计划，共%(n)s个节点") % {"n": len(plan)})
    return redirect(_plan_url(project.pk))


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project_permissions.require_project_access(request.user)
    node = permissions.node_access(request.user, pk)
    editable = permissions.node_editable_fields(request.user, node)
    if not editable:
        raise PermissionDenied(_("您无权修改此节点"))
    form = PlanNodeForm(
        reapplied(request.POST) if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        node=node,
        editable=editable,
    )
    extra: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        try:
            services.plan_node_update(
                user=request.user,
                node_id=node.pk,
                version=form.cleaned_data["version"],
                data=form.node_data(),
                reason=form.change_reason(),
            )
        except StaleVersionError:
            node = permissions.node_access(request.user, pk)
            latest = PlanNodeForm(node=node, editable=editable)
            found = offer(form, latest, lambda names: selectors.node_savers(node=node, fields=names))
            form, extra = latest, {"merge": found}
        except ApplicationError as error:
            extra = refused(form, error)
        else:
            messages.success(request, _("节点“%(name)s”已保存") % {"name": node.name})
            # Inline on the project page: reload it, so the timeline, the stage and the history all show
            # the change (a redirect to the same page with only a new #fragment would not reload it).
            return HttpResponseClientRefresh() if request.htmx else redirect(_plan_url(node.project_id))
    context = {"form": form, "node": node, "project": node.project, **extra}
    return render_page(request, "schedule/node_form.html", context, partial="editor")


@login_required
def node_evidence(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """The evidence of a node, for those who see its project."""
    project_permissions.require_project_access(request.user)
    node = permissions.node_access(request.user, pk)
    if not node.evidence_file:
        raise Http404(_("该节点没有证明材料"))
    return FileResponse(
        node.evidence_file.open("rb"),
        filename=safe_filename((node.evidence_file.name or "").rsplit("/", 1)[-1]),
    )


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """Open nodes across projects, most urgent first: a department's own, or any department's for the
    offices."""
    project_permissions.require_project_access(request.user)
    is_department = may(request.user, "node.outcome_assigned")
    department_id = None
    if not is_department and request.GET.get("department", "").isdigit():
        department_id = int(request.GET["department"])
    status = request.GET.get("status", "")
    q = request.GET.get("q", "")
    clock = StatusClock.on(city_id=request.user.city_id)
    nodes = selectors.department_queue(user=request.user, department_id=department_id, clock=clock, q=q)
    if status in (NodeStatus.OVERDUE, NodeStatus.DUE_SOON, NodeStatus.ON_TIME):
        nodes = nodes.filter(clock.q(status))
    page = paginate(
        request, selectors.node_page_rows(nodes, user=request.user, clock=clock), default=QUEUE_PAGE_SIZE
    )
    # what every row repeats is rendered once: the project link and the badge of each status
    project_url = id_url("projects:detail", "#plan")
    badges = {s: render_to_string("schedule/_status.html", {"status": s}) for s in NodeStatus}
    rows = [
        {
            "node": node,
            "status": node.status,
            "project_url": project_url(node.project_id),
            "badge": badges[node.status],
            "deadline": _("逾期%(n)s个工作日") % {"n": overdue_workdays(node.planned_date, clock.today)}
            if node.status == NodeStatus.OVERDUE
            else _("还有%(n)s个工作日") % {"n": workdays_between(clock.today, node.planned_date)},
        }
        for node in page.object_list
    ]
    context = {
        "page": page,
        "rows": render_fragment("schedule/queue_rows.html", {"rows": rows}),
        "is_department": is_department,
        "departments": [] if is_department else selectors.departments(request.user.city_id),
        "department_id": department_id,
        "status": status,
        "q": q,
        "statuses": [(s.value, s.label) for s in NodeStatus if s != NodeStatus.DONE],
        "calendar_notice": calendar_notice(clock.today, clock.due_soon_until),
        "query": request.GET.copy(),
    }
    return render_page(request, "schedule/queue.html", context, partial="results")


def _settings_form(data: Any, current: ScheduleSettings) -> ScheduleSettingsForm:
    return ScheduleSettingsForm(
        data, initial={"version": current.version, "due_soon_workdays": current.due_soon_workdays}
    )


def _template_list_page(
    request: AuthenticatedRequest,
    settings_form: ScheduleSettingsForm | None = None,
    status: int = 200,
    merge: Merge | None = None,
) -> HttpResponse:
    can_edit = permissions.can_edit_templates(request.user)
    if can_edit and settings_form is None:
        settings_form = _settings_form(None, ScheduleSettings.for_city(request.user.city_id))
    context = {
        "templates": selectors.template_list(request.user),
        "can_edit": can_edit,
        "settings_form": settings_form if can_edit else None,
        "merge": merge,
        "settings_history": settings_history(record=ScheduleSettings.for_city(settings_city(request.user)))
        if can_edit
        else [],
    }
    return render(request, "schedule/template_list.html", context, status=status)


@login_required
def template_list(request: AuthenticatedRequest) -> HttpResponse:
    project_permissions.require_project_access(request.user)
    return _template_list_page(request)


@login_required
@require_POST
def settings_update(request: AuthenticatedRequest) -> HttpResponse:
    """Save the due-soon window; a refused or stale form comes back with its messages (and the value
    saved in between, when someone else saved first)."""
    if not permissions.can_edit_schedule_settings(request.user):
        raise PermissionDenied(_("只有市重点项目办可以修改节点计划设置"))
    city_id = request.user.city_id
    edit = edit_settings(
        request,
        record=lambda: ScheduleSettings.for_city(city_id),
        form=_settings_form,
        save=lambda form: services.schedule_settings_update(
            user=request.user,
            version=form.cleaned_data["version"],
            due_soon_workdays=form.cleaned_data["due_soon_workdays"],
        ),
    )
    if edit.saved:
        days = edit.form.cleaned_data["due_soon_workdays"]
        messages.success(request, _("临期提醒已设为%(n)s个工作日") % {"n": days})
        return redirect("schedule:templates")
    return _template_list_page(request, edit.form, status=422, merge=edit.merge)


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A template's nodes; the city office edits them (add, remove, reorder, offsets, departments)."""
    project_permissions.require_project_access(request.user)
    template = get_object_or_404(selectors.template_list(request.user), pk=pk)
    can_edit = permissions.can_edit_templates(request.user)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("只有市重点项目办可以修改节点模板"))
    data = with_kept_nodes(reapplied(request.POST)) if request.method == "POST" else None
    form, formset = _template_forms(data, template)
    merge = None
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            services.node_template_update(
                user=request.user,
                template_id=template.pk,
                version=form.cleaned_data["version"],
                data={"name": form.cleaned_data["name"], "is_active": form.cleaned_data["is_active"]},
                nodes=formset.rows(),
            )
        except StaleVersionError as error:
            template = get_object_or_404(selectors.template_list(request.user), pk=pk)
            latest, latest_nodes = _template_forms(None, template)
            merge = template_merge(form, formset, latest, template=template, note=str(error.message))
            form, formset = latest, latest_nodes
        except ApplicationError as error:
            for message in formset.apply_error(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("模板“%(name)s”已保存") % {"name": form.cleaned_data["name"]})
            return redirect("schedule:template_edit", pk=template.pk)
    context = {
        "template": template,
        "form": form,
        "formset": formset,
        "can_edit": can_edit,
        "merge": merge,
        "nodes": template.nodes.select_related("department").order_by("order"),
        "settings_history": settings_history(record=template) if can_edit else [],
    }
    return render(request, "schedule/template_edit.html", context)


def _template_forms(data: Any, template: NodeTemplate) -> tuple[TemplateForm, BaseTemplateNodeFormSet]:
    """A template's form and its nodes' formset, as sent (`data`) or as stored."""
    rows = stored_rows(template)
    initial = {
        "version": template.version,
        "name": template.name,
        "is_active": template.is_active,
        "nodes_base": nodes_base(rows),
    }
    formset = TemplateNodeFormSet(
        data, initial=rows, prefix="nodes", form_kwargs={"city_id": template.city_id}
    )
    return TemplateForm(data, initial=initial), formset


def todo_context(request: HttpRequest) -> dict[str, Any] | None:
    """我的待办: the open nodes overdue or due soon, a department's own or those of the projects the user sees."""
    user = cast("User", request.user)
    if not project_permissions.has_project_access(user):
        return None
    clock = StatusClock.on(city_id=user.city_id)
    nodes = selectors.department_queue(user=user, clock=clock).filter(
        clock.q(NodeStatus.OVERDUE) | clock.q(NodeStatus.DUE_SOON)
    )
    count = nodes.count()
    if not count:
        return None
    shown = list(nodes[:SHOWN])
    for node in shown:
        node.status = clock.status(node)  # type: ignore[attr-defined]
    return {"nodes": shown, "count": count}
