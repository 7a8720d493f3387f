"""The pages of monthly dispatch. Views parse input and render; services and selectors decide."""

import datetime
import mimetypes
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.middleware import HtmxDetails

from keyprojects.accounts.access import sees_whole_tenant
from keyprojects.accounts.models import User
from keyprojects.accounts.selectors import county_choices
from keyprojects.core.conflicts import offer, reapplied
from keyprojects.core.errors import ApplicationError, StaleVersionError
from keyprojects.core.fragments import render_fragment
from keyprojects.core.idempotency import run_once
from keyprojects.core.paging import paginate
from keyprojects.core.rows import id_url
from keyprojects.core.templatetags.money import wan
from keyprojects.core.text import join_list
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import has_project_access, project_access, require_project_access

from . import permissions, reminders, selectors, services
from .forms import (
    ENTRY_STATUSES,
    BatchAcceptForm,
    CorrectionForm,
    QueueFilterForm,
    ReportForm,
    ResubmitForm,
    ReviewForm,
    RoundFilterForm,
    RoundForm,
)
from .models import MonthlyReport, ProgressSettings, ReportPhoto
from .photos import limit_mb


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
    form = RoundFilterForm(request.GET or None, regions=county_choices(user))
    region, status = form.picked()
    if region:
        entries = [e for e in entries if f"/{region}/" in e.project.region.path]
    # each card counts what its link lists: the county's entries of that status
    cards = [(key, label, sum(1 for e in entries if e.status == key)) for key, label in ENTRY_STATUSES]
    page = paginate(request, [e for e in entries if e.status == status] if status else entries)
    fills = dispatch_round is not None and permissions.fills_visible_projects(user, dispatch_round)
    rows = [{"entry": e, "can_fill": fills and e.report is None} for e in page]
    context = {
        "round": dispatch_round,
        "form": form,
        "page": page,
        "rows": rows,
        "cards": cards,
        "reset_url": f"{reverse('progress:home')}?round={dispatch_round.pk}" if dispatch_round else "",
        "rounds": selectors.visible_rounds(user)[:24],
        "queue_count": selectors.review_queue(user).count(),
        # the card counts exactly what the queue of this round lists
        "round_queue_count": selectors.review_queue(
            user, selectors.QueueFilters(round_id=dispatch_round.pk)
        ).count()
        if dispatch_round and permissions.can_review_anything(user)
        else None,
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
        "can_urge": permissions.can_review_anything(user),
    }
    return render(request, "progress/round_detail.html", context)


@login_required
@require_POST
def round_urge(request: HttpRequest, pk: int) -> HttpResponse:
    """催报: remind the owners and counties of the round's unreported and returned reports, once a day."""
    run = reminders.round_urge(user=_user(request), round_id=pk)
    if run.urged:
        messages.success(
            request,
            _("已催报 %(n)s 个项目，通知项目单位和所在县（市、区）共 %(people)s 人次")
            % {"n": run.urged, "people": run.notified},
        )
    elif run.projects:
        messages.info(request, _("这些项目今天已催报过，没有重复发送"))
    else:
        messages.info(request, _("本期没有未报或被退回的报告，无需催报"))
    return redirect("progress:round", pk=pk)


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
        messages.success(request, _("月度报告已提交，等待审核"))
    return redirect("progress:report", pk=answer.body["report"])


def _render_form(
    request: HttpRequest, form: ReportForm, project: Project, result: object = None, **context: Any
) -> HttpResponse:
    if isinstance(result, HttpResponse):
        return result
    max_bytes = ProgressSettings.for_city(project.city_id).photo_max_bytes
    context = {
        "form": form,
        "project": project,
        "stale": isinstance(result, StaleVersionError),
        "photo_max_bytes": max_bytes,
        "photo_limits": _(
            "JPG、PNG或WEBP格式，每张不超过%(mb)sMB（更大的照片在手机上先压缩再上传），每份报告最多%(n)s张；保留拍摄时间"
        )
        % {"mb": limit_mb(max_bytes), "n": services.MAX_PHOTOS},
        **context,
    }
    return render(request, "progress/report_form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def report_create(request: HttpRequest, pk: int, year: int, month: int) -> HttpResponse:
    """A month's report: sent for review, or (保存草稿) kept as a draft to finish later."""
    user = _user(request)
    project = project_access(user, pk)
    month_start = _month(year, month)
    dispatch_round = selectors.project_round(project, month_start)
    permissions.require_fill(user, project, dispatch_round)
    existing = MonthlyReport.objects.filter(project=project, month=month_start, is_current=True).first()
    if existing is not None and request.method == "GET":
        return redirect("progress:report", pk=existing.pk)
    if request.method == "POST" and request.POST.get("action") == "draft":
        return _save_draft(request, user, project, month_start)
    draft = selectors.month_draft(project, month_start)
    form = ReportForm(
        request.POST or None, request.FILES or None, initial=dict(draft.fields) if draft else None
    )
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
    upload_url = reverse("progress:draft_photos", args=[project.pk, year, month])
    return _render_form(
        request,
        form,
        project,
        result,
        month=month_start,
        round=dispatch_round,
        mode="create",
        draft=draft,
        upload_url=upload_url,
    )


def _save_draft(request: HttpRequest, user: User, project: Project, month: datetime.date) -> HttpResponse:
    """Keep the form as typed; photos sent with it (without script) are kept one by one, a refused one
    named in a message."""
    try:
        services.draft_save(user=user, project_id=project.pk, month=month, fields=request.POST)
        for upload in request.FILES.getlist("photos"):
            try:
                services.draft_photo_add(user=user, project_id=project.pk, month=month, photo=upload)
            except ApplicationError as error:
                messages.error(request, _photo_error(error))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("草稿已保存，可稍后在手机或电脑上继续填写并提交"))
    return redirect("progress:report_create", pk=project.pk, year=month.year, month=month.month)


