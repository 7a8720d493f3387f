"""Pages of the warnings: the list, the supervision export, and the city office's rules."""

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keyprojects.accounts.access import project_filter, sees_by_region
from keyprojects.accounts.models import Region, User
from keyprojects.core.fragments import render_fragment
from keyprojects.core.history import decode
from keyprojects.core.htmx import render_page
from keyprojects.core.paging import paginate
from keyprojects.core.record_columns import record_columns
from keyprojects.core.rows import id_url
from keyprojects.core.settings_forms import edit_settings
from keyprojects.core.xlsx import xlsx_response
from keyprojects.projects.models import Project, ProjectTally
from keyprojects.projects.permissions import require_project_access, visible_projects

from . import selectors, services
from .exports import supervision_workbook
from .forms import WarningFilterForm, WarningRulesForm
from .messages import page_calendar_notice
from .models import Color, WarningRules

PAGE_SIZE = 50

if TYPE_CHECKING:
    from keyprojects.core.http import AuthenticatedRequest


def _regions(user: User) -> list[Region]:
    """The county-level regions of the projects the user sees, for the county filter: from the kept
    tallies of the project list when what the user sees is whole regions, without reading its projects."""
    held: QuerySet[Any] = (
        ProjectTally.objects.filter(project_filter(user), projects__gt=0)
        if sees_by_region(user)
        else visible_projects(user)
    )
    return list(Region.objects.filter(pk__in=held.values("region_id")).order_by("sort_order", "code"))


@login_required
def warning_list(request: "AuthenticatedRequest") -> HttpResponse:
    require_project_access(request.user)
    filters = selectors.WarningFilters.from_mapping(request.GET)
    warnings = selectors.warning_page_rows(user=request.user, filters=filters)
    counts = selectors.color_counts(warnings.counted)
    page = paginate(request, warnings, default=PAGE_SIZE, count=counts.total)
    # what every row repeats is rendered once: the project link and the three lights
    project_url = id_url("projects:detail")
    lights = {color: render_to_string("alerts/_light.html", {"color": color}) for color in Color.values}
    rows = [(row, project_url(row.project_id), lights[row.color]) for row in page.object_list]
    context = {
        "form": WarningFilterForm(request.GET or None, regions=_regions(request.user)),
        "page": page,
        "rows": render_fragment("alerts/list_rows.html", {"rows": rows}),
        "counts": counts,
        "can_edit_rules": services.can_edit_rules(request.user),
        "export_query": f"region={filters.region}" if filters.region else "",
        # overdue nodes are counted in working days: say once when a year's holidays are not known
        "calendar_notice": page_calendar_notice(
            (decode({"t": "map", "v": row.facts}) for row in page.object_list), timezone.localdate()
        ),
    }
    return render_page(request, "alerts/list.html", context, partial="results")


@login_required
def supervision_export(request: "AuthenticatedRequest") -> HttpResponse:
    """督办清单 for a county (`?region=371525`) or for everything the user sees."""
    require_project_access(request.user)
    region_code = request.GET.get("region") or None
    filters = selectors.WarningFilters(region=region_code)
    warnings = selectors.warning_list(user=request.user, filters=filters).filter(
        color__in=[Color.RED, Color.YELLOW]
    )
    region = Region.objects.filter(code=region_code).first() if region_code else None
    today = timezone.localdate()
    scope = region.name if region else _("全市")
    rows = list(warnings)
    ids = [w.pk for w in rows]
    extra = [(column, column.values(request.user, ids)) for column in record_columns("alerts.warning")]
    return xlsx_response(
        supervision_workbook(rows, scope_name=scope, today=today, extra=extra),
        filename=_("督办清单-%(scope)s-%(date)s.xlsx") % {"scope": scope, "date": today.isoformat()},
        fallback=f"supervision-{region_code or 'all'}-{today.isoformat()}.xlsx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def rules_edit(request: "AuthenticatedRequest") -> HttpResponse:
    services.require_rules_edit(request.user)
    city_id = request.user.city_id
    edit = edit_settings(
        request,
        record=lambda: WarningRules.for_city(city_id),
        form=lambda data, rules: WarningRulesForm(data, rules=rules),
        save=lambda form: services.warning_rules_update(
            user=request.user,
            data={name: form.cleaned_data[name] for name in services.RULE_FIELDS},
            version=form.cleaned_data["version"],
        ),
    )
    if edit.saved:
        messages.success(request, _("预警规则已保存，预警将按新规则重新计算"))
        return redirect("alerts:rules")
    return render(request, "alerts/rules.html", edit.context())


def project_section(request: HttpRequest, project: Project) -> dict[str, Any]:
    """The warnings section of the project page."""
    warnings = selectors.project_warnings(project=project)
    return {
        "project_warnings": warnings,
        "project_color": selectors.worst_color(warnings),
        "calendar_notice": selectors.warnings_calendar_notice(warnings, request),
    }
