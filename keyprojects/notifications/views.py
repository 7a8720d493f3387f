"""Pages of notifications: the list with its filters, marking read, the unread bell in the top bar,
each person's channels, and the organisation's group robots with what was sent out."""

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyprojects.core.errors import ApplicationError
from keyprojects.core.htmx import render_page
from keyprojects.core.paging import paginate
from keyprojects.core.todo import SHOWN

from . import selectors, services
from .forms import RobotForm
from .kinds import kind_label, registered_kinds
from .models import ROBOT_CHANNELS, Channel

if TYPE_CHECKING:
    from keyprojects.core.http import AuthenticatedRequest

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request: "AuthenticatedRequest") -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    kinds = registered_kinds()
    kind = request.GET.get("kind", "")
    if kind not in {k.key for k in kinds}:
        kind = ""
    notifications = selectors.notification_list(user=request.user, unread_only=unread_only, kind=kind)
    page = paginate(request, notifications, default=PAGE_SIZE)
    context = {
        "page": page,
        "rows": [(n, kind_label(n.kind)) for n in page.object_list],
        "unread_only": unread_only,
        "kind": kind,
        "kinds": kinds,
        "unread": selectors.unread_count(user=request.user),
        "can_edit_robots": services.can_edit_robots(request.user),
    }
    return render_page(request, "notifications/list.html", context)


@login_required
@require_POST
def notification_read(request: "AuthenticatedRequest", pk: int) -> HttpResponse:
    """Mark one read; with `open`, go on to what it is about (a local address only)."""
    notification = services.notification_mark_read(user=request.user, notification_id=pk)
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request: "AuthenticatedRequest") -> HttpResponse:
    services.notifications_mark_all_read(user=request.user, kind=request.POST.get("kind", ""))
    return redirect(_back(request))


@login_required
@require_GET
def notification_bell(request: "AuthenticatedRequest") -> HttpResponse:
    """The nav bell with the unread count, loaded by htmx once per page (never polled, so an idle
    session still expires)."""
    return render(
        request, "notifications/bell.html", {"bell_unread": selectors.unread_count(user=request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: "AuthenticatedRequest") -> HttpResponse:
    """Which kinds go out on which channel, for the signed-in person."""
    status = 200
    if request.method == "POST":
        choices = {k.key: request.POST.getlist(f"kind-{k.key}") for k in registered_kinds()}
        try:
            services.preferences_update(user=request.user, choices=choices)
        except ApplicationError as error:
            messages.error(request, "；".join(m for ms in error.field_messages().values() for m in ms))
            status = 422
        else:
            messages.success(request, _("通知发送设置已保存"))
            return redirect("notifications:preferences")
    reachable = set(selectors.reachable_channels(user=request.user))
    channels = [(value, label, value in reachable) for value, label in Channel.choices]
    context = {"rows": selectors.preferences(user=request.user), "channels": channels}
    return render(request, "notifications/preferences.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def channels(request: "AuthenticatedRequest") -> HttpResponse:
    """The group robots of the user's organisation, and the messages sent to its people."""
    if not services.can_edit_robots(request.user):
        raise PermissionDenied(_("您无权设置本单位的群机器人"))
    robots = selectors.group_robots(user=request.user)
    forms = {}
    status = 200
    for channel in ROBOT_CHANNELS:
        robot = robots.get(channel)
        initial = {"enabled": robot.enabled if robot else True}
        posted = request.method == "POST" and request.POST.get("channel") == channel
        forms[channel] = RobotForm(request.POST if posted else None, initial=initial, prefix=channel)
        if posted and forms[channel].is_valid():
            form = forms[channel]
            try:
                if form.cleaned_data["remove"]:
                    services.group_robot_remove(user=request.user, channel=channel)
                else:
                    services.group_robot_update(
                        user=request.user,
                        channel=channel,
                        webhook_url=form.cleaned_data["webhook_url"],
                        secret=form.secret_change(),
                        enabled=form.cleaned_data["enabled"],
                    )
            except ApplicationError as error:
                form.apply_error(error)
                status = 422
            else:
                messages.success(request, _("群机器人设置已保存"))
                return redirect("notifications:channels")
        elif posted:
            status = 422
    sections = [
        {
            "channel": channel,
            "label": Channel(channel).label,
            "form": forms[channel],
            "robot": robots.get(channel),
            "masked_url": selectors.masked_url(robots[channel].webhook_url) if channel in robots else "",
            "masked": selectors.masked_secret(robots[channel].secret) if channel in robots else "",
        }
        for channel in ROBOT_CHANNELS
    ]
    context = {"sections": sections, "deliveries": selectors.organization_deliveries(user=request.user)}
    return render(request, "notifications/channels.html", context, status=status)


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("notifications:list")


def todo_context(request: HttpRequest) -> dict[str, object] | None:
    """我的待办: the unread notifications, newest first."""
    user = request.user
    unread = selectors.notification_list(user=user, unread_only=True)  # type: ignore[arg-type]
    count = unread.count()
    if not count:
        return None
    return {"notifications": list(unread[:SHOWN]), "count": count}
