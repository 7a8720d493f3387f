"""Writes to accounts that carry a rule: who may grant which role and the record of every grant; the
region tree."""

import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.core.errors import ApplicationError, Message

from .models import Organization, Region, RoleGrant, User

REGION_CODE = re.compile(r"^\d{6}$")


@transaction.atomic
def region_recode(*, region_id: int, code: str, name: str) -> Region:
    """A region renamed or re-coded (茌平县 371523 became 茌平区 371503 in 2019). Projects keep pointing
    at the same region, so every figure keeps its meaning; the former code and name stay on the
    region, so codes minted under the former code stay valid and the history still reads."""
    region = Region.objects.select_for_update().get(pk=region_id)
    code, name = code.strip(), name.strip()
    errors: dict[str, list[Message]] = {}
    if region.is_gb_code and not REGION_CODE.match(code):
        errors["code"] = [_("区划代码应为6位数字")]
    elif Region.objects.filter(code=code).exclude(pk=region.pk).exists():
        errors["code"] = [_("区划代码 %(code)s 已被其他区划使用") % {"code": code}]
    if not name:
        errors["name"] = [_("请填写区划名称")]
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    if code != region.code and region.code not in region.former_codes:
        region.former_codes = [*region.former_codes, region.code]
    if name != region.name and region.name not in region.former_names:
        region.former_names = [*region.former_names, region.name]
    region.code, region.name = code, name
    region.save()
    return region


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
