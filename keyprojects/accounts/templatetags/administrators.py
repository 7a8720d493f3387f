from typing import Any

from django import template
from django.http import HttpRequest

from keyprojects.accounts.access import may
from keyprojects.accounts.middleware import seconds_left

register = template.Library()


@register.filter
def administers(user: Any) -> bool:
    """Whether the user has a part of the Django admin (the system or the security administrator)."""
    return may(user, "accounts.manage") or may(user, "security.manage")


@register.inclusion_tag("accounts/_session_timeout.html", takes_context=True)
def session_timeout(context: dict[str, Any]) -> dict[str, Any]:
    """The idle warning's script, with the seconds the session has left as this page is served."""
    request: HttpRequest | None = context.get("request")
    if request is None or not request.user.is_authenticated or not hasattr(request, "session"):
        return {"seconds_left": None}
    session = request.session
    return {"seconds_left": seconds_left(session), "idle": session.get_session_cookie_age()}
