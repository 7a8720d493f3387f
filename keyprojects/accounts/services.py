"""Writes to accounts that carry a rule: who may change what of an account (三员分立) and the record of
every grant; the region tree.

The system administrator (`accounts.manage`) makes accounts and organisations, edits a person's details,
disables an account and sets a temporary password, but gives no role and no organisation. The security
administrator (`security.manage`) grants them (a role and the organisation it acts for: together, the
projects the account reaches), each grant recorded (`RoleGrant`), and changes nothing else of an account.
No one changes their own role, organisation or status; nobody is made a superuser or given permission
rows; staff status (the admin's door) follows the role. The admin and every page call `account_save`.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.core.errors import ApplicationError, Message

from .access import may
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


GRANT_FIELDS = ("role", "organization_id")
ACCOUNT_FIELDS = (
    "username",
    "full_name",
    "post",
    "phone",
    "email",
    "is_active",
    "must_change_password",
    "password",
)


def _changed(user: User, before: User | None, fields: tuple[str, ...]) -> list[str]:
    if before is None:
        return [name for name in fields if getattr(user, name) not in ("", None)]
    return [name for name in fields if getattr(user, name) != getattr(before, name)]


def account_change_check(*, actor: User, user: User, before: User | None) -> None:
    """Refuse what the actor may not change of this account (unsaved; `before`: as stored, None for a new one)."""
    if user.is_superuser or (before is not None and before.is_superuser != user.is_superuser):
        raise PermissionDenied(_("不能设置超级用户：平台由系统管理员、安全管理员、审计管理员分别管理"))
    grants = _changed(user, before, GRANT_FIELDS)
    if grants and not may(actor, "security.manage"):
        raise PermissionDenied(_("角色和所属机构由安全管理员授予，系统管理员不能设置"))
    if grants and user.pk == actor.pk:
        raise PermissionDenied(_("不能修改自己的角色或所属机构"))
    details = before is None or bool(_changed(user, before, ACCOUNT_FIELDS))
    if details and not may(actor, "accounts.manage"):
        raise PermissionDenied(_("账号由系统管理员新建和修改，安全管理员只授予角色和所属机构"))
    if before is not None and user.pk == actor.pk and user.is_active != before.is_active:
        raise PermissionDenied(_("不能停用自己的账号"))


@transaction.atomic
def account_save(*, actor: User, user: User) -> RoleGrant | None:
    """Save an account as the administrators' rules allow; staff follows the role. Answers the grant
    recorded, if its role or organisation changed."""
    before = User.objects.select_for_update().filter(pk=user.pk).first() if user.pk else None
    account_change_check(actor=actor, user=user, before=before)
    user.is_staff = user.is_administrator
    user.save()
    return role_grant_record(
        user=user,
        actor=actor,
        old_role=before.role if before else "",
        old_organization=before.organization if before else None,
    )
