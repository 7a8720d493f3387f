"""How API clients prove who they are: bearer tokens issued for a username and password, or the
browser session (with CSRF) for same-origin use."""

from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth import authenticate, user_logged_in
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer, SessionAuth

from keyprojects.core.errors import ApplicationError

from .lockout import locked_message, locked_until
from .models import ApiToken, User
from .passwords import password_change_reason

# Recording every use would turn each read into a write; a coarse "last used" is enough for audits.
LAST_USED_RESOLUTION = timedelta(minutes=5)


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; answers the ApiToken and sets `request.user` to its user."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        tokens = ApiToken.objects.active().for_raw(token.strip())
        api_token = tokens.select_related("user__organization__region").first()
        if api_token is None:
            return None
        reason = password_change_reason(api_token.user)
        if reason is not None:
            raise HttpError(403, str(reason))
        now = timezone.now()
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        request.user = api_token.user
        return api_token


def api_user(request: HttpRequest) -> User:
    """The user an authenticated API request acts for."""
    user = request.user
    if not isinstance(user, User):
        raise AuthenticationError()
    return user


# What a token request must prove besides the password (the second factor, `keyprojects.twofactor`): each
# check takes the person and the request's `otp` and raises an `HttpError` to refuse.
TokenCheck = Callable[[User, str], None]
_token_checks: list[TokenCheck] = []


def register_token_check(check: TokenCheck) -> None:
    if check not in _token_checks:
        _token_checks.append(check)


bearer_auth = BearerTokenAuth()
session_auth = SessionAuth(csrf=True)
DEFAULT_AUTH = [bearer_auth, session_auth]


def token_issue(
    *, request: HttpRequest, username: str, password: str, name: str = "", otp: str = ""
) -> tuple[ApiToken, str]:
    """Check the credentials (through django-axes, which counts failures and locks the username) and
    the registered checks (`otp`, the second factor's code), and issue a token. Refused credentials
    answer 401, a locked username 429."""
    if not username.strip() or not password:
        raise ApplicationError(
            _("请输入用户名和密码"),
            errors={
                field: [_("此字段为必填项")]
                for field, value in (("username", username.strip()), ("password", password))
                if not value
            },
        )
    user = authenticate(request=request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        # The API answers the lockout itself; left set, the flag would make the axes middleware
        # replace this JSON answer with the HTML lockout page.
        request.axes_locked_out = False  # type: ignore[attr-defined]
        until = locked_until(username)
        raise HttpError(
            429, locked_message(until) if until else _("登录失败次数过多，该账号已被锁定，请稍后再试")
        )
    if not isinstance(user, User):
        raise HttpError(401, _("用户名或密码错误，或账号已停用"))
    reason = password_change_reason(user)
    if reason is not None:
        raise HttpError(403, str(reason))
    for check in _token_checks:
        check(user, otp.strip())
    user_logged_in.send(sender=User, request=request, user=user)
    return ApiToken.issue(user=user, name=name)
