"""Who may issue, read and answer supervision notices (督办单).

- the city office issues a notice to a county office or a department of its city, and accepts an answer
  or sends it back (`supervision.issue`);
- the receiver's people (its county officers or department officers) answer it
  (`supervision.answer`, and only for a notice sent to their organisation);
- the city office, the leaders and the province office read every notice of the cities they see
  (`supervision.list`); a county or a department reads the notices sent to it, and those on the projects it
  sees; owners read none.

A notice the user may not read answers 404, like a missing one; an action the user may not take at all
answers 403, one the notice's state does not allow 409 (`services`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.accounts.selectors import city_scope
from keyprojects.projects import permissions as project_permissions

from .models import NoticeAction, SupervisionNotice


def can_read(user: User) -> bool:
    return project_permissions.has_project_access(user) and (
        may(user, "supervision.list") or may(user, "supervision.answer")
    )


def can_issue(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "supervision.issue")


def can_see_all(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "supervision.list")


def can_see_inbox(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "supervision.answer")


def require_read(user: User) -> None:
    if not can_read(user):
        raise PermissionDenied(_("您无权查看督办单"))


def require_issue(user: User) -> None:
    if not can_issue(user):
        raise PermissionDenied(_("只有市重点项目办可以下发督办单"))


def require_all(user: User) -> None:
    if not can_see_all(user):
        raise PermissionDenied(_("您无权查看全部督办单"))


def require_inbox(user: User) -> None:
    if not can_see_inbox(user):
        raise PermissionDenied(_("只有县级发改部门和职能部门有督办答复收件箱"))


def visible_notices(user: User) -> QuerySet[SupervisionNotice]:
    if not can_read(user):
        return SupervisionNotice.objects.none()
    rows = SupervisionNotice.objects.filter(city_scope(user))
    if may(user, "supervision.list"):
        return rows
    projects = project_permissions.visible_projects(user).values("pk")
    return rows.filter(Q(receiver_id=user.organization_id or 0) | Q(project__in=projects))


def notice_access(user: User, notice_id: int, *, for_update: bool = False) -> SupervisionNotice:
    """A notice the user may read; missing and invisible both answer 404 (to one who reads no notice too)."""
    qs = visible_notices(user).select_related("project", "project__region", "receiver", "issued_by")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=notice_id)
    except (SupervisionNotice.DoesNotExist, ValueError, TypeError):
        raise Http404(_("督办单不存在")) from None


def may_take(user: User, notice: SupervisionNotice, action: str) -> bool:
    """Whether the user may take `action` on this notice at all, whatever its state."""
    if action == NoticeAction.ANSWER:
        return may(user, "supervision.answer") and notice.receiver_id == user.organization_id
    if action in (NoticeAction.ACCEPT, NoticeAction.RETURN):
        return may(user, "supervision.issue") and notice.city_id == user.city_id
    return False


def require_take(user: User, notice: SupervisionNotice, action: str) -> None:
    if not may_take(user, notice, action):
        raise PermissionDenied(_("您无权对此督办单执行“%(action)s”") % {"action": NoticeAction(action).label})
