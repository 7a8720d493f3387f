"""No superuser in production: the platform is administered by the three separated administrators."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error
from django.db import DatabaseError


def no_superuser_in_production(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    """Run where the checks reach the database (`migrate`, `check --database default`)."""
    if not settings.KEYPROJECTS_PRODUCTION or not databases:
        return []
    from .models import User

    try:
        names = list(User.objects.filter(is_superuser=True).values_list("username", flat=True)[:5])
    except DatabaseError:  # before the first migration
        return []
    if not names:
        return []
    return [
        Error(
            f"Superuser accounts exist in production: {', '.join(names)}.",
            hint="Administer through the system, security and audit administrators; remove is_superuser "
            "(UPDATE accounts_user SET is_superuser = false).",
            id="keyprojects.E001",
        )
    ]
