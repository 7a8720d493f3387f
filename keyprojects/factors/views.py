"""The factor pages: the command post, a pool with its ledger, the forms that set pools, state demands,
allocate and release, and the project page's section."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts.access import may
from keyprojects.accounts.models import Region
from keyprojects.accounts.selectors import require_city
from keyprojects.core.errors import ApplicationError
from keyprojects.core.fragments import render_fragment
from keyprojects.core.http import AuthenticatedRequest
from keyprojects.core.inputs import YEAR_MAX, YEAR_MIN
from keyprojects.core.rows import id_url
from keyprojects.core.rows import labels as choice_labels
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.models import Project

from . import permissions, selectors, services
from .forms import AllocationForm, DemandForm, PoolForm, ReleaseForm
from .models import FactorKind, FactorPool, amount_text, unit_of

LEDGER_SHOWN = 100


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if YEAR_MIN <= year <= YEAR_MAX else today.year


@login_required
def command_post(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_view(request.user)
    post = selectors.command_post(user=request.user, year=_year(request), today=timezone.localdate())
    rows = WaitingRows()
    context = {
        "post": post,
        "waiting_tables": [(k, rows.render(k.waiting)) for k in post.kinds if k.waiting],
        "project_rows": rows.render_projects(post.projects),
        "can_manage": permissions.can_manage(request.user),
    }
    return render(request, "factors/command_post.html", context)


class WaitingRows:
    """The command post's rows of waiting demands, each cell prepared once and rendered through Jinja2: the
    labels translated and the project page's address reversed once per page, not once per row."""

    def __init__(self) -> None:
        self.url = id_url("projects:detail", "#project-factors")
        self.kinds = choice_labels(FactorKind.choices)
        self.units = {kind: unit_of(kind) for kind in FactorKind.values}
        self.labels = {
            "project": _("项目名称"),
            "needed_by": _("需要时间"),
            "lacking": _("尚缺"),
            "overdue": _("已逾期"),
            "first": _("最早需要"),
        }

    def row(self, waiting: selectors.Waiting) -> dict[str, Any]:
        return {
            "url": self.url(waiting.project_id),
            "name": waiting.project_name,
            "region": waiting.region_name,
            "kind": self.kinds[waiting.kind],
            "unit": self.units[waiting.kind],
            "lacking": amount_text(waiting.lacking),
            "needed_by": waiting.needed_by.isoformat(),
            "overdue": waiting.overdue,
        }

    def render(self, waiting: list[selectors.Waiting]) -> str:
        return render_fragment(
            "factors/waiting_rows.html", {"rows": map(self.row, waiting), "labels": self.labels}
        )

    def render_projects(self, projects: list[selectors.ProjectLacks]) -> str:
        shown = [
            {
                "url": self.url(p.project_id),
                "name": p.project_name,
                "region": p.region_name,
                "first": p.first_needed.isoformat(),
                "items": [self.row(item) for item in p.items],
            }
            for p in projects
        ]
        return render_fragment("factors/lacking_rows.html", {"projects": shown, "labels": self.labels})


def _regions(request: AuthenticatedRequest) -> list[tuple[str, str]]:
    city = Region.objects.get(pk=require_city(request.user))
    counties = Region.objects.filter(city_id=city.pk).exclude(
        kind__in=[Region.Kind.PROVINCE, Region.Kind.CITY]
    )
    return [(city.code, _("%(city)s（全市）") % {"city": city.name}), *((r.code, r.name) for r in counties)]


