"""Who may see and change which project: the one rule set every page, endpoint, export and command uses.

- the city is the tenant: the city office and leaders see every project of their city, and only the
  city office edits them all; nobody reaches another city's records (404, like a missing one);
- the province office (省发改委) reads every project of every city of its province and edits none;
- a county officer sees and edits the projects of its region (and the regions below it), but the
  city's annual list is the city office's: a county cannot take a project off 调度库, withdraw a
  listed project, or change the year or list kind of a listed project;
- a project owner sees and edits the projects its enterprise owns, but not their level, list
  membership (pipeline, year, list kind) or region; the projects it proposes start in 申请库 and 谋划,
  at the level and in the list kind the county or city later decides, in its enterprise's region;
- the key figures of a listed project (调度库: annual and total investment, level, planned dates, 包保
  leader) are the city's: a county or an owner changes them only by a change request (the
  `adjustments` app) that the city office approves;
- a department sees the projects where something is assigned to it, read-only; the apps that assign
  work to departments register where to look with `register_department_assignments`;
- the system administrator manages accounts and sees no project.

Asking for a project one may not see answers 404, the same as a missing one.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Organization, Region, Role, User

from .models import Pipeline, Project, Stage

AssignmentSource = Callable[[Organization], QuerySet]
_department_sources: list[AssignmentSource] = []

READ_ALL_ROLES = {Role.CITY_ADMIN, Role.LEADER, Role.PROVINCE_OFFICER}
PROJECT_ROLES = {
    Role.PROVINCE_OFFICER,
    Role.CITY_ADMIN,
    Role.LEADER,
    Role.COUNTY_OFFICER,
    Role.DEPARTMENT_OFFICER,
    Role.PROJECT_OWNER,
}
OWNER_LOCKED_FIELDS = frozenset({"level", "pipeline", "year", "list_kind", "region", "owner"})
OWNER_CREATE_LOCKED_FIELDS = frozenset({"level", "pipeline", "list_kind", "owner", "stage"})
COUNTY_LOCKED_FIELDS = frozenset({"pipeline"})
COUNTY_LISTED_LOCKED_FIELDS = frozenset({"pipeline", "year", "list_kind"})
OWNER_FORBIDDEN_STAGES = frozenset({Stage.ON_HOLD, Stage.WITHDRAWN})
LISTED_KEY_FIELDS = (
    "annual_investment", "total_investment", "level", "planned_start", "planned_end", "leader_name", "leader_post",
)  # fmt: skip


def register_department_assignments(source: AssignmentSource) -> None:
    """Add a source of project ids that count as assigned to a department (e.g. plan nodes)."""
    if source not in _department_sources:
        _department_sources.append(source)


def has_project_access(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in PROJECT_ROLES)


def require_project_access(user: User) -> None:
    if not has_project_access(user):
        raise PermissionDenied(_("您的账号没有项目库的访问权限"))


def visible_projects(user: User, queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
    qs = Project.objects.all() if queryset is None else queryset
    if not has_project_access(user):
        return qs.none()
    org = user.organization
    if org is None:
        return qs.none()
    if user.role == Role.PROVINCE_OFFICER:
        return qs.filter(region__path__startswith=org.region.path)
    qs = qs.filter(city_id=org.city_id)
    if user.role in READ_ALL_ROLES:
        return qs
    if user.role == Role.COUNTY_OFFICER:
        return qs.filter(region__path__startswith=org.region.path)
    if user.role == Role.PROJECT_OWNER:
        return qs.filter(owner=org)
    if user.role == Role.DEPARTMENT_OFFICER:
        if not _department_sources:
            return qs.none()
        condition = Q()
        for source in _department_sources:
            condition |= Q(pk__in=source(org))
        return qs.filter(condition)
    return qs.none()


def project_access(user: User, project_id: int, *, for_update: bool = False) -> Project:
    """Fetch a project the user may see; missing and invisible both answer 404. A role with no access
    to the registry at all (the system administrator) gets 403 first, as on every project page."""
    require_project_access(user)
    qs = visible_projects(user).select_related("region", "owner")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=project_id)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise Http404(_("项目不存在")) from None


def can_edit_project(user: User, project: Project) -> bool:
    if not has_project_access(user):
        return False
    org = user.organization
    if org is None or org.city_id != project.city_id:
        return False
    if user.role == Role.CITY_ADMIN:
        return True
    if user.role == Role.COUNTY_OFFICER:
        return org.region.subtree().filter(pk=project.region_id).exists()
    if user.role == Role.PROJECT_OWNER:
        return project.owner_id == org.pk
    return False


def require_edit(user: User, project: Project) -> None:
    if not can_edit_project(user, project):
        raise PermissionDenied(_("您无权修改此项目"))


def can_create_project(user: User) -> bool:
    return has_project_access(user) and user.role in {
        Role.CITY_ADMIN,
        Role.COUNTY_OFFICER,
        Role.PROJECT_OWNER,
    }


def key_fields_locked(user: User, project: Project | None) -> bool:
    """Whether this user changes the project's key figures only by a change request."""
    return (
        project is not None
        and project.pipeline == Pipeline.SCHEDULED
        and user.role in {Role.COUNTY_OFFICER, Role.PROJECT_OWNER}
    )


