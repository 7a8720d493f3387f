"""The blocker pages: raising one, its page with the timeline and the steps the user may take, a
department's inbox, the ledger with its export and figures, and the coordination meetings."""

import mimetypes
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.accounts.city_settings import can_edit_settings, settings_city
from keyprojects.accounts.models import Region, User
from keyprojects.core.errors import ApplicationError
from keyprojects.core.fragments import render_fragment
from keyprojects.core.http import AuthenticatedRequest
from keyprojects.core.paging import paginate
from keyprojects.core.record_links import RecordLink
from keyprojects.core.settings_forms import edit_settings
from keyprojects.core.text import labelled
from keyprojects.core.todo import SHOWN
from keyprojects.core.xlsx import xlsx_response
from keyprojects.progress.models import MonthlyReport
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.models import Project

from . import permissions, rows, selectors, services
from .events import timeline
from .exports import ledger_workbook, minutes_workbook
from .forms import (
    ActionForm,
    BlockerForm,
    BlockerSettingsForm,
    DecisionForm,
    LedgerFilterForm,
    MeetingForm,
    departments_of,
)
from .models import (
    Action,
    Blocker,
    BlockerAttachment,
    BlockerSettings,
    Decision,
    Meeting,
    Rating,
    Status,
)

PAGE_SIZE = 50


def _report_to_raise_from(project: Project, report_id: str | None) -> MonthlyReport | None:
    if not report_id or not report_id.isdigit():
        return None
    return MonthlyReport.objects.filter(project=project, pk=int(report_id)).first()


@login_required
@require_http_methods(["GET", "POST"])
def blocker_create(request: AuthenticatedRequest, project_pk: int) -> HttpResponse:
    project = project_permissions.project_access(request.user, project_pk)
    permissions.require_raise(request.user, project)
    report = _report_to_raise_from(project, request.POST.get("report") or request.GET.get("report"))
    initial = {"description": report.problems} if report is not None else None
    form = BlockerForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        try:
            blocker = services.blocker_create(
                user=request.user,
                project_id=project.pk,
                category=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                request=form.cleaned_data["request"],
                report_id=report.pk if report is not None else None,
                attachments=form.cleaned_data["attachments"],
            )
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("问题已反映，等待受理"))
            return redirect("blockers:detail", pk=blocker.pk)
    return render(request, "blockers/form.html", {"form": form, "project": project, "report": report})


@login_required
def blocker_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    blocker = permissions.blocker_access(request.user, pk)
    today = timezone.localdate()
    settings = BlockerSettings.for_city(blocker.city_id)
    context = {
        "blocker": blocker,
        "steps": timeline(blocker.events.select_related("actor", "organization")),
        "actions": services.allowed_actions(request.user, blocker),
        "co_departments": list(blocker.co_departments.all()),
        "departments": departments_of(blocker.city_id),
        "default_workdays": settings.deadline_for(blocker.category),
        "ratings": Rating.choices,
        "urgency": selectors.urgency(
            status=blocker.status,
            deadline=blocker.deadline,
            today=today,
            due_soon_workdays=settings.due_soon_workdays,
        ),
        "meetings": list(blocker.meetings.all()),
        "decisions": list(blocker.decisions.select_related("department", "meeting")),
        "attachments": list(blocker.attachments.all()),
    }
    return render(request, "blockers/detail.html", context)


@login_required
def attachment(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """A blocker's attachment, for those who see the blocker only (404 for others, as for a missing one)."""
    found = BlockerAttachment.objects.filter(pk=pk).values_list("blocker_id", flat=True).first()
    if found is None:
        raise Http404(_("附件不存在"))
    blocker = permissions.blocker_access(request.user, found)
    item = blocker.attachments.get(pk=pk)
    content_type = mimetypes.guess_type(item.name)[0] or "application/octet-stream"
    return FileResponse(
        item.file.open("rb"), content_type=content_type, as_attachment=True, filename=item.name
    )


@login_required
@require_POST
def blocker_act(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    blocker = permissions.blocker_access(request.user, pk)
    form = ActionForm(request.POST, city_id=blocker.city_id)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, labelled(label, error) if label else str(error))
        return redirect("blockers:detail", pk=pk)
    data = form.cleaned_data
    try:
        services.blocker_act(
            user=request.user,
            blocker_id=pk,
            action=data["action"],
            text=data["text"],
            department_id=data["department"].pk if data["department"] else None,
            co_department_ids=[o.pk for o in data["co_departments"]],
            deadline_workdays=data["deadline_workdays"],
            rating=data["rating"],
        )
    except ApplicationError as error:
        for texts in error.field_messages().values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, _("已%(action)s") % {"action": Action(data["action"]).label})
    return redirect("blockers:detail", pk=pk)


def _regions(user: Any) -> list[tuple[str, str]]:
    return list(
        Region.objects.filter(city_id=user.city_id)
        .exclude(kind=Region.Kind.CITY)
        .order_by("sort_order", "code")
        .values_list("code", "name")
    )


