"""The month's briefing as a download, for the same slice as `GET /api/v1/projects`."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router

from keyprojects.accounts.auth import api_user
from keyprojects.core.replicas import lag_tolerant
from keyprojects.projects.permissions import require_project_access

from .exports import briefing_download
from .schemas import BriefingFilter
from .selectors import default_month

router = Router(tags=["briefings"])


def _download(request: HttpRequest, filters: BriefingFilter, kind: str) -> HttpResponse:
    user = api_user(request)
    require_project_access(user)
    today = timezone.localdate()
    month = filters.month_date() or default_month(today)
    return briefing_download(user=user, month=month, today=today, filters=filters.to_filters(), kind=kind)


@router.get("/exports/briefing.docx", summary="月度通报（Word）", response={200: None})
@lag_tolerant
def briefing_docx(request: HttpRequest, filters: Query[BriefingFilter]) -> HttpResponse:
    return _download(request, filters, "docx")


@router.get("/exports/briefing.pdf", summary="月度通报（PDF）", response={200: None})
@lag_tolerant
def briefing_pdf(request: HttpRequest, filters: Query[BriefingFilter]) -> HttpResponse:
    return _download(request, filters, "pdf")
