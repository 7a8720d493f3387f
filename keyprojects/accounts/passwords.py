"""A person's own password: its change, and when a person must change it before anything else.

What a new password must satisfy is Django's `AUTH_PASSWORD_VALIDATORS` (settings), checked by the
change form and by the administrator's forms alike. `password_change_required` is the one answer to
"must this person change the password first?": the pages send such a person to the change page
(`PasswordChangeRequiredMiddleware`), the API answers 403 with `PASSWORD_CHANGE_REQUIRED`.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import User

PASSWORD_CHANGE_REQUIRED = _("您的密码由管理员设置，须先修改密码（/accounts/password/）才能继续使用。")


def password_change_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    return isinstance(user, User) and user.must_change_password


@transaction.atomic
def password_change(*, user: User, password: str) -> User:
    """The person sets their own password (already validated): any demand to change it is met."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    return user


def password_set_by_admin(*, user: User, password: str | None) -> None:
    """An administrator sets someone's password (not yet saved): its holder must change it at the next
    login, so only that person knows the password in use. None leaves the account without one."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.must_change_password = password is not None