def locked_fields(user: User, project: Project | None = None) -> frozenset[str]:
    """Fields this user may not set on `project` (or on a new project, when None), even one it may edit."""
    key = frozenset(LISTED_KEY_FIELDS) if key_fields_locked(user, project) else frozenset()
    if user.role == Role.PROJECT_OWNER:
        return OWNER_CREATE_LOCKED_FIELDS if project is None else OWNER_LOCKED_FIELDS | key
    if user.role == Role.COUNTY_OFFICER:
        if project is not None and project.pipeline == Pipeline.SCHEDULED:
            return COUNTY_LISTED_LOCKED_FIELDS | key
        return COUNTY_LOCKED_FIELDS
    return frozenset()


def creatable_regions(user: User) -> QuerySet[Region]:
    """Regions a project may be placed in by this user: county-level units of its city within its reach."""
    org = user.organization
    if org is None or org.city_id is None:
        return Region.objects.none()
    counties = Region.objects.filter(city_id=org.city_id).exclude(
        kind__in=[Region.Kind.PROVINCE, Region.Kind.CITY]
    )
    if user.role in {Role.COUNTY_OFFICER, Role.PROJECT_OWNER}:
        return counties.filter(path__startswith=org.region.path)
    return counties


def check_move(user: User, project: Project, *, stage: str | None, pipeline: str | None) -> None:
    """Raise PermissionDenied when this user may not make this stage or pipeline move."""
    require_edit(user, project)
    if pipeline is not None and pipeline != project.pipeline:
        if user.role == Role.PROJECT_OWNER:
            raise PermissionDenied(_("项目单位不能调整项目入库状态"))
        if pipeline == Pipeline.SCHEDULED and user.role != Role.CITY_ADMIN:
            raise PermissionDenied(_("只有市重点项目办可以将项目纳入调度库"))
        if project.pipeline == Pipeline.SCHEDULED and user.role != Role.CITY_ADMIN:
            raise PermissionDenied(_("只有市重点项目办可以将项目调出调度库"))
    if stage is not None and user.role == Role.PROJECT_OWNER and stage in OWNER_FORBIDDEN_STAGES:
        raise PermissionDenied(_("项目单位不能将项目暂缓或退出"))
    if stage == Stage.WITHDRAWN and project.pipeline == Pipeline.SCHEDULED and user.role != Role.CITY_ADMIN:
        raise PermissionDenied(_("只有市重点项目办可以将调度库中的项目退出"))


def visible_organizations(user: User) -> QuerySet[Organization]:
    """Organisations a user may list: offices and departments of its city (of its province, for the
    province office); enterprises are scoped."""
    qs = Organization.objects.select_related("region")
    if not user.is_authenticated:
        return qs.none()
    if user.role == Role.SYSTEM_ADMIN:
        return qs
    org = user.organization
    if org is None:
        return qs.none()
    if user.role == Role.PROVINCE_OFFICER:
        return qs.filter(region__path__startswith=org.region.path)
    qs = qs.filter(city_id=org.city_id)
    if user.role in READ_ALL_ROLES:
        return qs
    public = ~Q(kind=Organization.Kind.ENTERPRISE)
    if user.role == Role.PROJECT_OWNER and user.organization is not None:
        return qs.filter(public | Q(pk=user.organization_id))
    owners = visible_projects(user).exclude(owner=None).values("owner_id")
    return qs.filter(public | Q(pk__in=owners))
