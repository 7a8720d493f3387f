"""Idempotent writes: a request sent again with the same `Idempotency-Key` (a client retry, a double
click) gets the first answer replayed instead of acting twice.

The first successful answer for (user, scope, key) is stored with a fingerprint of the request. The
scope is the endpoint family (e.g. "reports:create"), not one object: the payload names the target
(the project, the report), so the same key sent for another target is another request and refused.
The same key with the same request replays that answer; the same key with another request is refused.
Failed attempts are not stored: they changed nothing, so trying again is harmless.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .errors import ApplicationError
from .models import IdempotencyRecord

if TYPE_CHECKING:  # the core sits below the accounts: it names the user type only
    from keyprojects.accounts.models import User

MAX_KEY_LENGTH = 128
KEY_FIELD = "Idempotency-Key"


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    replayed: bool = False


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def fingerprint(payload: Any) -> str:
    """A stable hash of a request's content (keys sorted, so field order does not matter)."""
    return hashlib.sha256(_canonical(payload).encode()).hexdigest()


def _replay(record: IdempotencyRecord, request_hash: str) -> Answer:
    if record.request_hash != request_hash:
        raise ApplicationError(
            _("该幂等键已用于内容不同的另一次提交，请使用新的键"),
            errors={KEY_FIELD: [_("该幂等键已用于内容不同的另一次提交")]},
        )
    return Answer(record.status_code, record.response, replayed=True)


def _find(user: "User", scope: str, key: str) -> IdempotencyRecord | None:
    return IdempotencyRecord.objects.filter(user=user, scope=scope, key=key).first()


def run_once(
    *, user: "User", scope: str, key: str | None, payload: Any, action: Callable[[], tuple[int, Any]]
) -> Answer:
    """Run `action` once per key; without a key, always. The body `action` answers is given back as
    plain JSON values (decimals and dates as strings), the same on the first answer and on replays."""
    if not key:
        status, body = action()
        return Answer(status, json.loads(_canonical(body)))
    if len(key) > MAX_KEY_LENGTH:
        raise ApplicationError(
            _("幂等键过长"), errors={KEY_FIELD: [_("幂等键不能超过%(n)s个字符") % {"n": MAX_KEY_LENGTH}]}
        )
    request_hash = fingerprint(payload)
    record = _find(user, scope, key)
    if record is not None:
        return _replay(record, request_hash)
    try:
        with transaction.atomic():
            status, body = action()
            body = json.loads(_canonical(body))
            if 200 <= status < 300:
                IdempotencyRecord.objects.create(
                    user=user,
                    scope=scope,
                    key=key,
                    request_hash=request_hash,
                    status_code=status,
                    response=body,
                )
    except (ApplicationError, IntegrityError):
        # A concurrent request with the same key may have won the race: answer as it did.
        record = _find(user, scope, key)
        if record is None:
            raise
        return _replay(record, request_hash)
    return Answer(status, body)
