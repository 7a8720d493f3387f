"""Who hears of a blocker's step: the offices that handle it, its department, its owner, its leader.

The leader a blocker reaches at the top of the ladder is the project's 包保 leader when the project is
linked to that person's account (`Project.leader`, an active city leader of the project's city), else
every city leader of that city, any of whom may give the instruction."""

from django.db.models import Q, QuerySet

from keyprojects.accounts.models import Organization, Role, User
from keyprojects.projects.models import Project

from .models import Blocker


def _active(**filters: object) -> QuerySet[User]:
    return User.objects.filter(is_active=True, **filters)


def handling_office(project: Project) -> QuerySet[User]:
    """The county officers of the project's region (any office above it inside the city), or the city
    office for a project of the city itself or of a region without a county officer."""
    codes = [code for code in project.region.path.split("/") if code]
    county = _active(
        role=Role.COUNTY_OFFICER, organization__city_id=project.city_id, organization__region__code__in=codes
    )
    if county.exists():
        return county
    return city_office(project.city_id)


def city_office(city_id: int) -> QuerySet[User]:
    return _active(role=Role.CITY_ADMIN, organization__city_id=city_id)


def department_people(*organizations: Organization | int | None) -> QuerySet[User]:
    ids = [o.pk if isinstance(o, Organization) else o for o in organizations if o is not None]
    return _active(role=Role.DEPARTMENT_OFFICER, organization_id__in=ids)


def handlers(blocker: Blocker) -> QuerySet[User]:
    """The responsible and co-handling departments' officers."""
    ids = [blocker.department_id, *blocker.co_departments.values_list("pk", flat=True)]
    return department_people(*ids)


def owner_side(blocker: Blocker) -> QuerySet[User]:
    """Whoever raised it and the project owner's people: those who rate the resolution."""
    condition = Q(pk=blocker.raised_by_id)
    if blocker.project.owner_id is not None:
        condition |= Q(role=Role.PROJECT_OWNER, organization_id=blocker.project.owner_id)
    return User.objects.filter(condition, is_active=True)


def project_leader(project: Project) -> User | None:
    """The project's 包保 leader, when linked to an active city leader's account of the project's city."""
    if project.leader_id is None:
        return None
    return _active(pk=project.leader_id, role=Role.LEADER, organization__city_id=project.city_id).first()


def leaders(blocker: Blocker) -> QuerySet[User]:
    if blocker.leader_id is not None:
        return _active(pk=blocker.leader_id)
    return _active(role=Role.LEADER, organization__city_id=blocker.city_id)
