"""Only the audit administrator (action `audit.read`, `accounts.access`) reads and exports the audit trail."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may


def can_read_audit(user: Any) -> bool:
    return bool(user.is_authenticated) and may(user, "audit.read")


def require_audit_reader(user: Any) -> None:
    if not can_read_audit(user):
        raise PermissionDenied(_("只有审计管理员可以查阅审计记录"))
