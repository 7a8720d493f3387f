"""The pages of imports and exports: upload a project list and follow its import, download the template,
the filtered project list and a round's dispatch sheet."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keyprojects.core.errors import ApplicationError
from keyprojects.core.htmx import render_page
from keyprojects.core.http import AuthenticatedRequest
from keyprojects.core.record_links import RecordLink
from keyprojects.core.xlsx import xlsx_response
from keyprojects.progress.imports import may_import_reports
from keyprojects.progress.models import DispatchRound
from keyprojects.progress.selectors import round_access
from keyprojects.projects.forms import list_filters
from keyprojects.projects.permissions import require_project_access
from keyprojects.projects.selectors import project_list
from keyprojects.projects.vocabulary import city_vocabulary

from . import permissions, selectors, services
from .dispatch import dispatch_filename, dispatch_workbook
from .exports import export_title, project_list_workbook, template_workbook
from .forms import ImportForm
from .reading import MAX_UPLOAD_BYTES
from .reports import require_report_import, round_reports_import


def _scope_name(request: AuthenticatedRequest) -> str:
    organization = request.user.organization
    return organization.region.name if organization is not None else _("全市")


@login_required
@require_http_methods(["GET", "POST"])
def import_projects(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_import(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_start(
                user=request.user,
                filename=upload.name,
                content=upload.read(MAX_UPLOAD_BYTES + 1),
                dry_run=form.cleaned_data["dry_run"],
                language=get_language(),
            )
        except ApplicationError as error:
            form.apply_error(error)
        else:
            return redirect("sheets:import_job", pk=job.pk)
    context = {"form": form, "jobs": selectors.recent_jobs(request.user)}
    return render(request, "sheets/import.html", context, status=422 if form.errors else 200)


@login_required
def import_job(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A job's progress while it runs (the page asks again each second), its report once done."""
    job = selectors.import_job_access(request.user, pk)
    return render_page(request, "sheets/job.html", {"job": job}, partial="job")


@login_required
def import_template(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_import(request.user)
    return xlsx_response(
        template_workbook(), filename=_("重点项目清单导入模板.xlsx"), fallback="projects-template.xlsx"
    )


@login_required
def export_projects(request: AuthenticatedRequest) -> HttpResponse:
    """The project list as filtered on its page (the same query), every row of it."""
    require_project_access(request.user)
    words = city_vocabulary(request.user.city_id)
    _form, filters = list_filters(request.GET, user=request.user, words=words)
    today = timezone.localdate()
    projects = project_list(user=request.user, filters=filters)
    title = export_title(_scope_name(request), today)
    return xlsx_response(
        project_list_workbook(projects, user=request.user, title=title, words=words),
        filename=_("重点项目清单-%(date)s.xlsx") % {"date": today.isoformat()},
        fallback=f"projects-{today.isoformat()}.xlsx",
    )


@login_required
def dispatch_sheet(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A round's monthly dispatch sheet, of the round's projects the user sees."""
    dispatch_round = round_access(request.user, pk)
    filename, fallback = dispatch_filename(dispatch_round)
    return xlsx_response(
        dispatch_workbook(request.user, dispatch_round), filename=filename, fallback=fallback
    )


def dispatch_sheet_link(request: HttpRequest, dispatch_round: DispatchRound) -> RecordLink | None:
    """The sheet's link on the round's page (`progress.round`)."""
    return RecordLink(_("导出调度表"), reverse("sheets:dispatch_sheet", args=[dispatch_round.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def import_reports(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The round's month's reports from its dispatch sheet, by an owner or, where the round allows it, by
    the county on the owner's behalf; answered at once (a round's sheet is a few hundred rows)."""
    dispatch_round = round_access(request.user, pk)
    require_report_import(request.user, dispatch_round)
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["file"].label = _("调度表文件（.xlsx）")
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = round_reports_import(
                user=request.user,
                dispatch_round=dispatch_round,
                content=form.cleaned_data["file"].read(MAX_UPLOAD_BYTES + 1),
                dry_run=form.cleaned_data["dry_run"],
            )
        except ApplicationError as error:
            form.apply_error(error)
    context = {"form": form, "round": dispatch_round, "result": result and result.as_dict()}
    return render(request, "sheets/import_reports.html", context, status=422 if form.errors else 200)


def report_import_link(request: HttpRequest, dispatch_round: DispatchRound) -> RecordLink | None:
    """导入月报 on the round's page, for those who fill its reports."""
    if not may_import_reports(request.user, dispatch_round):  # type: ignore[arg-type]
        return None
    return RecordLink(_("从调度表导入月报"), reverse("sheets:import_reports", args=[dispatch_round.pk]))