def _photo_error(error: ApplicationError) -> str:
    return str((error.errors or {}).get("photos", [error.message])[0])


def _taken_at(value: str) -> datetime.datetime | None:
    """The moment the device read from a photo's EXIF (local wall-clock time), if well formed."""
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@login_required
@require_POST
def draft_photo_upload(request: HttpRequest, pk: int, year: int, month: int) -> JsonResponse:
    """One photo for a month's report being written (each photo is sent alone, so a refused one leaves
    the others): the photo kept with the draft, or why it was refused."""
    user = _user(request)
    try:
        photo = services.draft_photo_add(
            user=user,
            project_id=pk,
            month=_month(year, month),
            photo=request.FILES.get("photo"),
            taken_at=_taken_at(request.POST.get("taken_at", "")),
        )
    except ApplicationError as error:
        return JsonResponse({"error": _photo_error(error)}, status=422)
    return JsonResponse(
        {
            "id": photo.pk,
            "url": reverse("progress:draft_photo", args=[photo.pk]),
            "delete_url": reverse("progress:draft_photo_delete", args=[photo.pk]),
            "taken_at": timezone.localtime(photo.taken_at).strftime("%Y-%m-%d %H:%M")
            if photo.taken_at
            else "",
        }
    )


@login_required
def draft_photo(request: HttpRequest, pk: int) -> FileResponse:
    photo = selectors.draft_photo_access(_user(request), pk)
    content_type = mimetypes.guess_type(photo.image.name or "")[0] or "application/octet-stream"
    return FileResponse(photo.image.open("rb"), content_type=content_type)


@login_required
@require_POST
def draft_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    photo = selectors.draft_photo_access(user, pk)
    draft = photo.draft
    try:
        services.draft_photo_remove(user=user, photo_id=pk)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"deleted": pk})
    return redirect(
        "progress:report_create", pk=draft.project_id, year=draft.month.year, month=draft.month.month
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
        **_since_return(next(v for v in versions if v.pk == report.pk)),
    }
    return render(request, "progress/report_detail.html", context)


def _since_return(report: MonthlyReport) -> dict[str, Any]:
    """What a resubmitted report changed since it was returned, each field beside last month's figure."""
    changes = getattr(report, "changes_since_return", [])
    previous = selectors.last_month_report(report) if changes else None
    rows = []
    for change in changes:
        value = getattr(previous, change.field) if previous is not None else None
        last = wan(value) if isinstance(value, Decimal) else ("" if value is None else str(value))
        rows.append({"change": change, "last_month": last})
    return {"since_return": rows, "last_month": previous}


def _report_fields_initial(report: MonthlyReport) -> dict[str, Any]:
    names = ("construction", "installation", "equipment", "other", "total", "progress_text", "problems")
    return {name: getattr(report, name) for name in (*names, "workers", "override_reason")}


