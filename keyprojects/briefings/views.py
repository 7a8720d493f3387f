"""The briefing page: choose the month and the slice, read the sentences and the table, download .docx / .pdf."""

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from keyprojects.core.replicas import lag_tolerant
from keyprojects.projects.permissions import require_project_access
from keyprojects.projects.selectors import ProjectFilters

from . import selectors
from .exports import briefing_download
from .forms import BriefingForm
from .layout import briefing_document

if TYPE_CHECKING:
    import datetime

    from keyprojects.core.http import AuthenticatedRequest

SLICE = ("region", "year", "level", "category", "chain")


def _asked(request: "AuthenticatedRequest") -> tuple[BriefingForm, "datetime.date", ProjectFilters]:
    today = timezone.localdate()
    month = selectors.default_month(today)
    form = BriefingForm(request.GET or None, initial={"month": month}, user=request.user)
    data: dict[str, Any] = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = ProjectFilters.from_mapping({k: data.get(k) for k in SLICE})
    return form, data.get("month") or month, filters


@login_required
@lag_tolerant
def briefing_page(request: "AuthenticatedRequest") -> HttpResponse:
    require_project_access(request.user)
    form, month, filters = _asked(request)
    found = selectors.briefing(user=request.user, month=month, today=timezone.localdate(), filters=filters)
    query = request.GET.copy()
    query["month"] = month.strftime("%Y-%m")
    return render(
        request,
        "briefings/briefing.html",
        {
            "form": form,
            "briefing": found,
            "document": briefing_document(found, charts=False),
            "download_query": query.urlencode(),
        },
    )


@login_required
@lag_tolerant
def briefing_file(request: "AuthenticatedRequest", kind: str) -> HttpResponse:
    require_project_access(request.user)
    _form, month, filters = _asked(request)
    return briefing_download(
        user=request.user, month=month, today=timezone.localdate(), filters=filters, kind=kind
    )
