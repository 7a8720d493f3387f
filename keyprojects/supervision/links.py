"""Where notices show beside the records they come from, through the registries of core and projects (the
alerts and blockers apps know nothing of supervision): the blocker page, the warnings page, and a section
of the project page with the project's notices and a 督办 button beside each red warning."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.alerts.models import Color
from keyprojects.alerts.selectors import project_warnings
from keyprojects.blockers import selectors as blocker_selectors
from keyprojects.blockers.models import Blocker
from keyprojects.core.record_links import RecordLink
from keyprojects.projects.models import Project

from . import permissions
from .models import NoticeSource, NoticeStatus


def issue_url(source: str, source_id: int) -> str:
    return f"{reverse('supervision:create')}?source={source}&id={source_id}"


def issue_from_blocker(request: HttpRequest, blocker: Blocker) -> RecordLink | None:
    """下发督办单 beside an overdue blocker, for the city office."""
    if not permissions.can_issue(request.user):  # type: ignore[arg-type]
        return None
    overdue = Blocker.objects.filter(blocker_selectors.overdue_q(timezone.localdate()), pk=blocker.pk)
    if not overdue.exists():
        return None
    return RecordLink(_("下发督办单"), issue_url(NoticeSource.BLOCKER, blocker.pk))


def blocker_notices(request: HttpRequest, blocker: Blocker) -> RecordLink | None:
    """The latest notice issued from the blocker, when the reader sees it."""
    user = request.user
    if not permissions.can_read(user):  # type: ignore[arg-type]
        return None
    notice = permissions.visible_notices(user).filter(blocker=blocker).order_by("-pk").first()  # type: ignore[arg-type]
    if notice is None:
        return None
    label = _("督办单 #%(n)s（%(status)s）") % {"n": notice.pk, "status": notice.get_status_display()}
    return RecordLink(label, reverse("supervision:detail", args=[notice.pk]))


def all_notices(request: HttpRequest, _record: Any) -> RecordLink | None:
    """The warnings page's way to the notices issued from them."""
    if not permissions.can_see_all(request.user):  # type: ignore[arg-type]
        return None
    return RecordLink(_("督办单"), f"{reverse('supervision:list')}?source={NoticeSource.WARNING}")


def project_section(request: HttpRequest, project: Project) -> dict[str, Any] | None:
    """The project's notices, and for the city office the red warnings it may issue one from."""
    user = request.user
    if not permissions.can_read(user):  # type: ignore[arg-type]
        return None
    notices = list(
        permissions.visible_notices(user)  # type: ignore[arg-type]
        .filter(project=project)
        .select_related("receiver")
        .order_by("-issued_on", "-id")[:20]
    )
    red = []
    if permissions.can_issue(user):  # type: ignore[arg-type]
        red = [
            (w, issue_url(NoticeSource.WARNING, w.pk))
            for w in project_warnings(project=project)
            if w.color == Color.RED
        ]
    if not notices and not red:
        return None
    return {"project_notices": notices, "red_warnings": red, "today": timezone.localdate()}


def warning_notices(user: User, warning_ids: Sequence[int]) -> dict[int, str]:
    """The 督办清单's column: the notices issued from each warning, with their state and deadline."""
    wanted = set(warning_ids)
    if not wanted or not permissions.can_read(user):
        return {}
    notices = (
        permissions.visible_notices(user)
        .filter(warning__isnull=False)
        .order_by("issued_on", "pk")
        .values_list("warning_id", "pk", "status", "deadline")
    )
    statuses = {value: str(label) for value, label in NoticeStatus.choices}
    texts: dict[int, list[str]] = {}
    for warning_id, pk, status, deadline in notices:
        if warning_id in wanted:
            texts.setdefault(warning_id, []).append(
                _("#%(n)s %(status)s（%(deadline)s前答复）")
                % {"n": pk, "status": statuses.get(status, status), "deadline": deadline.isoformat()}
            )
    return {warning_id: ";".join(items) for warning_id, items in texts.items()}
