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
  work to departments register where to look with
  `keyprojects.accounts.access.register_department_assignments`;
- the system administrator manages accounts and sees no project;
- a project's contact phone is personal data: whole to those who act on the project (the city office,
  its county, its owner, its task force), masked (138****5678) to every other reader (leaders,
  departments, the province office), on pages, API and exports alike (`contact_phone_for`).

Asking for a project one may not see answers 404, the same as a missing one. Which role sees and
changes what is declared once, in `keyprojects.accounts.access`; the functions here read that table.
"""

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Model, Q, QuerySet, Value
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.access import (
    acting_filter,
    acting_holds,
    may,
    project_filter,
    role_access,
    sees_projects,
    sees_whole_tenant,
)
from keyprojects.accounts.models import Organization, Region, User
from keyprojects.accounts.selectors import city_scope
from keyprojects.core.text import mask_phone

from .models import Pipeline, Project, Stage

Row = TypeVar("Row", bound=Model)

OWNER_FORBIDDEN_STAGES = frozenset({Stage.ON_HOLD, Stage.WITHDRAWN})


def has_project_access(user: User) -> bool:
    return sees_projects(user)


def require_project_access(user: User) -> None:
    if not has_project_access(user):
        raise PermissionDenied(_("您的账号没有项目库的访问权限"))


def visible_projects(user: User, queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
    qs = Project.objects.all() if queryset is None else queryset
    if not has_project_access(user):
        return qs.none()
    return qs.filter(project_filter(user))


def visible_under_projects(user: User, queryset: QuerySet[Row]) -> QuerySet[Row]:
    """The rows of a city's table that hang off a project (plan nodes, reports, warnings: a `project` and a
    `city`), visible exactly when their project is. The city key is named first, so that a city's lists
    read through indexes that start with it, never through the other cities' rows; a user who sees every
    project of its city (or province) needs no more."""
    if not has_project_access(user):
        return queryset.none()
    rows = queryset.filter(city_scope(user))
    return rows if sees_whole_tenant(user) else rows.filter(project__in=visible_projects(user).values("pk"))


def joined_in_city(user: User, rows: QuerySet[Row]) -> QuerySet[Row]:
    """`rows` (of `visible_under_projects`) joined to their projects through the city key as well, for a
    page that shows its projects' columns: the database then reads that city's projects alone (PostgreSQL
    would otherwise hash every city's projects to join one city's rows). Not for counting: SQLite counts
    faster without the join."""
    return rows if user.city_id is None else rows.filter(project__city_id=user.city_id)


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


def acts_on(user: User, project: Project) -> bool:
    """Whether the project lies in the scope the user changes (whatever the action)."""
    if not has_project_access(user):
        return False
    known = acting_holds(user, project)
    if known is not None:
        return known
    return Project.objects.filter(acting_filter(user), pk=project.pk).exists()


def with_contact_access(user: User, projects: QuerySet[Project]) -> QuerySet[Project]:
    """`projects` with `contact_shown`: whether the user acts on each (and so reads its contact whole)."""
    acting = acting_filter(user) if has_project_access(user) else Q(pk__in=[])
    shown = Value(False) if acting == Q(pk__in=[]) else ExpressionWrapper(acting, output_field=BooleanField())
    return projects.annotate(contact_shown=shown)


def contact_phone_for(user: User, project: Project | dict) -> str:
    """The project's contact phone as the user may read it (a project of `with_contact_access`, or a
    row of values with `contact_phone` and `contact_shown`; else asked here)."""
    if isinstance(project, dict):
        phone, shown = project["contact_phone"], project["contact_shown"]
    else:
        phone = project.contact_phone
        shown = getattr(project, "contact_shown", None)
        if shown is None and phone:
            shown = acts_on(user, project)
    return phone if not phone or shown else mask_phone(phone)


def can_edit_project(user: User, project: Project) -> bool:
    return may(user, "project.edit") and acts_on(user, project)


def require_edit(user: User, project: Project) -> None:
    if not can_edit_project(user, project):
        raise PermissionDenied(_("您无权修改此项目"))


def can_create_project(user: User) -> bool:
    return has_project_access(user) and may(user, "project.create")


def key_fields_locked(user: User, project: Project | None) -> bool:
    """Whether this user changes the project's key figures only by a change request."""
    return (
        project is not None
        and project.pipeline == Pipeline.SCHEDULED
        and may(user, "project.edit")
        and not may(user, "project.key_figures")
    )


def locked_fields(user: User, project: Project | None = None) -> frozenset[str]:
    """Fields this user may not set on `project` (or on a new project, when None), even one it may edit."""
    access = role_access(user)
    if project is None:
        return access.locked_on_create
    return access.locked_listed if project.pipeline == Pipeline.SCHEDULED else access.locked


def creatable_regions(user: User) -> QuerySet[Region]:
    """Regions a project may be placed in by this user: county-level units of its city within its reach."""
    org = user.organization
    if org is None or org.city_id is None or not may(user, "project.create"):
        return Region.objects.none()
    counties = Region.objects.filter(city_id=org.city_id).exclude(
        kind__in=[Region.Kind.PROVINCE, Region.Kind.CITY]
    )
    if role_access(user).acts_on == "city":
        return counties
    return counties.filter(path__startswith=org.region.path)


def check_move(user: User, project: Project, *, stage: str | None, pipeline: str | None) -> None:
    """Raise PermissionDenied when this user may not make this stage or pipeline move."""
    require_edit(user, project)
    if pipeline is not None and pipeline != project.pipeline:
        if not may(user, "project.move_pipeline"):
            raise PermissionDenied(_("项目单位不能调整项目入库状态"))
        if pipeline == Pipeline.SCHEDULED and not may(user, "project.list"):
            raise PermissionDenied(_("只有市重点项目办可以将项目纳入调度库"))
        if project.pipeline == Pipeline.SCHEDULED and not may(user, "project.list"):
            raise PermissionDenied(_("只有市重点项目办可以将项目调出调度库"))
    if stage in OWNER_FORBIDDEN_STAGES and not may(user, "project.hold"):
        raise PermissionDenied(_("项目单位不能将项目暂缓或退出"))
    if stage == Stage.WITHDRAWN and project.pipeline == Pipeline.SCHEDULED and not may(user, "project.list"):
        raise PermissionDenied(_("只有市重点项目办可以将调度库中的项目退出"))


def visible_organizations(user: User) -> QuerySet[Organization]:
    """Organisations a user may list: offices and departments of its city (of its province, for the
    province office), and the enterprises owning projects it sees (its own, for an owner)."""
    qs = Organization.objects.select_related("region")
    if not user.is_authenticated:
        return qs.none()
    if may(user, "accounts.manage"):
        return qs
    org = user.organization
    if org is None or not has_project_access(user):
        return qs.none()
    if org.city_id is None:
        qs = qs.filter(region__path__startswith=org.region.path)
    else:
        qs = qs.filter(city_id=org.city_id)
    if sees_whole_tenant(user):
        return qs
    owners = visible_projects(user).exclude(owner=None).values("owner_id")
    return qs.filter(~Q(kind=Organization.Kind.ENTERPRISE) | Q(pk=org.pk) | Q(pk__in=owners))
