"""Who hears of a notice's step: the receiver's people, and the city office that issued it."""

from django.db.models import QuerySet

from keyprojects.accounts.models import Organization, Role, User

RECEIVER_ROLES = (Role.COUNTY_OFFICER, Role.DEPARTMENT_OFFICER)
RECEIVER_KINDS = (Organization.Kind.COUNTY_OFFICE, Organization.Kind.DEPARTMENT)


def receiver_people(organization_id: int) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role__in=RECEIVER_ROLES, organization_id=organization_id)


def city_office(city_id: int) -> QuerySet[User]:
    return User.objects.filter(is_active=True, role=Role.CITY_ADMIN, organization__city_id=city_id)


def receivers(city_id: int) -> QuerySet[Organization]:
    """The organisations of a city a notice may be sent to: its county offices and departments."""
    return Organization.objects.filter(city_id=city_id, kind__in=RECEIVER_KINDS).order_by("kind", "name")
