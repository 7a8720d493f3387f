"""Reads of the industrial chains: each city has its own."""

from django.db.models import QuerySet

from keyprojects.accounts.models import User
from keyprojects.accounts.selectors import city_scope

from .models import IndustrialChain


def chain_list(*, user: User) -> QuerySet[IndustrialChain]:
    """The chains of the user's city (of every city of its province, for the province office)."""
    return IndustrialChain.objects.filter(city_scope(user))
