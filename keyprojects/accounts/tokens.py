"""A person's API tokens: revoking one, and revoking them all when the password changes or the account is
disabled (wherever that happens: the password page, the admin, a command), through the user's save."""

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .models import ApiToken, User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """The person's tokens, newest first, revoked and expired ones too."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


@transaction.atomic
def token_revoke(*, user: User, token_id: int) -> ApiToken:
    """The person revokes one of their own tokens still in force (404 otherwise)."""
    token = ApiToken.objects.active().select_for_update().filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404(_("令牌不存在或已吊销"))
    token.revoke()
    return token


def tokens_revoke_all(*, user: User) -> int:
    """Revoke every token of the person still in force, each saved (so that each revocation is recorded)."""
    tokens = list(ApiToken.objects.filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        token.revoke()
    return len(tokens)


def _ends_tokens(user: User, update_fields: Any) -> bool:
    if user.pk is None or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        return False
    before = User.objects.filter(pk=user.pk).values("password", "is_active").first()
    if before is None:
        return False
    return before["password"] != user.password or (before["is_active"] and not user.is_active)


def user_pre_save(
    sender: Any, instance: User, update_fields: Any = None, raw: bool = False, **kwargs: Any
) -> None:
    instance._ends_tokens = not raw and _ends_tokens(instance, update_fields)  # type: ignore[attr-defined]


def user_post_save(sender: Any, instance: User, **kwargs: Any) -> None:
    if getattr(instance, "_ends_tokens", False):
        instance._ends_tokens = False  # type: ignore[attr-defined]
        tokens_revoke_all(user=instance)
