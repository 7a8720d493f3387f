"""Signing in with a username and password, as Django's model backend does; the user of a session is read
with its organisation and region in the one query every page makes, since every page asks what the user
sees. In production a superuser (which cannot be made there, but may be left from before) does not sign in."""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from .models import User


class AccountBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("organization__region").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def user_can_authenticate(self, user: Any) -> bool:
        if settings.KEYPROJECTS_PRODUCTION and getattr(user, "is_superuser", False):
            return False
        return super().user_can_authenticate(user)
