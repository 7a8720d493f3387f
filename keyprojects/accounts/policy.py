"""The security administrator's password, lockout and session policy (`SecurityPolicy`) and the rules
that read it.

- A new password (one's own change, an administrator's forms alike, through `AUTH_PASSWORD_VALIDATORS`)
  has at least `password_min_length` characters of `password_classes` of the four classes, is not the
  username nor contains it, and is none of the last `password_history` passwords (`PasswordHistory`).
- A password expires `password_max_age_days` after it was set (`User.password_expires_at`, kept on the
  account so that no request reads the policy); 0 turns it off. Changing the period moves every
  account's date.
- Lockout (`lockout.py`) and the idle timeout of sessions (`sessions.py`) read the rest.

Every change of the policy is recorded in the settings history (`core.settings_events`).
"""

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from keyprojects.core.settings_events import settings_changed_events

from .access import may
from .models import PasswordHistory, SecurityPolicy, User

CLASSES = (re.compile(r"[A-Z]"), re.compile(r"[a-z]"), re.compile(r"[0-9]"), re.compile(r"[^A-Za-z0-9]"))
POLICY_FIELDS = (
    "password_min_length",
    "password_classes",
    "password_history",
    "password_max_age_days",
    "lockout_failures",
    "lockout_minutes",
    "session_idle_minutes",
)


def _is_previous(password: str, user: User, count: int) -> bool:
    if not count or user.pk is None:
        return False
    previous = list(PasswordHistory.objects.filter(user=user).values_list("encoded", flat=True)[:count])
    if user.has_usable_password() and user.password not in previous:
        previous.insert(0, user.password)  # one set before history was kept
    return any(check_password(password, encoded) for encoded in previous[:count])


class PolicyPasswordValidator:
    """The policy's rules for a new password, each refusal naming its rule."""

    def validate(self, password: str, user: User | None = None) -> None:
        policy = SecurityPolicy.current()
        errors = []
        if len(password) < policy.password_min_length:
            errors.append(_("密码至少 %(n)d 个字符。") % {"n": policy.password_min_length})
        if sum(bool(c.search(password)) for c in CLASSES) < policy.password_classes:
            errors.append(
                _("密码须包含大写字母、小写字母、数字、符号四类中的至少 %(n)d 类。")
                % {"n": policy.password_classes}
            )
        username = (getattr(user, "username", "") or "").lower()
        if username and username in password.lower():
            errors.append(_("密码不能是用户名，也不能包含用户名。"))
        if errors:
            raise ValidationError(errors)
        # last, and only for a password every cheaper rule accepts: each stored hash costs a slow hashing
        if isinstance(user, User) and _is_previous(password, user, policy.password_history):
            raise ValidationError(_("不能使用最近 %(n)d 次用过的密码。") % {"n": policy.password_history})

    def get_help_text(self) -> str:
        policy = SecurityPolicy.current()
        return _(
            "至少 %(length)d 个字符，含大写字母、小写字母、数字、符号中的至少 %(classes)d 类；"
            "不能包含用户名，不能与最近 %(history)d 次的密码相同。"
        ) % {
            "length": policy.password_min_length,
            "classes": policy.password_classes,
            "history": policy.password_history,
        }


def _expiries_moved(days: int) -> None:
    """Every account's password expires `days` after it was last set (0: never)."""
    if not days:
        User.objects.exclude(password_expires_at=None).update(password_expires_at=None)
        return
    last_set = PasswordHistory.objects.filter(user=OuterRef("pk")).order_by("-id").values("created_at")[:1]
    User.objects.update(
        password_expires_at=ExpressionWrapper(
            Coalesce(Subquery(last_set), F("date_joined")) + timedelta(days=days),
            output_field=DateTimeField(),
        )
    )


@transaction.atomic
def security_policy_update(*, actor: User, values: Mapping[str, Any], reason: str = "") -> SecurityPolicy:
    """The security administrator changes the policy (already validated values); recorded field by field."""
    if not may(actor, "security.manage"):
        raise PermissionDenied(_("只有安全管理员可以修改密码和登录策略"))
    policy = SecurityPolicy.objects.select_for_update().filter(pk=1).first() or SecurityPolicy(pk=1)
    before = {name: getattr(policy, name) for name in POLICY_FIELDS}
    for name, value in values.items():
        if name not in POLICY_FIELDS:
            raise ValueError(name)
        setattr(policy, name, value)
    policy.full_clean()
    policy.version += 1
    policy.save()
    settings_changed_events(
        record=policy,
        actor=actor,
        changes=[(name, before[name], getattr(policy, name)) for name in POLICY_FIELDS],
        reason=reason,
    )
    if before["password_max_age_days"] != policy.password_max_age_days:
        _expiries_moved(policy.password_max_age_days)
    return policy