def _staged_photos(report: MonthlyReport) -> dict[str, Any]:
    """The photo field of a resubmission or correction as on the fill form: each photo sent alone as it is
    chosen, waiting with the month's draft until the form is sent."""
    month = report.month
    return {
        "draft": selectors.month_draft(report.project, month),
        "upload_url": reverse("progress:draft_photos", args=[report.project_id, month.year, month.month]),
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a returned report and send it again."""
    user = _user(request)
    report = selectors.report_access(user, pk)
    permissions.require_write_report(user, report)
    initial = {**_report_fields_initial(report), "revision": selectors.report_revision(report)}
    if request.method == "GET" and report.status != MonthlyReport.Status.RETURNED:
        messages.info(request, _("只有被退回的报告可以修改；已通过审核的报告如需更正，请提交更正并说明原因"))
        return redirect("progress:report", pk=report.pk)
    form = ResubmitForm(
        reapplied(request.POST) if request.POST else None, request.FILES or None, initial=initial
    )
    result = None
    merge = None
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
        if isinstance(result, StaleVersionError):
            # the latest version in the form, with what the user typed offered on top of it
            report = selectors.report_access(user, pk)
            latest = ResubmitForm(
                initial={**_report_fields_initial(report), "revision": selectors.report_revision(report)}
            )
            merge = offer(form, latest, lambda names: selectors.report_savers(report, names))
            form, result = latest, None
    return _render_form(
        request,
        form,
        report.project,
        result,
        report=report,
        month=report.month,
        mode="edit",
        merge=merge,
        **_staged_photos(report),
    )


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
        request,
        form,
        report.project,
        result,
        report=report,
        month=report.month,
        mode="correct",
        **_staged_photos(report),
    )


def _queue_filter(request: HttpRequest, user: User) -> QueueFilterForm:
    rounds = [(r.pk, r.title) for r in selectors.visible_rounds(user)[:24]]
    return QueueFilterForm(
        request.GET or None,
        rounds=rounds,
        regions=county_choices(user),
        whole_city=sees_whole_tenant(user),
    )


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    """The reports waiting for this user's review (`selectors.waiting_for`), oldest first, each with its
    review form and a box to accept several at once."""
    user = _user(request)
    if not permissions.can_review_anything(user):
        raise PermissionDenied(_("只有县（市、区）和市重点项目办审核月度报告"))
    form = _queue_filter(request, user)
    filters = form.filters()
    page = paginate(request, selectors.review_queue_rows(user, filters))
    # every row's form is the same but for the report's id: its links are reversed once for the page
    report_url, review_url = id_url("progress:report"), id_url("progress:report_review")
    rows = [(report, report_url(report.pk), review_url(report.pk)) for report in page]
    unfiltered = filters == selectors.QueueFilters()
    context = {
        "form": form,
        "page": page,
        "rows": _review_rows(request, rows),
        "queue_count": page.paginator.count if unfiltered else selectors.review_queue(user).count(),
    }
    return render(request, "progress/review_queue.html", context)


@login_required
@require_POST
def review_batch(request: HttpRequest) -> HttpResponse:
    """Accept the reports ticked on the queue; each is checked by the rules of a single review, and the
    page says which were accepted and which were refused, and why."""
    user = _user(request)
    if not permissions.can_review_anything(user):
        raise PermissionDenied(_("只有县（市、区）和市重点项目办审核月度报告"))
    form = BatchAcceptForm(request.POST)
    back = request.POST.get("next", "")
    back = back if back.startswith(reverse("progress:review_queue")) else reverse("progress:review_queue")
    if not form.is_valid():
        for error in form.errors.get("reports", []):
            messages.error(request, str(error))
        return redirect(back)
    try:
        result = services.reports_accept(user=user, report_ids=form.cleaned_data["reports"])
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect(back)
    if result.accepted:
        names = join_list([r.project.name for r in result.accepted])
        messages.success(
            request,
            ngettext("已通过 %(n)s 份报告：%(names)s", "已通过 %(n)s 份报告：%(names)s", len(result.accepted))
            % {"n": len(result.accepted), "names": names},
        )
    names_of = selectors.report_names(user, [r.report_id for r in result.refused])
    for refusal in result.refused:
        messages.error(
            request,
            _("未通过 %(name)s：%(reason)s")
            % {"name": names_of.get(refusal.report_id, f"#{refusal.report_id}"), "reason": refusal.message},
        )
    return redirect(back)


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
        "pick_label": _("选中此报告"),
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
        messages.success(request, _("审核结果已保存：%(status)s") % {"status": report.get_status_display()})
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


def todo_context(request: HttpRequest) -> dict[str, Any] | None:
    """我的待办: this round's reports the user files and that are missing (a draft or not) or returned, with
    the reason; and, for a reviewer, how many reports await review."""
    user = cast(User, request.user)  # the page is for signed-in people only
    if not has_project_access(user):
        return None
    dispatch_round = selectors.current_round(user)
    items: list[dict[str, Any]] = []
    if dispatch_round is not None and permissions.fills_visible_projects(user, dispatch_round):
        entries = [
            e
            for e in selectors.round_entries(user, dispatch_round)
            if e.report is None or e.report.status == MonthlyReport.Status.RETURNED
        ]
        month = datetime.date(dispatch_round.year, dispatch_round.month, 1)
        drafts = selectors.drafts_by_project([e.project for e in entries], month)
        items = [{"entry": e, "draft": drafts.get(e.project.pk), "month": month} for e in entries]
    queue = selectors.review_queue(user).count() if permissions.can_review_anything(user) else None
    if dispatch_round is None and not queue:
        return None
    return {"round": dispatch_round, "items": items, "queue_count": queue, "count": len(items) + (queue or 0)}
