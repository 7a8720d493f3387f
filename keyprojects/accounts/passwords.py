"""A person's own password: its change, and when a person must change it before anything else.

What a new password must satisfy is Django's `AUTH_PASSWORD_VALIDATORS` (settings; the security
administrator's policy among them, `policy.PolicyPasswordValidator`), checked by the change form and by
the administrator's forms alike. `password_change_reason` is the one answer to "must this person change
the password first, and why?": a password an administrator set, or one past its date. The pages send
such a person to the change page (`PasswordChangeRequiredMiddleware`), the API answers 403 saying so.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import User

PASSWORD_CHANGE_REQUIRED = _("您的密码由管理员设置，须先修改密码（/accounts/password/）才能继续使用。")
PASSWORD_EXPIRED = _("您的密码已过有效期，须先修改密码（/accounts/password/）才能继续使用。")


def password_expired(user: User) -> bool:
    return user.password_expires_at is not None and user.password_expires_at <= timezone.now()


def password_change_reason(user: AbstractBaseUser | AnonymousUser) -> Promise | None:
    """Why the person must change the password before anything else (None: they need not)."""
    if not isinstance(user, User):
        return None
    if user.must_change_password:
        return PASSWORD_CHANGE_REQUIRED
    return PASSWORD_EXPIRED if password_expired(user) else None


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """The person sets their own password (already validated): any demand to change it is met."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password", "password_expires_at"])
    return user


def password_set_by_admin(*, user: User, password: str | None) -> None:
    """An administrator sets someone's password (not yet saved): its holder must change it at the next
    login, so only that person knows the password in use. None leaves the account without one."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.must_change_password = password is not None
