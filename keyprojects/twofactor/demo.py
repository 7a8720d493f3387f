"""The demo's administrators sign in with a second factor like real ones, on authenticators with fixed,
published secrets: `keyprojects democode USERNAME` prints the current code. Under the production settings
(`loaddemo --force`) the demo makes no authenticator: the administrators enrol their own at first sign-in."""

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.accounts.models import User

if TYPE_CHECKING:
    from keyprojects.demo.steps import DemoContext

DEMO_AUTHENTICATOR = "演示验证器"


def demo_key(username: str) -> str:
    """The demo authenticator's secret (20 bytes, hex) of an account: public, derived from its name."""
    return hashlib.sha256(f"keyprojects-demo-authenticator:{username}".encode()).hexdigest()[:40]


def demo_device(user: User) -> TOTPDevice | None:
    """The account's authenticator made by the demo, while it is there."""
    return TOTPDevice.objects.filter(
        user=user, name=DEMO_AUTHENTICATOR, key=demo_key(user.username), confirmed=True
    ).first()


def load(ctx: "DemoContext") -> None:
    """An authenticator for each administrator account of the demo (by role), once."""
    if settings.KEYPROJECTS_PRODUCTION:
        return
    admins = [user for user in ctx.users.values() if user.role in settings.KEYPROJECTS_TWO_FACTOR_ROLES]
    for user in admins:
        if demo_device(user) is None:
            TOTPDevice.objects.filter(user=user, name=DEMO_AUTHENTICATOR).delete()
            TOTPDevice.objects.create(
                user=user, name=DEMO_AUTHENTICATOR, key=demo_key(user.username), confirmed=True
            )
    if admins:
        ctx.report(
            _("管理员验证码"), "keyprojects democode " + " | ".join(sorted(u.username for u in admins))
        )
