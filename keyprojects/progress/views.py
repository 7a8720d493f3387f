"""The pages of monthly dispatch. Views parse input and render; services and selectors decide."""

import datetime
import mimetypes
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError, StaleVersionError
from keyprojects.core.fragments import render_fragment
from keyprojects.core.idempotency import run_once
from keyprojects.core.rows import id_url
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import project_access, require_project_access

from . import permissions, selectors, services
from .forms import CorrectionForm, ReportForm, ResubmitForm, ReviewForm, RoundForm
from .models import MonthlyReport, ReportPhoto

REVIEW_PAGE_SIZE = 50


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def _user(request: HttpRequest) -> User:
    require_project_access(request.user)  # type: ignore[arg-type]
    return request.user  # type: ignore[return-value]


def _month(year: int, month: int) -> datetime.date:
    try:
        return datetime.date(year, month, 1)
    except (ValueError, OverflowError):
        raise Http404(_("月份无效")) from None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """本月填报: the projects of the current round (or the one asked for) with their report status."""
    user = _user(request)
    round_id = request.GET.get("round")
    dispatch_round = selectors.round_access(user, round_id) if round_id else selectors.current_round(user)
    entries = selectors.round_entries(user, dispatch_round) if dispatch_round else []
    fills = dispatch_round is not None and permissions.fills_visible_projects(user, dispatch_round)
    rows = [{"entry": e, "can_fill": fills and e.report is None} for e in entries]
    counts = {
        status: sum(1 for e in entries if e.status == status) for status in ("missing", *MonthlyReport.Status)
    }
    context = {
        "round": dispatch_round,
        "rows": rows,
        "counts": counts,
        "rounds": selectors.visible_rounds(user)[:24],
        "queue_count": selectors.review_queue(user).count(),
        "can_open_round": permissions.can_open_round(user),
    }
    return render(request, "progress/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def round_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = RoundForm(request.POST or None) if permissions.can_open_round(user) else None
    if request.method == "POST":
        permissions.require_open_round(user)
        assert form is not None
        if form.is_valid():
            try:
                dispatch_round = services.round_open(user=user, **form.cleaned_data)
            except ApplicationError as error:
                form.apply_error(error)
            else:
                messages.success(request, _("%(title)s已开启") % {"title": dispatch_round.title})
                return redirect("progress:round", pk=dispatch_round.pk)
    rounds = selectors.visible_rounds(user)
    return render(request, "progress/rounds.html", {"rounds": rounds, "form": form})


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's late and missing reports, county by county."""
    user = _user(request)
    dispatch_round = selectors.round_access(user, pk)
    entries = selectors.round_entries(user, dispatch_round)
    context = {
        "round": dispatch_round,
        "summaries": selectors.round_summary(entries),
        "total": len(entries),
        "missing": sum(1 for e in entries if e.report is None),
        "late": sum(1 for e in entries if e.late),
    }
    return render(request, "progress/round_detail.html", context)


def _submit_once(
    request: HttpRequest,
    form: ReportForm,
    scope: str,
    target: dict[str, Any],
    action: Callable[[], MonthlyReport],
) -> HttpResponse | ApplicationError:
    """Run the form's action once per rendered form (its token, kept per user and `scope`, the kind of
    form); a repeated post lands where the first did. `target` names what the form writes to, so the
    same token sent for another project or report is refused. A refusal is put on the form and given
    back."""
    try:
        answer = run_once(
            user=request.user,  # type: ignore[arg-type]
            scope=scope,
            key=form.cleaned_data.get("token"),
            payload={**target, **form.fingerprint_data()},
            action=lambda: (200, {"report": action().pk}),
        )
    except ApplicationError as error:
        form.apply_error(error)
        return error
    if not answer.replayed:
        messages.success(request, _("月度报告已提交,等待审核"))
    return redirect("progress:report", pk=answer.body["report"])


def _render_form(
    request: HttpRequest, form: ReportForm, project: Project, result: object = None, **context: Any
) -> HttpResponse:
    if isinstance(result, HttpResponse):
        return result
    context = {"form": form, "project": project, "stale": isinstance(result, StaleVersionError), **context}
    return render(request, "progress/report_form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    user = _user(request)
    project = project_access(user, pk)
    month_start = _month(year, month)
    dispatch_round = selectors.project_round(project, month_start)
    permissions.require_fill(user, project, dispatch_round)
    existing = MonthlyReport.objects.filter(project=project, month=month_start, is_current=True).first()
    if existing is not None and request.method == "GET":
        return redirect("progress:report", pk=existing.pk)
    form = ReportForm(request.POST or None, request.FILES or None)
    result = None
    if form.is_bound and form.is_valid():
        result = _submit_once(
            request,
            form,
            "page:reports:create",
            {"project": project.pk, "month": month_start},
            lambda: services.report_submit(
                user=user, project_id=project.pk, month=month_start, **form.report_fields()
            ),
        )
    return _render_form(
        request, form, project, result, month=month_start, round=dispatch_round, mode="create"
    )


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    report = selectors.report_with_history(pk, user)
    versions = selectors.with_figures(
        selectors.month_versions(report)
        .select_related("dispatch_round", "submitted_by", "reviewed_by")
        .prefetch_related("events__actor", "photos"),
        changes=True,
    )
    context = {
        "report": report,
        "project": report.project,
        "versions": versions,
        "can_review": report.status == MonthlyReport.Status.SUBMITTED
        and permissions.can_review(user, report),
        "can_edit": report.status == MonthlyReport.Status.RETURNED
        and permissions.can_write_report(user, report),
        "can_correct": report.status == MonthlyReport.Status.ACCEPTED
        and report.is_current
        and permissions.can_write_report(user, report),
        "review_form": ReviewForm(),
    }
    return render(request, "progress/report_detail.html", context)


def _report_fields_initial(report: MonthlyReport) -> dict[str, Any]:
    names = ("construction", "installation", "equipment", "other", "total", "progress_text", "problems")
    return {name: getattr(report, name) for name in (*names, "workers", "override_reason")}


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a returned report and send it again."""
    user = _user(request)
    report = selectors.report_access(user, pk)
    permissions.require_write_report(user, report)
    initial = {**_report_fields_initial(report), "revision": selectors.report_revision(report)}
    if request.method == "GET" and report.status != MonthlyReport.Status.RETURNED:
        messages.info(request, _("只有被退回的报告可以修改;已通过审核的报告如需更正,请提交更正并说明原因"))
        return redirect("progress:report", pk=report.pk)
    form = ResubmitForm(request.POST or None, request.FILES or None, initial=initial)
    result = None
    if form.is_bound and form.is_valid():
        result = _submit_once(
            request,
            form,
            "page:reports:resubmit",
            {"report": report.pk},
            lambda: services.report_resubmit(
                user=user, report_id=report.pk, revision=form.cleaned_data["revision"], **form.report_fields()
            ),
        )
    return _render_form(request, form, report.project, result, report=report, month=report.month, mode="edit")


@login_required
@require_http_methods(["GET", "POST"])
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct an accepted report: a new version, with the reason, reviewed again."""
    user = _user(request)
    report = selectors.report_access(user, pk)
    permissions.require_write_report(user, report)
    form = CorrectionForm(request.POST or None, request.FILES or None, initial=_report_fields_initial(report))
    result = None
    if form.is_bound and form.is_valid():
        result = _submit_once(
            request,
            form,
            "page:reports:correct",
            {"report": report.pk},
            lambda: services.report_correct(
                user=user, report_id=report.pk, reason=form.cleaned_data["reason"], **form.report_fields()
            ),
        )
    return _render_form(
        request, form, report.project, result, report=report, month=report.month, mode="correct"
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """Reports awaiting review in the user's region (the city office: all), oldest first."""
    user = _user(request)
    if not permissions.can_review_anything(user):
        raise PermissionDenied(_("只有县(市、区)和市重点项目办审核月度报告"))
    q = request.GET.get("q", "")
    page = Paginator(selectors.review_queue_rows(user, q=q), REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # every row's form is the same but for the report's id: its links are reversed once for the page
    report_url, review_url = id_url("progress:report"), id_url("progress:report_review")
    rows = [
        (report, report_url(report.pk), review_url(report.pk))
        for report in selectors.with_figures(page, changes=True)
    ]
    context = {"page": page, "rows": _review_rows(request, rows), "q": q}
    return render(request, "progress/review_queue.html", context)


def _review_rows(
    request: HttpRequest,
    rows: list[tuple[MonthlyReport, str, str]],
    *,
    form: ReviewForm | None = None,
    reviewed: bool = False,
) -> SafeString:
    """The review queue's rows (a report, its page and its review action), each with the review form, or,
    once `reviewed`, the status it was given; with the errors of a `form` that was sent."""
    errors = form.errors if form is not None else {}
    context = {
        "rows": rows,
        "reviewed": reviewed,
        "reason_label": _("退回原因"),
        "accept_label": _("通过"),
        "return_label": _("退回"),
        "errors": {
            "reason": bool(errors.get("reason")),
            "all": [
                *errors.get(NON_FIELD_ERRORS, []),
                *errors.get("reason", []),
                *errors.get("decision", []),
            ],
        },
    }
    if reviewed:
        (report, _url, _review) = rows[0]
        context["status_badge"] = render_to_string(
            "progress/_status.html", {"status": report.status, "label": report.get_status_display()}
        )
    return render_fragment("progress/review_rows.html", context, request)


@login_required
@require_POST
def report_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Accept or return a report. From the queue (htmx) the row is answered; otherwise the report page."""
    user = _user(request)
    report = selectors.report_access(user, pk)
    permissions.require_review(user, report)  # before the form: no form errors for who may not review
    form = ReviewForm(request.POST)
    error: ApplicationError | None = None
    if form.is_valid():
        try:
            report = services.report_review(user=user, report_id=pk, **form.cleaned_data)
        except ApplicationError as exc:
            error = exc
            form.apply_error(exc)
    if request.htmx:
        (report,) = selectors.with_figures([report], changes=True)
        row = (
            report,
            reverse("progress:report", args=[report.pk]),
            reverse("progress:report_review", args=[report.pk]),
        )
        return HttpResponse(
            _review_rows(request, [row], form=form, reviewed=error is None and form.is_valid())
        )
    if error is not None or not form.is_valid():
        for messages_of_field in form.errors.values():
            for message in messages_of_field:
                messages.error(request, str(message))
    else:
        messages.success(request, _("审核结果已保存:%(status)s") % {"status": report.get_status_display()})
    return redirect("progress:report", pk=pk)


@login_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """A site photo, for those who may see its project only."""
    user = _user(request)
    site_photo = get_object_or_404(ReportPhoto.objects.select_related("report"), pk=pk)
    selectors.report_access(user, site_photo.report_id)
    content_type = mimetypes.guess_type(site_photo.image.name or "")[0] or "application/octet-stream"
    return FileResponse(site_photo.image.open("rb"), content_type=content_type)


def project_section_context(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The month-by-month table of the project page; hidden for projects never in a round."""
    reports = selectors.with_figures(selectors.project_reports(project))
    rounds = list(project.dispatch_rounds.order_by("-year", "-month"))
    if not reports and not rounds:
        return None
    months: dict[datetime.date, list[MonthlyReport]] = {}
    for report in reports:
        months.setdefault(report.month, []).append(report)
    user = request.user
    today = timezone.localdate()
    fillable = [
        r
        for r in rounds
        if r.opens_on <= today
        and datetime.date(r.year, r.month, 1) not in months
        and permissions.can_fill(user, project, r)  # type: ignore[arg-type]
    ]
    return {
        "report_months": [{"month": m, "current": rs[0], "older": rs[1:]} for m, rs in months.items()],
        "fillable_rounds": fillable[:3],
    }
