"""The metrics page: the three rates per county for an as-of date."""

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils import timezone

from keyprojects.core.htmx import render_page
from keyprojects.projects.permissions import require_project_access
from keyprojects.projects.selectors import ProjectFilters

from . import selectors
from .forms import MetricsForm

if TYPE_CHECKING:
    from keyprojects.core.http import AuthenticatedRequest


@login_required
def rates(request: "AuthenticatedRequest") -> HttpResponse:
    require_project_access(request.user)
    today = timezone.localdate()
    form = MetricsForm(request.GET or None, initial={"as_of": today})
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    query = selectors.MetricsQuery.build(
        as_of=data.get("as_of") or today,
        filters=ProjectFilters.from_mapping({k: data.get(k) for k in ("year", "level", "category")}),
        start_basis=data.get("start_basis") or None,
        time_basis=data.get("time_basis") or None,
    )
    table = selectors.metrics_by_county(user=request.user, query=query)
    context = {"form": form, "table": table, "query": query}
    return render_page(request, "metrics/rates.html", context, partial="results")