def _ledger_filter(request: AuthenticatedRequest) -> tuple[LedgerFilterForm, selectors.LedgerFilter]:
    form = LedgerFilterForm(request.GET or None, city_id=request.user.city_id, regions=_regions(request.user))
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    department = data.get("department")
    filters = selectors.LedgerFilter(
        status=data.get("status") or None,
        category=data.get("category") or None,
        level=data.get("level") or None,
        department=department.pk if department else None,
        region=data.get("region") or None,
        overdue=True if data.get("overdue") else None,
        q=data.get("q") or None,
    )
    return form, filters


@login_required
def ledger(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_ledger(request.user)
    today = timezone.localdate()
    form, filters = _ledger_filter(request)
    blockers = selectors.blocker_list(user=request.user, filters=filters, today=today)
    page = paginate(request, rows.row_values(request.user, blockers), default=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    prepared = rows.prepare(list(page.object_list), today=today, due_soon_workdays=0)
    context = {
        "form": form,
        "page": page,
        "rows": render_fragment("blockers/ledger_rows.html", _fragment(prepared)),
        "today": today,
        "query": query.urlencode(),
        "counts": _status_counts(request.user),
        "can_edit_settings": can_edit_settings(request.user),
    }
    return render(request, "blockers/ledger.html", context)


def _fragment(prepared: list[dict[str, Any]]) -> dict[str, Any]:
    return {"rows": prepared, "h": rows.headers(), "b": rows.badges()}


def _status_counts(user: Any) -> list[tuple[str, str, int]]:
    counts = selectors.status_counts(permissions.visible_blockers(user))
    return [(value, str(label), counts.get(value, 0)) for value, label in Status.choices]


@login_required
def ledger_export(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_ledger(request.user)
    today = timezone.localdate()
    _form, filters = _ledger_filter(request)
    blockers = selectors.blocker_list(user=request.user, filters=filters, today=today)
    region = Region.objects.filter(code=filters.region).first() if filters.region else None
    scope = region.name if region else _("全市")
    return xlsx_response(
        ledger_workbook(blockers, scope_name=scope, today=today),
        filename=_("问题台账-%(scope)s-%(date)s.xlsx") % {"scope": scope, "date": today.isoformat()},
        fallback=f"blockers-{filters.region or 'all'}-{today.isoformat()}.xlsx",
    )


@login_required
def figures(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_ledger(request.user)
    tables = selectors.figures(user=request.user)
    context = {
        "tables": [
            (_("按责任单位"), tables["department"]),
            (_("按县（市、区）"), tables["county"]),
            (_("按问题类别"), tables["category"]),
        ]
    }
    return render(request, "blockers/figures.html", context)


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_inbox(request.user)
    today = timezone.localdate()
    due_soon = BlockerSettings.for_city(request.user.city_id).due_soon_workdays
    inbox = selectors.inbox(user=request.user, today=today, due_soon_workdays=due_soon)
    inbox_rows = rows.row_values(request.user, inbox)
    page = paginate(request, inbox_rows, default=PAGE_SIZE)
    prepared = rows.prepare(
        list(page.object_list),
        today=today,
        due_soon_workdays=due_soon,
        organization_id=request.user.organization_id,
    )
    context = {
        "rows": render_fragment("blockers/inbox_rows.html", _fragment(prepared)),
        "page": page,
        "decisions": list(selectors.open_decisions(user=request.user)),
        "today": today,
    }
    return render(request, "blockers/inbox.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meetings(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_meetings(request.user)
    form = MeetingForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            meeting = services.meeting_create(user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.apply_error(error)
        else:
            return redirect("blockers:meeting", pk=meeting.pk)
    rows = Meeting.objects.filter(city_id=request.user.city_id).prefetch_related("decisions")
    return render(request, "blockers/meetings.html", {"form": form, "meetings": rows})


def _meeting_context(
    request: AuthenticatedRequest, meeting: Meeting, decision_form: DecisionForm
) -> dict[str, Any]:
    on_agenda = meeting.agenda.select_related("blocker__project", "blocker__department")
    candidates = (
        permissions.visible_blockers(request.user)
        .filter(status__in=[Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS])
        .exclude(pk__in=meeting.blockers.values("pk"))
        .select_related("project")
        .order_by("deadline", "id")[:100]
    )
    return {
        "meeting": meeting,
        "agenda": list(on_agenda),
        "candidates": list(candidates),
        "decisions": list(meeting.decisions.select_related("department", "blocker__project")),
        "decision_form": decision_form,
        "today": timezone.localdate(),
    }


@login_required
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_access(request.user, pk)
    context = _meeting_context(request, meeting, DecisionForm(meeting=meeting))
    return render(request, "blockers/meeting.html", context)


@login_required
@require_POST
def meeting_agenda(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    blocker_id = request.POST.get("blocker", "")
    try:
        services.agenda_add(
            user=request.user, meeting_id=pk, blocker_id=int(blocker_id) if blocker_id.isdigit() else 0
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("blockers:meeting", pk=pk)


@login_required
@require_http_methods(["POST"])
def meeting_decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_access(request.user, pk)
    form = DecisionForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_add(
                user=request.user,
                meeting_id=meeting.pk,
                text=data["text"],
                department_id=data["department"].pk,
                deadline=data["deadline"],
                blocker_id=data["blocker"].pk if data["blocker"] else None,
            )
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("议定事项已记录"))
            return redirect("blockers:meeting", pk=meeting.pk)
    return render(request, "blockers/meeting.html", _meeting_context(request, meeting, form), status=422)


@login_required
def meeting_minutes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = permissions.meeting_access(request.user, pk)
    decisions = meeting.decisions.select_related("department", "blocker__project")
    return xlsx_response(
        minutes_workbook(meeting, decisions, today=timezone.localdate()),
        filename=_("会议纪要事项清单-%(title)s.xlsx") % {"title": meeting.title},
        fallback=f"minutes-{meeting.pk}.xlsx",
    )


@login_required
@require_POST
def decision_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        decision: Decision = services.decision_done(
            user=request.user, decision_id=pk, note=request.POST.get("note", "")
        )
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("议定事项已落实"))
        if permissions.can_manage_meetings(request.user):
            return redirect("blockers:meeting", pk=decision.meeting_id)
    return redirect("blockers:inbox" if permissions.can_see_inbox(request.user) else "blockers:ledger")


@login_required
@require_http_methods(["GET", "POST"])
def blocker_settings(request: AuthenticatedRequest) -> HttpResponse:
    city_id = settings_city(request.user)

    def save(form: BlockerSettingsForm) -> None:
        data = form.cleaned_data
        services.blocker_settings_update(
            user=request.user,
            version=data["version"],
            deadlines=form.deadlines(),
            due_soon_workdays=data["due_soon_workdays"],
            escalate_after_workdays=data["escalate_after_workdays"],
            via_meeting=data["via_meeting"],
            via_leader=data["via_leader"],
        )

    edit = edit_settings(
        request,
        record=lambda: BlockerSettings.for_city(city_id),
        form=lambda data, current: BlockerSettingsForm(data, initial=BlockerSettingsForm.initial_of(current)),
        save=save,
        recorded_as=BlockerSettingsForm.recorded_as(),
    )
    if edit.saved:
        messages.success(request, _("问题协调设置已保存"))
        return redirect("blockers:settings")
    status = 422 if request.method == "POST" else 200
    return render(request, "blockers/settings.html", edit.context(), status=status)


def raise_from_report(request: HttpRequest, report: MonthlyReport) -> RecordLink | None:
    """一键反映 beside the problems of a report's version in force, until a blocker is raised from it."""
    user = request.user
    if not (report.is_current and report.problems.strip()) or not permissions.can_raise(user, report.project):  # type: ignore[arg-type]
        return None
    if Blocker.objects.filter(report=report).exists():
        return None
    url = reverse("blockers:create", args=[report.project_id])
    return RecordLink(_("一键反映为难点堵点问题"), f"{url}?report={report.pk}")


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The project page's blockers, with 反映问题 and, for the latest monthly report that names problems,
    a one-click 从月报反映."""
    user = request.user
    can_raise = permissions.can_raise(user, project)  # type: ignore[arg-type]
    blockers = list(project.blockers.select_related("department").order_by("-raised_at", "-id")[:20])
    if not blockers and not can_raise:
        return None
    report = None
    if can_raise:
        raised_from = project.blockers.exclude(report=None).values("report_id")
        report = (
            MonthlyReport.objects.filter(project=project, is_current=True)
            .exclude(problems="")
            .exclude(pk__in=raised_from)
            .order_by("-pk")
            .first()
        )
    return {"project_blockers": blockers, "can_raise_blocker": can_raise, "report_with_problems": report}


def todo_context(request: HttpRequest) -> dict[str, Any] | None:
    """我的待办: a department's open blockers, most urgent first; for everyone else the blockers of their
    projects not closed yet (an owner rates those resolved), the oldest first."""
    user = cast(User, request.user)  # the page is for signed-in people only
    if not project_permissions.has_project_access(user):
        return None
    if permissions.can_see_inbox(user):
        due_soon = BlockerSettings.for_city(user.city_id).due_soon_workdays
        blockers = selectors.inbox(user=user, today=timezone.localdate(), due_soon_workdays=due_soon)
        more_url = reverse("blockers:inbox")
    else:
        blockers = (
            permissions.visible_blockers(user).exclude(status=Status.CLOSED).order_by("raised_at", "id")
        )
        more_url = reverse("blockers:ledger") if permissions.can_see_ledger(user) else ""
    count = blockers.count()
    if not count:
        return None
    shown = blockers.select_related("project", "department")[:SHOWN]
    return {"blockers": shown, "count": count, "more_url": more_url, "today": timezone.localdate()}
