"""Who may see and move which factors.

- the city office sets its city's pools (总量) and carves the counties' sub-pools from them
  (`factor.manage`); it allocates from any pool of its city to any project of its city;
- a county officer allocates from its county's sub-pools (and those below it) to the projects it acts on
  (`factor.allocate`), and releases what was allocated from them;
- whoever acts on a project (its owner, its county, the city office) states and withdraws its demands
  (`factor.demand`);
- the command post, the pools and the ledger (`factor.view`) are read by the city office, the leaders, the
  counties, the departments and the province office, each within its cities; the waiting projects they
  list are those the reader sees. An owner reads its own projects' demands and allocations on the project
  page. Demands and allocations are visible exactly when their project is; a pool of another city answers
  404, like a missing one.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.accounts.selectors import city_scope
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.models import Project

from .models import FactorAllocation, FactorDemand, FactorPool


def can_view(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "factor.view")


def require_view(user: User) -> None:
    if not can_view(user):
        raise PermissionDenied(_("您无权查看要素保障"))


def can_manage(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "factor.manage")


def require_manage(user: User) -> None:
    if not can_manage(user):
        raise PermissionDenied(_("只有市重点项目办可以核定和下达要素指标"))


def visible_pools(user: User) -> QuerySet[FactorPool]:
    if not can_view(user):
        return FactorPool.objects.none()
    return FactorPool.objects.filter(city_scope(user))


def pool_access(user: User, pool_id: int) -> FactorPool:
    """A pool of the user's city (its province's, for the province office); others answer 404."""
    require_view(user)
    try:
        return visible_pools(user).select_related("region", "parent").get(pk=pool_id)
    except (FactorPool.DoesNotExist, ValueError, TypeError):
        raise Http404(_("要素指标池不存在")) from None


def can_allocate_from(user: User, pool: FactorPool) -> bool:
    """Whether the user gives out of this pool: the city office any of its city's, a county its own."""
    if not (may(user, "factor.allocate") and user.organization is not None and pool.city_id == user.city_id):
        return False
    return may(user, "factor.manage") or pool.region.path.startswith(user.organization.region.path)


def can_allocate(user: User, project: Project) -> bool:
    return may(user, "factor.allocate") and project_permissions.acts_on(user, project)


def require_allocate(user: User, project: Project, pool: FactorPool | None = None) -> None:
    if not can_allocate(user, project) or (pool is not None and not can_allocate_from(user, pool)):
        raise PermissionDenied(_("您无权从此指标池为该项目配置要素"))


def can_demand(user: User, project: Project) -> bool:
    return may(user, "factor.demand") and project_permissions.acts_on(user, project)


def require_demand(user: User, project: Project) -> None:
    if not can_demand(user, project):
        raise PermissionDenied(_("您无权填报此项目的要素需求"))


def visible_demands(user: User) -> QuerySet[FactorDemand]:
    return project_permissions.visible_under_projects(user, FactorDemand.objects.all())


def visible_allocations(user: User) -> QuerySet[FactorAllocation]:
    return project_permissions.visible_under_projects(user, FactorAllocation.objects.all())


def demand_access(user: User, demand_id: int) -> FactorDemand:
    project_permissions.require_project_access(user)
    try:
        return visible_demands(user).select_related("project").get(pk=demand_id)
    except (FactorDemand.DoesNotExist, ValueError, TypeError):
        raise Http404(_("要素需求不存在")) from None


def allocation_access(user: User, allocation_id: int) -> FactorAllocation:
    project_permissions.require_project_access(user)
    try:
        return (
            visible_allocations(user).select_related("project", "pool", "pool__region").get(pk=allocation_id)
        )
    except (FactorAllocation.DoesNotExist, ValueError, TypeError):
        raise Http404(_("要素配置不存在")) from None
