"""Lists in and out over HTTP: the same import and workbooks as the pages."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from keyprojects.accounts.auth import api_user
from keyprojects.core.api import Id
from keyprojects.core.xlsx import CONTENT_TYPE, xlsx_response
from keyprojects.progress.selectors import round_access
from keyprojects.projects.permissions import require_project_access
from keyprojects.projects.schemas import ProjectFilter
from keyprojects.projects.selectors import project_list

from . import services
from .dispatch import dispatch_filename, dispatch_workbook
from .exports import export_title, project_list_workbook
from .reading import MAX_UPLOAD_BYTES
from .schemas import ImportOut

router = Router(tags=["sheets"])
XLSX = {"responses": {200: {"description": "Excel 工作簿", "content": {CONTENT_TYPE: {}}}}}


@router.post("/imports/projects", response=ImportOut, summary="从Excel导入项目清单（全部写入或全不写入）")
def import_projects(
    request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False
) -> dict[str, Any]:
    """Rows are checked like the project form; with any error nothing is written and `ok` is false with
    each row's errors; `dry_run=true` reports without writing."""
    result = services.projects_import(
        user=api_user(request), content=file.read(MAX_UPLOAD_BYTES + 1), dry_run=dry_run
    )
    return result.as_dict()


@router.get("/exports/projects.xlsx", summary="导出项目清单（筛选条件同项目列表）", openapi_extra=XLSX)
def export_projects(request: HttpRequest, filters: Query[ProjectFilter]) -> HttpResponse:
    user = api_user(request)
    require_project_access(user)
    today = timezone.localdate()
    organization = user.organization
    scope = organization.region.name if organization is not None else _("全市")
    projects = project_list(user=user, filters=filters.to_filters())
    return xlsx_response(
        project_list_workbook(projects, user=user, title=export_title(scope, today)),
        filename=_("重点项目清单-%(date)s.xlsx") % {"date": today.isoformat()},
        fallback=f"projects-{today.isoformat()}.xlsx",
    )


@router.get("/exports/dispatch-sheet.xlsx", summary="导出调度期的月度调度表", openapi_extra=XLSX)
def export_dispatch_sheet(request: HttpRequest, round: Query[Id]) -> HttpResponse:  # the clients' name
    user = api_user(request)
    dispatch_round = round_access(user, round)
    filename, fallback = dispatch_filename(dispatch_round)
    return xlsx_response(dispatch_workbook(user, dispatch_round), filename=filename, fallback=fallback)
