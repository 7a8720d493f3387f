"""Pages of statistics inclusion (入库纳统): the per-county list, a project's record and its
section on the project page, and the city office's threshold."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.accounts.city_settings import settings_city
from keyprojects.core.errors import ApplicationError, StaleVersionError
from keyprojects.core.forms import DateField, YearField
from keyprojects.core.htmx import render_page
from keyprojects.core.navigation import NavItem, register_nav_item
from keyprojects.core.settings_events import settings_history
from keyprojects.projects import permissions
from keyprojects.projects.forms import BootstrapForm
from keyprojects.projects.models import Project
from keyprojects.projects.sections import ProjectSection, register_project_section

from . import inclusion
from .models import ProgressSettings

if TYPE_CHECKING:
    from keyprojects.core.http import AuthenticatedRequest

PAGE_SIZE = 50


class InclusionForm(BootstrapForm):
    included_on = DateField(label=gettext_lazy("入库纳统日期"))
    statistics_code = forms.CharField(
        label=gettext_lazy("统计库项目编码"), max_length=inclusion.STATISTICS_CODE_MAX, required=False
    )
    etag = forms.CharField(widget=forms.HiddenInput)


class InclusionClearForm(BootstrapForm):
    reason = forms.CharField(label=gettext_lazy("撤销原因"), max_length=255)
    etag = forms.CharField(widget=forms.HiddenInput)


class ThresholdForm(BootstrapForm):
    inclusion_threshold = forms.DecimalField(
        label=gettext_lazy("纳统投资门槛(万元)"), max_digits=14, decimal_places=2, min_value=0
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class InclusionFilterForm(BootstrapForm):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("所属区域"), required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("纳统情况"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            (inclusion.InclusionState.MISSING, gettext_lazy("应纳未纳")),
            (inclusion.InclusionState.DUE, gettext_lazy("应纳统")),
            (inclusion.InclusionState.INCLUDED, gettext_lazy("已纳统")),
            (inclusion.InclusionState.NOT_DUE, gettext_lazy("暂不需纳统")),
        ],
    )
    year = YearField(label=gettext_lazy("年度"), required=False)
    as_of = DateField(label=gettext_lazy("截至日期"), required=False)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = [("", _("全部")), *regions]


@login_required
@require_GET
def inclusion_list(request: "AuthenticatedRequest") -> HttpResponse:
    permissions.require_project_access(request.user)
    filters = inclusion.InclusionFilters.from_mapping(request.GET)
    unfiltered = inclusion.InclusionFilters(as_of=filters.as_of, year=filters.year)
    summary = inclusion.inclusion_summary(user=request.user, filters=unfiltered)
    projects = inclusion.inclusion_list(user=request.user, filters=filters)
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    form = InclusionFilterForm(
        request.GET or None,
        regions=[(row.region_code, row.region_name) for row in summary],
        initial={"year": filters.year, "as_of": filters.as_of},
    )
    context = {
        "filters": filters,
        "form": form,
        "summary": summary,
        "totals": inclusion.inclusion_totals(summary),
        "page": page,
        "threshold": inclusion.inclusion_threshold(request.user.city_id),
        "can_configure": inclusion.can_configure_inclusion(request.user),
    }
    partial = None if request.htmx.history_restore_request else "results"
    return render_page(request, "progress/inclusion_list.html", context, partial=partial)


def _refused(form: BootstrapForm, error: ApplicationError) -> dict[str, Any]:
    form.apply_error(error)
    return {"stale": isinstance(error, StaleVersionError)}


def _recordable(request: "AuthenticatedRequest", pk: int) -> Project:
    permissions.require_project_access(request.user)
    project = permissions.project_access(request.user, pk)
    if not inclusion.can_record_inclusion(request.user, project):
        raise PermissionDenied(_("只有市重点项目办和项目所在县(市、区)可以登记入库纳统"))
    return project


@login_required
@require_http_methods(["GET", "POST"])
def inclusion_edit(request: "AuthenticatedRequest", pk: int) -> HttpResponse:
    project = _recordable(request, pk)
    status = inclusion.inclusion_status(project=project)
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
            inclusion.inclusion_record(
                user=request.user,
                project_id=project.pk,
                included_on=form.cleaned_data["included_on"],
                statistics_code=form.cleaned_data["statistics_code"],
                etag=form.cleaned_data["etag"],
            )
        except ApplicationError as error:
            extra = _refused(form, error)
        else:
            messages.success(request, _("已登记“%(name)s”入库纳统") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    clear_form = InclusionClearForm(initial={"etag": status.etag}) if status.included_on else None
    context = {"project": project, "status": status, "form": form, "clear_form": clear_form, **extra}
    return render(request, "progress/inclusion_form.html", context)


@login_required
@require_POST
def inclusion_clear(request: "AuthenticatedRequest", pk: int) -> HttpResponse:
    project = _recordable(request, pk)
    clear_form = InclusionClearForm(request.POST)
    extra: dict[str, Any] = {}
    if clear_form.is_valid():
        try:
            inclusion.inclusion_clear(
                user=request.user,
                project_id=project.pk,
                reason=clear_form.cleaned_data["reason"],
                etag=clear_form.cleaned_data["etag"],
            )
        except ApplicationError as error:
            extra = _refused(clear_form, error)
        else:
            messages.success(request, _("已撤销“%(name)s”的入库纳统") % {"name": project.name})
            return redirect("projects:detail", pk=project.pk)
    status = inclusion.inclusion_status(project=project)
    form = InclusionForm(
        initial={
            "included_on": status.included_on,
            "statistics_code": status.statistics_code,
            "etag": status.etag,
        }
    )
    context = {"project": project, "status": status, "form": form, "clear_form": clear_form, **extra}
    return render(request, "progress/inclusion_form.html", context, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def inclusion_settings(request: "AuthenticatedRequest") -> HttpResponse:
    if not inclusion.can_configure_inclusion(request.user):
        raise PermissionDenied(_("只有市重点项目办可以修改纳统门槛"))
    current = ProgressSettings.for_city(request.user.city_id)
    form = ThresholdForm(
        request.POST if request.method == "POST" else None,
        initial={"inclusion_threshold": current.inclusion_threshold, "version": current.version},
    )
    if form.is_bound and form.is_valid():
        try:
            inclusion.inclusion_settings_update(
                user=request.user,
                threshold=form.cleaned_data["inclusion_threshold"],
                version=form.cleaned_data["version"],
            )
        except StaleVersionError as error:
            # Keep what the user typed, based now on the saved settings: saving again is a choice.
            form = ThresholdForm(
                {**request.POST.dict(), "version": ProgressSettings.for_city(request.user.city_id).version}
            )
            form.is_valid()
            form.apply_error(error)
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("纳统门槛已保存"))
            return redirect("inclusion:list")
    history = settings_history(record=ProgressSettings.for_city(settings_city(request.user)))
    return render(request, "progress/inclusion_settings.html", {"form": form, "settings_history": history})


def project_section_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The 入库纳统 section of the project page."""
    return {
        "status": inclusion.inclusion_status(project=project),
        "can_record": inclusion.can_record_inclusion(request.user, project),  # type: ignore[arg-type]
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
        ProjectSection("statistics", "progress/inclusion_section.html", project_section_context, order=40)
    )
