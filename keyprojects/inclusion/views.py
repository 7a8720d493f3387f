"""Pages of statistics inclusion (入库纳统): the per-county list, a project's record and its
section on the project page, and the city office's threshold."""

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.core.errors import ApplicationError
from keyprojects.core.forms import refused
from keyprojects.core.htmx import render_page
from keyprojects.core.navigation import NavItem, register_nav_item
from keyprojects.core.paging import paginate
from keyprojects.core.settings_forms import edit_settings
from keyprojects.progress.models import ProgressSettings
from keyprojects.projects import permissions
from keyprojects.projects.models import Project
from keyprojects.projects.sections import ProjectSection, register_project_section

from . import selectors, services
from .forms import InclusionClearForm, InclusionFilterForm, InclusionForm, ThresholdForm
from .permissions import can_configure_inclusion, can_record_inclusion

if TYPE_CHECKING:
    from keyprojects.core.http import AuthenticatedRequest

PAGE_SIZE = 50


@login_required
@require_GET
def inclusion_list(request: "AuthenticatedRequest") -> HttpResponse:
    permissions.require_project_access(request.user)
    filters = selectors.InclusionFilters.from_mapping(request.GET)
    unfiltered = selectors.InclusionFilters(as_of=filters.as_of, year=filters.year)
    summary = selectors.inclusion_summary(user=request.user, filters=unfiltered)
    projects = selectors.inclusion_list(user=request.user, filters=filters)
    page = paginate(request, projects, default=PAGE_SIZE)
    form = InclusionFilterForm(
        request.GET or None,
        regions=[(row.region_code, row.region_name) for row in summary],
        initial={"year": filters.year, "as_of": filters.as_of},
    )
    context = {
        "filters": filters,
        "form": form,
        "summary": summary,
        "totals": selectors.inclusion_totals(summary),
        "page": page,
        "threshold": selectors.inclusion_threshold(request.user.city_id),
        "can_configure": can_configure_inclusion(request.user),
    }
    partial = None if request.htmx.history_restore_request else "results"
    return render_page(request, "inclusion/list.html", context, partial=partial)


def _recordable(request: "AuthenticatedRequest", pk: int) -> Project:
    permissions.require_project_access(request.user)
    project = permissions.project_access(request.user, pk)
    if not can_record_inclusion(request.user, project):
        raise PermissionDenied(_("只有市重点项目办和项目所在县（市、区）可以登记入库纳统"))
    return project


@login_required
@require_http_methods(["GET", "POST"])
def inclusion_edit(request: "AuthenticatedRequest", pk: int) -> HttpResponse:
    project = _recordable(request, pk)
    status = selectors.inclusion_status(project=project)
    form = InclusionForm(
        request.POST if request.method == "POST" else None,
        initial={
            "included_on": status.included_on,
            "statistics_code": status.statistics_code,
            "etag": status.etag,
        },
    )
    extra: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        try:
            services.inclusion_record(
                user=request.user,
                project_id=project.pk,
                included_on=form.cleaned_data["included_on"],
                statistics_code=form.cleaned_data["statistics_code"],
                etag=form.cleaned_data["etag"],
            )
        except ApplicationError as error:
            extra = refused(form, error)
        else:
            messages.success(request, _("已登记“%(name)s”入库纳统") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    clear_form = InclusionClearForm(initial={"etag": status.etag}) if status.included_on else None
    context = {"project": project, "status": status, "form": form, "clear_form": clear_form, **extra}
    return render(request, "inclusion/form.html", context)


@login_required
@require_POST
def inclusion_clear(request: "AuthenticatedRequest", pk: int) -> HttpResponse:
    project = _recordable(request, pk)
    clear_form = InclusionClearForm(request.POST)
    extra: dict[str, Any] = {}
    if clear_form.is_valid():
        try:
            services.inclusion_clear(
                user=request.user,
                project_id=project.pk,
                reason=clear_form.cleaned_data["reason"],
                etag=clear_form.cleaned_data["etag"],
            )
        except ApplicationError as error:
            extra = refused(clear_form, error)
        else:
            messages.success(request, _("已撤销“%(name)s”的入库纳统") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    status = selectors.inclusion_status(project=project)
    form = InclusionForm(
        initial={
            "included_on": status.included_on,
            "statistics_code": status.statistics_code,
            "etag": status.etag,
        }
    )
    context = {"project": project, "status": status, "form": form, "clear_form": clear_form, **extra}
    return render(request, "inclusion/form.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def inclusion_settings(request: "AuthenticatedRequest") -> HttpResponse:
    if not can_configure_inclusion(request.user):
        raise PermissionDenied(_("只有市重点项目办可以修改纳统门槛"))
    city_id = request.user.city_id
    edit = edit_settings(
        request,
        record=lambda: ProgressSettings.for_city(city_id),
        form=lambda data, current: ThresholdForm(
            data, initial={"inclusion_threshold": current.inclusion_threshold, "version": current.version}
        ),
        save=lambda form: services.inclusion_settings_update(
            user=request.user,
            threshold=form.cleaned_data["inclusion_threshold"],
            version=form.cleaned_data["version"],
        ),
    )
    if edit.saved:
        messages.success(request, _("纳统门槛已保存"))
        return redirect("inclusion:list")
    return render(request, "inclusion/settings.html", edit.context())


def project_section_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The 入库纳统 section of the project page."""
    return {
        "status": selectors.inclusion_status(project=project),
        "can_record": can_record_inclusion(request.user, project),  # type: ignore[arg-type]
    }


def register_inclusion_ui() -> None:
    """Called from the app's `ready()`: the 入库纳统 nav entry and project-page section."""
    register_nav_item(
        NavItem(
            "statistics",
            gettext_lazy("入库纳统"),
            "inclusion:list",
            order=40,
            visible=permissions.has_project_access,
        )
    )
    register_project_section(
        ProjectSection("statistics", "inclusion/section.html", project_section_context, order=40)
    )
