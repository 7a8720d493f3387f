"""Signing in with a second factor in tests: the authenticator's code at the (pinned) time."""

import datetime
import zoneinfo

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.twofactor.rules import PENDING

PASSWORD = "Secret-pass-1"
NOON = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def code_of(device: TOTPDevice, *, steps_later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = datetime.datetime.now(datetime.UTC).timestamp() + steps_later * device.step
    return f"{totp.token():06d}"


def authenticator(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def signed_in_verified(client, user) -> None:
    """Signed in, the second factor already given."""
    client.force_login(user)
    session = client.session
    session.pop(PENDING, None)
    session.save()
