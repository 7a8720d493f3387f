"""Pages of in-app notifications: the list, marking read, and the unread bell in the nav."""

from typing import TYPE_CHECKING

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from keyprojects.core.htmx import render_page

from . import selectors, services

if TYPE_CHECKING:
    from keyprojects.core.http import AuthenticatedRequest

PAGE_SIZE = 30


@login_required
@require_GET
def notification_list(request: "AuthenticatedRequest") -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notification_list(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(user=request.user)}
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
    services.notifications_mark_all_read(user=request.user)
    return redirect(_back(request))


@login_required
@require_GET
def notification_bell(request: "AuthenticatedRequest") -> HttpResponse:
    """The nav bell with the unread count, loaded by htmx once per page (never polled, so an idle
    session still expires)."""
    return render(
        request, "notifications/bell.html", {"bell_unread": selectors.unread_count(user=request.user)}
    )


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("notifications:list")
