"""Who sees the leader's page and the task forces.

- a city leader (action `leader.page`) has a page of the projects linked to its account as their 包保
  leader (`Project.leader`); it sees them through the scope `led`, besides the city it reads;
- the city office and the leaders see every task force of their city (`taskforce.view_all`); anyone
  else who reads projects sees the task forces it is a member of; a hidden one answers 404 like a
  missing one;
- only the city office forms task forces and changes their members and projects (`taskforce.manage`);
- a task force's members see its projects and act on them as their roles allow (scope `task_force`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.projects.permissions import has_project_access

from .models import TaskForce


def can_see_own_page(user: User) -> bool:
    return has_project_access(user) and may(user, "leader.page")


def require_own_page(user: User) -> None:
    if not can_see_own_page(user):
        raise PermissionDenied(_("只有市领导有包保项目页"))


def can_list(user: User) -> bool:
    return has_project_access(user)


def require_list(user: User) -> None:
    if not can_list(user):
        raise PermissionDenied(_("您的账号没有项目库的访问权限"))


def can_manage(user: User) -> bool:
    return has_project_access(user) and may(user, "taskforce.manage")


def require_manage(user: User) -> None:
    if not can_manage(user):
        raise PermissionDenied(_("只有市重点项目办可以组建和调整工作专班"))


def visible_task_forces(user: User) -> QuerySet[TaskForce]:
    if not has_project_access(user) or user.city_id is None:
        return TaskForce.objects.none()
    qs = TaskForce.objects.filter(city_id=user.city_id)
    return qs if may(user, "taskforce.view_all") else qs.filter(members=user)


def task_force_access(user: User, task_force_id: int) -> TaskForce:
    """A task force the user may see; missing and hidden both answer 404."""
    require_list(user)
    task_force = visible_task_forces(user).filter(pk=task_force_id).first()
    if task_force is None:
        raise Http404(_("工作专班不存在"))
    return task_force
