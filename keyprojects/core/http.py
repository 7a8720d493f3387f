"""Request types shared by the pages."""

from typing import TYPE_CHECKING

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:
    from keyprojects.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """What a request looks like behind `login_required`, with django-htmx's details."""

    user: "User"
    htmx: HtmxDetails