@login_required
@require_http_methods(["GET", "POST"])
def pool_set(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_manage(request.user)
    initial = {"year": _year(request), **{k: request.GET[k] for k in ("kind", "region") if k in request.GET}}
    data = request.POST if request.method == "POST" else None
    form = PoolForm(data, initial=initial, regions=_regions(request))
    if form.is_bound and form.is_valid():
        try:
            pool, _made = services.pool_set(user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已核定%(pool)s总量") % {"pool": pool})
            return redirect("factors:pool", pk=pool.pk)
    return render(request, "factors/pool_form.html", {"form": form})


def _allocation_form(request: AuthenticatedRequest, pool: FactorPool, data: Any = None) -> AllocationForm:
    """The projects this pool may give to: unmet demands of its kind, of projects in its region that the
    user acts on."""
    demands = selectors.unmet_demands(request.user).filter(
        kind=pool.kind, project__region__path__startswith=pool.region.path
    )
    projects = Project.objects.filter(
        project_permissions.acting_filter(request.user), pk__in=demands.values("project_id")
    ).order_by("name")
    choices = [("", "—"), *projects.values_list("pk", "name")]
    return AllocationForm(data, projects=choices, initial={"project": request.GET.get("project", "")})


@login_required
def pool_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    pool = permissions.pool_access(request.user, pk)
    return _pool_page(request, pool)


def _pool_page(
    request: AuthenticatedRequest, pool: FactorPool, form: AllocationForm | None = None
) -> HttpResponse:
    can_allocate = may(request.user, "factor.allocate") and permissions.can_allocate_from(request.user, pool)
    if form is None and can_allocate:
        form = _allocation_form(request, pool)
    context = {
        "pool": pool,
        "sub_pools": selectors.sub_pools(pool),
        "allocations": list(selectors.allocation_list(user=request.user, pool_id=pool.pk)),
        "entries": list(selectors.ledger(user=request.user, pool_id=pool.pk)[:LEDGER_SHOWN]),
        "form": form,
        "can_allocate": can_allocate,
        "can_manage": permissions.can_manage(request.user),
        "release_form": ReleaseForm(),
    }
    return render(request, "factors/pool.html", context)


@login_required
@require_POST
def allocate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    pool = permissions.pool_access(request.user, pk)
    if not may(request.user, "factor.allocate"):
        raise PermissionDenied(_("您无权配置要素"))
    form = _allocation_form(request, pool, request.POST)
    if form.is_valid():
        try:
            services.allocation_create(
                user=request.user,
                pool_id=pool.pk,
                project_id=form.cleaned_data["project"],
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已配置"))
            return redirect("factors:pool", pk=pool.pk)
    return _pool_page(request, pool, form)


@login_required
@require_POST
def release(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    allocation = permissions.allocation_access(request.user, pk)
    permissions.require_allocate(request.user, allocation.project, allocation.pool)
    form = ReleaseForm(request.POST)
    if form.is_valid():
        try:
            services.allocation_release(
                user=request.user,
                allocation_id=allocation.pk,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            for texts in error.field_messages().values():
                for text in texts:
                    messages.error(request, text)
        else:
            messages.success(request, _("已收回"))
    else:
        messages.error(request, _("请填写收回的理由"))
    return redirect("factors:pool", pk=allocation.pool_id)


@login_required
@require_http_methods(["GET", "POST"])
def demand_create(request: AuthenticatedRequest, project_pk: int) -> HttpResponse:
    project = project_permissions.project_access(request.user, project_pk)
    permissions.require_demand(request.user, project)
    form = DemandForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.demand_create(user=request.user, project_id=project.pk, **form.cleaned_data)
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("已填报要素需求"))
            return redirect(f"{project_url(project)}#project-factors")
    return render(request, "factors/demand_form.html", {"form": form, "project": project})


def project_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.pk])


@login_required
@require_POST
def demand_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    demand = permissions.demand_access(request.user, pk)
    try:
        services.demand_withdraw(user=request.user, demand_id=demand.pk)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("已撤回要素需求"))
    return redirect(f"{project_url(demand.project)}#project-factors")


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """What the project asked for, what it got and what it still lacks; 填报需求 for who may."""
    user = request.user
    can_demand = permissions.can_demand(user, project)  # type: ignore[arg-type]
    demands, allocations = selectors.project_factors(project)
    if not demands and not allocations and not can_demand:
        return None
    return {
        "factor_demands": demands,
        "factor_allocations": allocations,
        "can_demand": can_demand,
        "factor_today": timezone.localdate(),
    }
