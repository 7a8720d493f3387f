"""Locking a username after repeated failed sign-ins, on the pages and the token endpoint alike.

django-axes counts the failures (`AccessAttempt` rows, per username, address and browser) and locks;
the policy (`SecurityPolicy.lockout_failures`, `lockout_minutes`) gives its limits. Axes counts the
cool-off from the latest failure; here the lock ends `lockout_minutes` after the FIRST failure of the
run, whatever comes after: `FirstFailureHandler` keeps every attempt of a username at the time of its
first failure, and attempts while locked are not recorded (`AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT`
off), so they neither extend nor reset the lock. The security administrator unlocks (`account_unlock`),
which says so (`account_unlocked`, heard by the audit trail); attempts that expire, or that a successful
sign-in clears, go without a word: no one unlocked them.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import (
    Case,
    DateTimeField,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import may
from .models import SecurityPolicy, User

# sent by `account_unlock` for each username it unlocked: actor (User), username (str), failures (int)
account_unlocked = Signal()


def _policy(request: HttpRequest | None) -> SecurityPolicy:
    """The policy, read once per request."""
    if request is None:
        return SecurityPolicy.current()
    cached = getattr(request, "_security_policy", None)
    if cached is None:
        cached = SecurityPolicy.current()
        request._security_policy = cached  # type: ignore[attr-defined]
    return cached


def failure_limit(request: HttpRequest, credentials: Any = None) -> int:
    """AXES_FAILURE_LIMIT."""
    return _policy(request).lockout_failures


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """AXES_COOLOFF_TIME."""
    return _policy(request).lockout


def locked_until(username: str, *, policy: SecurityPolicy | None = None) -> datetime | None:
    """When the username may try again, if it is locked now."""
    policy = policy or SecurityPolicy.current()
    run = AccessAttempt.objects.filter(
        username=username, attempt_time__gt=timezone.now() - policy.lockout
    ).aggregate(first=Min("attempt_time"), failures=Sum("failures_since_start"))
    if run["first"] is None or (run["failures"] or 0) < policy.lockout_failures:
        return None
    return run["first"] + policy.lockout


def with_locked_until(
    attempts: QuerySet[AccessAttempt], *, policy: SecurityPolicy
) -> QuerySet[AccessAttempt]:
    """`attempts`, each with `locked_until`: its username's, as `locked_until` answers it, in the same query."""
    run = (
        AccessAttempt.objects.filter(
            username=OuterRef("username"), attempt_time__gt=timezone.now() - policy.lockout
        )
        .order_by()
        .values("username")
    )
    return attempts.annotate(
        run_first=Subquery(run.annotate(first=Min("attempt_time")).values("first")),
        run_failures=Subquery(run.annotate(failures=Sum("failures_since_start")).values("failures")),
        locked_until=Case(
            When(
                run_failures__gte=policy.lockout_failures,
                then=ExpressionWrapper(F("run_first") + Value(policy.lockout), output_field=DateTimeField()),
            ),
            default=None,
            output_field=DateTimeField(),
        ),
    )


class FirstFailureHandler(AxesDatabaseHandler):
    """Axes' database handler with the lock counted from the first failure of the run."""

    def user_login_failed(self, sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(username=username)
        live = attempts.filter(attempt_time__gt=get_cool_off_threshold(request))  # axes cleans the rest
        first = live.aggregate(first=Min("attempt_time"))["first"]
        super().user_login_failed(sender, credentials, request, **kwargs)
        if username is not None and first is not None:
            attempts.exclude(attempt_time=first).update(attempt_time=first)


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the page that says until when the username is locked."""
    username = get_client_username(request, credentials) or ""
    policy = _policy(request)
    until = locked_until(username, policy=policy) or timezone.now() + policy.lockout
    context = {
        "username": username,
        "failure_limit": policy.lockout_failures,
        "until": until,
        "policy": policy,
    }
    return render(request, "accounts/locked.html", context, status=429)


def locked_message(until: datetime) -> str:
    return _("登录失败次数过多，该账号已被锁定，请于 %(time)s 后再试") % {
        "time": timezone.localtime(until).strftime("%Y-%m-%d %H:%M")
    }


@transaction.atomic
def account_unlock(*, actor: User, usernames: Iterable[str]) -> int:
    """The security administrator lifts the lock of these usernames (their counted failures go)."""
    if not may(actor, "security.manage"):
        raise PermissionDenied(_("只有安全管理员可以解锁账号"))
    attempts = AccessAttempt.objects.filter(username__in=list(usernames))
    failures = dict(
        attempts.values("username").annotate(n=Sum("failures_since_start")).values_list("username", "n")
    )
    attempts.delete()
    for username, count in sorted(failures.items()):
        account_unlocked.send(User, actor=actor, username=username, failures=count or 0)
    return len(failures)
