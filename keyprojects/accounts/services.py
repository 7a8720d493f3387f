"""Writes to accounts that carry a rule: who may grant which role, and the record of every grant."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Organization, RoleGrant, User


def role_grant_record(
    *, user: User, actor: User | None, old_role: str, old_organization: Organization | None
) -> RoleGrant | None:
    """Record that `user`'s role or organisation changed from the old ones (nothing when neither did)."""
    if (old_role, getattr(old_organization, "pk", None)) == (user.role, user.organization_id):
        return None
    return RoleGrant.objects.create(
        user=user,
        actor=actor,
        old_role=old_role,
        new_role=user.role,
        old_organization=old_organization,
        new_organization=user.organization,
    )


def check_account_change(*, actor: User, user: User, old_role: str) -> None:
    """The system administrator manages accounts only: it never makes a superuser and never changes
    its own role."""
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("系统管理员不能设置超级用户"))
    if user.pk == actor.pk and user.role != old_role:
        raise PermissionDenied(_("不能修改自己的角色"))
