"""The supervision pages: issuing a notice from its source, its page with the timeline and the steps the
user may take, a receiver's inbox, and the city office's list with its filters, the overdue count per
receiver and the export."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keyprojects.core.errors import ApplicationError
from keyprojects.core.http import AuthenticatedRequest
from keyprojects.core.paging import paginate
from keyprojects.core.xlsx import xlsx_response

from . import permissions, selectors, services
from .events import timeline
from .exports import notices_workbook
from .forms import ActionForm, NoticeFilterForm, NoticeForm
from .models import NoticeAction, NoticeSource

PAGE_SIZE = 50


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 19 else 0


@login_required
@require_http_methods(["GET", "POST"])
def notice_create(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_issue(request.user)
    data = request.POST if request.method == "POST" else request.GET
    source, source_id = data.get("source", ""), _int(data.get("id"))
    today = timezone.localdate()
    try:
        origin = services.resolve_source(request.user, source, source_id, today)
    except ApplicationError as error:
        reasons = [str(text) for texts in error.field_messages().values() for text in texts]
        context: dict[str, Any] = {
            "refusal": ";".join(reasons) or error.message,
            "source_label": dict(NoticeSource.choices).get(source, ""),
        }
        return render(request, "supervision/form.html", context, status=422)
    initial = {"receiver": origin.receiver.pk if origin.receiver else None}
    form = NoticeForm(
        request.POST if request.method == "POST" else None, initial=initial, city_id=request.user.city_id
    )
    if form.is_bound and form.is_valid():
        try:
            notice = services.notice_issue(
                user=request.user,
                source=source,
                source_id=source_id,
                subject=form.cleaned_data["subject"],
                receiver_id=form.cleaned_data["receiver"].pk,
                deadline_workdays=form.cleaned_data["deadline_workdays"],
                deadline=form.cleaned_data["deadline"],
                today=today,
            )
        except ApplicationError as error:
            form.apply_error(error)
        else:
            messages.success(request, _("督办单已下发"))
            return redirect("supervision:detail", pk=notice.pk)
    context = {
        "form": form,
        "origin": origin,
        "source": source,
        "source_id": source_id,
        "source_label": NoticeSource(source).label,
    }
    return render(request, "supervision/form.html", context, status=422 if form.is_bound else 200)


@login_required
def notice_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = permissions.notice_access(request.user, pk)
    context = {
        "notice": notice,
        "steps": timeline(notice.events.select_related("actor", "organization")),
        "actions": services.allowed_actions(request.user, notice),
        "overdue": selectors.is_overdue(notice, timezone.localdate()),
    }
    return render(request, "supervision/detail.html", context)


@login_required
@require_POST
def notice_act(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    permissions.notice_access(request.user, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("未知的操作"))
        return redirect("supervision:detail", pk=pk)
    action = form.cleaned_data["action"]
    try:
        services.notice_act(user=request.user, notice_id=pk, action=action, text=form.cleaned_data["text"])
    except ApplicationError as error:
        for texts in error.field_messages().values():
            for text in texts:
                messages.error(request, text)
    else:
        messages.success(request, _("已%(action)s") % {"action": NoticeAction(action).label})
    return redirect("supervision:detail", pk=pk)


def _filtered(request: AuthenticatedRequest) -> tuple[NoticeFilterForm, selectors.NoticeFilter]:
    form = NoticeFilterForm(request.GET or None, city_id=request.user.city_id)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    receiver = data.get("receiver")
    filters = selectors.NoticeFilter(
        status=data.get("status") or None,
        source=data.get("source") or None,
        receiver=receiver.pk if receiver else None,
        overdue=True if data.get("overdue") else None,
        q=data.get("q") or None,
    )
    return form, filters


@login_required
def notice_list(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_all(request.user)
    today = timezone.localdate()
    form, filters = _filtered(request)
    notices = selectors.notice_list(user=request.user, filters=filters, today=today)
    page = paginate(request, notices, default=PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "rows": [(n, selectors.is_overdue(n, today)) for n in page.object_list],
        "query": query.urlencode(),
        "by_receiver": selectors.overdue_by_receiver(user=request.user, today=today),
    }
    return render(request, "supervision/list.html", context)


@login_required
def notice_export(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_all(request.user)
    today = timezone.localdate()
    _form, filters = _filtered(request)
    notices = selectors.notice_list(user=request.user, filters=filters, today=today)
    return xlsx_response(
        notices_workbook(notices, today=today),
        filename=_("督办单台账-%(date)s.xlsx") % {"date": today.isoformat()},
        fallback=f"supervision-notices-{today.isoformat()}.xlsx",
    )


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    permissions.require_inbox(request.user)
    today = timezone.localdate()
    page = paginate(request, selectors.inbox(user=request.user, today=today), default=PAGE_SIZE)
    context = {
        "page": page,
        "rows": [(n, selectors.is_overdue(n, today)) for n in page.object_list],
    }
    return render(request, "supervision/inbox.html", context)
