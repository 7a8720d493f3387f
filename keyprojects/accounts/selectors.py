"""Reads of the tenant: which cities' records a user reaches."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Region, User


def city_scope(user: User, field: str = "city") -> Q:
    """The records of the user's city; for the province office, of every city of its province.
    `field` names the city key, through relations if need be (``"project__city"``)."""
    org = user.organization if user.is_authenticated else None
    if org is None:
        return Q(pk__in=[])
    if org.city_id is None:  # an office above the cities (the province's) reaches every city below it
        return Q(**{f"{field}__path__startswith": org.region.path})
    return Q(**{f"{field}_id": org.city_id})


def require_city(user: User) -> int:
    """The id of the city whose records the user writes; 403 for an account of no city."""
    city_id = user.city_id if user.is_authenticated else None
    if city_id is None:
        raise PermissionDenied(_("您的账号不属于任何城市，不能修改城市的数据"))
    return city_id


def user_city(user: User) -> Region | None:
    """The city the user works for (none for the province office)."""
    org = user.organization if user.is_authenticated else None
    return org.city if org is not None else None


def county_choices(user: User) -> list[tuple[str, str]]:
    """The counties (县、市、区 and zones) of the user's city by their order, as a list's county filter
    offers them: (code, name)."""
    if user.city_id is None:
        return []
    return list(
        Region.objects.filter(city_id=user.city_id, parent_id=user.city_id)
        .order_by("sort_order", "code")
        .values_list("code", "name")
    )
