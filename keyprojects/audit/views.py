from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from keyprojects.core.paging import paginate
from keyprojects.core.xlsx import xlsx_response

from .display import audit_row
from .exports import audit_workbook
from .forms import AuditFilterForm
from .models import AuditKind
from .permissions import can_read_audit, require_audit_reader
from .selectors import AuditFilters, audit_list


def todo_context(request: HttpRequest) -> dict[str, Any] | None:
    """我的待办 of the audit administrator: the way to the trail, with today's refusals and failed sign-ins."""
    if not can_read_audit(request.user):
        return None
    today = timezone.localdate()
    counts = [
        (AuditKind(kind).label, kind, audit_list(AuditFilters(kind=kind, since=today, until=today)).count())
        for kind in (AuditKind.SIGN_IN_FAILED, AuditKind.LOCKOUT, AuditKind.DENIED)
    ]
    return {"today": today, "counts": counts}


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    page = paginate(request, audit_list(form.filters()))
    rows = [audit_row(record) for record in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_list.html",
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    require_audit_reader(request.user)
    form = AuditFilterForm(request.GET or None)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(
        audit_workbook(audit_list(form.filters())),
        filename=f"审计记录-{stamp}.xlsx",
        fallback=f"audit-{stamp}.xlsx",
    )
