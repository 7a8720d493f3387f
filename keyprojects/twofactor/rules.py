"""Who signs in with a second factor, and where sign-in waits for it.

A person with a confirmed authenticator (TOTP) is asked for its code after the password; a person who
must have one (`second_factor_required`) and has none is sent to enrol first. What sign-in still waits for
is kept in the session at login (`PENDING`), so the pages read it without a query; `SecondFactorMiddleware`
sends the person there from every other page. API tokens are issued to such a person only with a current
code (`token_check`)."""

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from ninja.errors import HttpError

from keyprojects.accounts.middleware import sign_in_complete
from keyprojects.accounts.models import Organization, User
from keyprojects.core.errors import ApplicationError

from .models import TwoFactorSettings
from .services import second_factor_verify

PENDING = "twofactor_pending"
VERIFY, ENROL = "verify", "enrol"


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_required(user: User) -> bool:
    """The three administrators must have a second factor, and the city office's accounts where their
    city's settings say so."""
    if user.role in settings.KEYPROJECTS_TWO_FACTOR_ROLES:
        return True
    org = user.organization
    if org is None or org.kind != Organization.Kind.CITY_OFFICE:
        return False
    return TwoFactorSettings.for_city(org.city_id).city_office_required


def pending_at_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """A page sign-in (not a token request) of a person with a second factor waits for its code; of one
    who must have one and has none, for the enrolment; any other is complete."""
    if SESSION_KEY not in request.session:
        return
    if has_second_factor(user):
        request.session[PENDING] = VERIFY
    elif second_factor_required(user):
        request.session[PENDING] = ENROL
    else:
        sign_in_complete(user=user, session=request.session)


def second_factor_passed(request: HttpRequest, user: User) -> None:
    """The code of this sign-in was given (verified, or an authenticator enrolled with it)."""
    request.session.pop(PENDING, None)
    sign_in_complete(user=user, session=request.session)


def token_check(user: User, otp: str) -> None:
    """A token for a person with a second factor needs its current code in `otp` (401 otherwise); a
    person who must have one and has none enrols first (403)."""
    if not has_second_factor(user):
        if second_factor_required(user):
            raise HttpError(403, _("该账号须先启用两步验证（个人信息 → 两步验证），才能签发接口令牌"))
        return
    if not otp:
        raise HttpError(401, _("该账号已启用两步验证：请在 otp 字段填写验证器上的6位验证码"))
    try:
        second_factor_verify(user=user, code=otp)
    except ApplicationError as error:
        raise HttpError(
            401, _("otp 字段：%(error)s") % {"error": error.field_messages()["code"][0]}
        ) from error
