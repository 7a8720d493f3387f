"""The metrics pages: the three rates per county for an as-of date (and as a workbook), the city
office's counting bases, and a project's monthly plan."""

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keyprojects.accounts.access import may
from keyprojects.accounts.city_settings import settings_city
from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError
from keyprojects.core.forms import refused
from keyprojects.core.htmx import render_page
from keyprojects.core.replicas import lag_tolerant
from keyprojects.core.settings_forms import edit_settings
from keyprojects.core.xlsx import xlsx_response
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import (
    can_edit_project,
    project_access,
    require_edit,
    require_project_access,
)
from keyprojects.projects.selectors import ProjectFilters

from . import selectors, services
from .exports import rates_workbook
from .forms import MetricsForm, MetricsSettingsForm, MonthlyPlanForm
from .models import MetricsSettings

SLICE = ("year", "level", "category", "chain")

if TYPE_CHECKING:
    from keyprojects.core.http import AuthenticatedRequest


def _query(request: HttpRequest) -> tuple[MetricsForm, selectors.MetricsQuery]:
    """The page's form and what it asks for (invalid or blank fields fall back to the defaults)."""
    today = timezone.localdate()
    form = MetricsForm(request.GET or None, initial={"as_of": today}, user=cast(User, request.user))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    query = selectors.MetricsQuery.build(
        as_of=data.get("as_of") or today,
        filters=ProjectFilters.from_mapping({k: data.get(k) for k in SLICE}),
        start_basis=data.get("start_basis") or None,
        time_basis=data.get("time_basis") or None,
        city_id=cast(User, request.user).city_id,
    )
    return form, query


def _grouped_by_city(request: "AuthenticatedRequest") -> bool:
    """The province office compares its cities (unless it asks for counties); a city looks at its counties."""
    group = request.GET.get("group")
    if may(request.user, "rates.compare_cities"):
        return group != "county"
    return group == "city"


@login_required
@lag_tolerant
def rates(request: "AuthenticatedRequest") -> HttpResponse:
    require_project_access(request.user)
    form, query = _query(request)
    by_city = _grouped_by_city(request)
    table = (selectors.metrics_by_city if by_city else selectors.metrics_by_county)(
        user=request.user, query=query
    )
    context = {
        "form": form,
        "table": table,
        "by_city": by_city,
        "compares_cities": may(request.user, "rates.compare_cities"),
        "query": query,
        "export_query": request.GET.urlencode(),
        "can_configure": services.can_configure_metrics(request.user),
    }
    return render_page(request, "metrics/rates.html", context, partial="results")


@login_required
@lag_tolerant
def rates_export(request: "AuthenticatedRequest") -> HttpResponse:
    """The rates per county as .xlsx, for the same date, slice and bases as the page."""
    require_project_access(request.user)
    _form, query = _query(request)
    table = selectors.metrics_by_county(user=request.user, query=query)
    region = request.user.organization.region if request.user.organization else None
    scope = region.name if region is not None else _("全市")
    return xlsx_response(
        rates_workbook(table, query=query, scope_name=scope),
        filename=_("%(scope)s三率-%(year)s-%(date)s.xlsx")
        % {"scope": scope, "year": query.year, "date": query.as_of.isoformat()},
        fallback=f"rates-{query.year}-{query.as_of.isoformat()}.xlsx",
    )


def _metrics_settings_form(data: Any, current: MetricsSettings) -> MetricsSettingsForm:
    initial = {
        "start_basis": current.start_basis,
        "time_basis": current.time_basis,
        "version": current.version,
    }
    return MetricsSettingsForm(data, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request: "AuthenticatedRequest") -> HttpResponse:
    """The city office chooses the 开工率 denominator and the 序时进度 basis."""
    services.require_configure_metrics(request.user)
    city_id = settings_city(request.user)
    edit = edit_settings(
        request,
        record=lambda: MetricsSettings.for_city(city_id),
        form=_metrics_settings_form,
        save=lambda form: services.metrics_settings_update(
            user=request.user,
            data={name: form.cleaned_data[name] for name in ("start_basis", "time_basis")},
            version=form.cleaned_data["version"],
        ),
    )
    if edit.saved:
        messages.success(request, _("三率口径已保存"))
        return redirect("metrics:settings")
    return render(request, "metrics/settings.html", edit.context())


@login_required
@require_http_methods(["GET", "POST"])
def monthly_plan_edit(request: "AuthenticatedRequest", pk: int) -> HttpResponse:
    """A project's monthly investment plan for its list year, by those who may edit the project."""
    project = project_access(request.user, pk)
    require_edit(request.user, project)
    plan = services.monthly_plan(project=project, year=project.year)
    initial: dict[str, Any] = {f"month_{m}": a for m, a in plan.items()}
    initial["etag"] = services.monthly_plan_etag(plan)
    form = MonthlyPlanForm(request.POST if request.method == "POST" else None, initial=initial)
    extra: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        try:
            services.monthly_plan_set(
                user=request.user,
                project_id=project.pk,
                year=project.year,
                amounts=form.amounts(),
                etag=form.cleaned_data["etag"],
            )
        except ApplicationError as error:
            extra = refused(form, error)
        else:
            messages.success(request, _("月度计划已保存"))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "metrics/monthly_plan.html", {"form": form, "project": project, **extra})


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The monthly plan section of the project page: the plan of the list year, or nothing."""
    plan = services.monthly_plan(project=project, year=project.year)
    editable = can_edit_project(request.user, project)  # type: ignore[arg-type]
    if not plan and not editable:
        return None
    months = [(month, plan.get(month)) for month in services.MONTHS]
    return {
        "plan_months": months,
        "plan_total": sum(plan.values()) if plan else None,
        "plan_editable": editable,
    }
