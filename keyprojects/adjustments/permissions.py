"""Who may ask for, see and decide change requests of a listed project's key figures.

- a county officer or a project owner who may edit a listed project (调度库) asks to change its key
  figures; the city office changes them directly on the project and never needs a request;
- a request is visible exactly when its project is (`visible_projects`); asking for a hidden one
  answers 404, like a missing one;
- only the city office approves or refuses.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.models import Project

from .models import ChangeRequest


def can_list(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "change.list")


def require_list(user: User) -> None:
    if not can_list(user):
        raise PermissionDenied(_("您无权查看调整申请"))


def can_request(user: User, project: Project) -> bool:
    return (
        may(user, "change.request")
        and project_permissions.can_edit_project(user, project)
        and project_permissions.key_fields_locked(user, project)
    )


def require_request(user: User, project: Project) -> None:
    if not can_request(user, project):
        if may(user, "project.key_figures"):
            raise PermissionDenied(_("市重点项目办直接修改项目，无须提交调整申请"))
        raise PermissionDenied(_("您无权为此项目提交调整申请"))


def can_decide(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "change.decide")


def require_decide(user: User) -> None:
    if not can_decide(user):
        raise PermissionDenied(_("只有市重点项目办可以审批调整申请"))


def visible_requests(user: User) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(project__in=project_permissions.visible_projects(user))


def request_access(user: User, request_id: int, *, for_update: bool = False) -> ChangeRequest:
    """A request the user may see; missing and invisible both answer 404."""
    project_permissions.require_project_access(user)
    qs = visible_requests(user).select_related("project", "requested_by", "decided_by")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=request_id)
    except (ChangeRequest.DoesNotExist, ValueError, TypeError):
        raise Http404(_("调整申请不存在")) from None
