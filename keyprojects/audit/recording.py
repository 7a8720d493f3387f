"""What becomes an audit record, generically: every app's rows are covered without code of their own.

- Writes: every create, update and delete of a model row (`post_save`, `post_delete`, `m2m_changed`; a service's
  `bulk_create` of a person's rows through `bulk_created`) with the changed fields' old and new values (typed,
  `core.history.encode`). The old values are those the instance was read with (kept when it is read from the
  database, by a hook on the model's `from_db`, and after each save; an instance built in Python costs nothing);
  an instance never read (made with its id) has its row read before the save. A change of a user's role, organisation, activity or permissions, and every `RoleGrant`,
  is a 权限变更; a change of a city's settings (every `CitySettings`, the node templates, the dictionaries) or of
  the security policy a 设置变更.
- Not recorded (`EXCLUDED`): the audit tables themselves; sessions, django-axes' rows (their expiry and a
  successful sign-in clear them: no unlock) and the task queue; the tables the platform maintains from others
  (tallies, search index, figures in force, warnings and their refresh queue, idempotency keys, import jobs, deliveries);
  and the history rows each app writes beside the change they describe (the change itself is recorded).
- Sign-in, failure (with the reason), sign-out: Django's auth signals; lockout: django-axes' `user_locked_out`;
  unlock: the security administrator's `account_unlock` (its `account_unlocked`: who unlocked whom).

Records are kept until the transaction that made them commits (a rolled-back write is no write), then
appended: at the end of the request for a request, at once otherwise.
"""

import copy
import inspect
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import connection, models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest

from keyprojects.accounts.city_settings import CitySettings
from keyprojects.core.crypto import EncryptedCharField
from keyprojects.core.history import Typed, encode, field_choices
from keyprojects.core.text import mask_phone

from . import chain
from .context import Actor, client_ip, current
from .models import AuditKind

EXCLUDED = frozenset(
    {
        # the trail itself
        "audit.auditrecord",
        "audit.auditanchor",
        # the framework's own rows: sessions, the sign-in counters (unlocks: below), the task queue, the schema
        "sessions.session",
        "axes.accessattempt",
        "axes.accessattemptexpiration",
        "axes.accesslog",
        "axes.accessfailurelog",
        "django_tasks_db.dbtaskresult",
        "contenttypes.contenttype",
        "auth.permission",
        "admin.logentry",
        # maintained from other tables, often in bulk
        "projects.projecttally",
        "projects.projectsearch",
        "progress.figureinforce",
        "alerts.projectwarning",
        "alerts.pendingrefresh",
        "alerts.refreshqueued",
        "core.idempotencyrecord",
        "sheets.importjob",
        "notifications.delivery",
        "notifications.deliveryitem",
        # history rows written beside the change they describe
        "projects.projectevent",
        "schedule.nodeevent",
        "progress.reportevent",
        "blockers.blockerevent",
        "supervision.noticeevent",
        "core.settingsevent",
    }
)
RIGHTS_FIELDS = frozenset({"role", "organization", "is_active", "is_staff", "is_superuser"})
RIGHTS_MODELS = frozenset({"accounts.rolegrant", "auth.group"})
SETTINGS_MODELS = frozenset(
    {"schedule.nodetemplate", "schedule.templatenode", "accounts.securitypolicy", "projects.dictionaryentry"}
)
IGNORED_FIELDS = frozenset({("accounts.user", "last_login")})
# secrets are recorded as changed, never their value: password hashes, token hashes, session keys,
# authenticator keys, recovery codes
MASKED_FIELDS = frozenset({"password", "key_hash", "session_key"})
MASKED_MODEL_FIELDS = frozenset(
    {
        ("accounts.passwordhistory", "encoded"),
        ("otp_totp.totpdevice", "key"),
        ("otp_static.statictoken", "token"),
    }
)
MASK: Typed = {"t": "text", "v": "******"}
_SNAPSHOT = "_audit_snapshot"


def _command() -> str:
    """The management command this process runs (`keyprojects NAME`, `manage.py NAME`), else ""."""
    if len(sys.argv) > 1 and Path(sys.argv[0]).name in ("keyprojects", "manage.py", "django-admin"):
        return sys.argv[1][:500]
    return ""


def record(
    kind: str,
    *,
    actor: Actor | None = None,
    ip: str | None = None,
    instance: models.Model | None = None,
    object_model: str = "",
    object_pk: Any = "",
    object_text: str = "",
    city_id: int | None = None,
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> None:
    """Make an audit record of what just happened, in the current context (actor, address, request, reason)."""
    context = current()
    method, path = context.method, context.path
    if context.request is None and not method and (command := _command()):
        method, path = "COMMAND", command
    if instance is not None:
        object_model = instance._meta.label_lower
        object_pk = instance.pk
        object_text = _text(instance)
        if city_id is None and _has_field(type(instance), "city"):
            city_id = getattr(instance, "city_id", None)
    actor = actor or context.current_actor()
    entry = {
        "at": _now(),
        "kind": kind,
        "actor_id": actor.user_id,
        "username": actor.username[:150],
        "ip": ip if ip is not None else context.ip,
        "city_id": city_id,
        "object_model": object_model[:100],
        "object_pk": "" if object_pk is None else str(object_pk)[:64],
        "object_text": object_text[:200],
        "method": method[:10],
        "path": path[:500],
        "old": old,
        "new": new,
        "reason": (reason or context.reason)[:500],
    }
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _ready(entry))
    else:
        _ready(entry)


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


def _ready(entry: dict[str, Any]) -> None:
    batch = current().batch
    if batch is not None and batch.open:
        batch.entries.append(entry)
    else:
        chain.append([entry])


def _text(instance: models.Model) -> str:
    try:
        return str(instance)
    except Exception:
        return f"{instance._meta.label_lower} {instance.pk}"


def _has_field(model: type[models.Model], name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def audited(model: type[models.Model]) -> bool:
    return model._meta.label_lower not in EXCLUDED and not model._meta.auto_created


@cache
def _fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    label = model._meta.label_lower
    return tuple(f for f in model._meta.concrete_fields if (label, f.name) not in IGNORED_FIELDS)


@cache
def _columns(model: type[models.Model]) -> tuple[tuple[str, bool], ...]:
    """Each recorded field's attribute name, and whether its value is mutable in place (JSON)."""
    return tuple((f.attname, isinstance(f, models.JSONField)) for f in _fields(model))


@cache
def _mutable(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(name for name, mutable in _columns(model) if mutable)


def _encode(field: models.Field, value: Any) -> Typed | None:
    if value is None:
        return None
    if field.name in MASKED_FIELDS or (field.model._meta.label_lower, field.name) in MASKED_MODEL_FIELDS:
        return MASK
    if isinstance(field, EncryptedCharField):  # personal data, kept encrypted: only masked here
        return encode(mask_phone(value)) if value else None
    if field.is_relation and field.related_model is not None:
        return {"t": "ref", "m": field.related_model._meta.label_lower, "v": value}
    return encode(value, choices=field_choices(field))


def _values(instance: models.Model) -> dict[str, Any]:
    loaded = instance.__dict__
    return {
        name: copy.deepcopy(loaded[name]) if mutable else loaded[name]
        for name, mutable in _columns(type(instance))
        if name in loaded
    }


def _kind(model: type[models.Model], changed: set[str]) -> str:
    label = model._meta.label_lower
    if label in RIGHTS_MODELS or (model is get_user_model() and changed & RIGHTS_FIELDS):
        return AuditKind.RIGHTS
    if label in SETTINGS_MODELS or issubclass(model, CitySettings):
        return AuditKind.SETTINGS
    return AuditKind.WRITE


def _snapshotting(original: Any) -> classmethod:
    """A model's `from_db` that keeps the values each row is read with (`original`: the one it had)."""

    def from_db(cls: type[models.Model], *args: Any, **kwargs: Any) -> models.Model:
        instance = original.__get__(None, cls)(*args, **kwargs)
        loaded = (
            instance.__dict__.copy()
        )  # more than the recorded fields, read by name: cheaper than a filter
        for name in _mutable(cls):
            if name in loaded:
                loaded[name] = copy.deepcopy(loaded[name])
        instance.__dict__[_SNAPSHOT] = loaded
        return instance

    from_db.snapshots = True  # type: ignore[attr-defined]
    return classmethod(from_db)


_MISSING = object()
_own_from_db: dict[type[models.Model], Any] = {}  # what each hooked model had of its own, to put back


def _hook(model: type[models.Model]) -> None:
    """Keep the values of `model`'s rows as read, unless its `from_db` (its own or inherited) does already."""
    if getattr(getattr(model.from_db, "__func__", None), "snapshots", False):
        return
    _own_from_db[model] = model.__dict__.get("from_db", _MISSING)
    hooked = _snapshotting(inspect.getattr_static(model, "from_db"))
    model.from_db = hooked  # type: ignore[assignment,method-assign]


def _unhook() -> None:
    for model, own in _own_from_db.items():
        if own is _MISSING:
            del model.from_db
        else:
            model.from_db = own  # type: ignore[method-assign]
    _own_from_db.clear()


def _before_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    """An instance made with its id and never read: its row as stored, read before it is overwritten."""
    if raw or not instance._state.adding or instance.pk is None:
        return
    names = [f.attname for f in _fields(sender)]
    stored = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    instance._audit_stored = stored  # type: ignore[attr-defined]


def _after_save(
    sender: type[models.Model], instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw:
        return
    now = _values(instance)
    before: dict[str, Any] = getattr(instance, "_audit_stored", None) or {}
    if before:
        del instance._audit_stored  # type: ignore[attr-defined]
        created = False
    elif not created:
        before = getattr(instance, _SNAPSHOT, None) or {}
    setattr(instance, _SNAPSHOT, now)
    fields = {f.attname: f for f in _fields(sender)}
    if created:
        changed = {name for name, value in now.items() if value not in (None, "")}
        old: dict[str, Any] = {}
    else:
        changed = {name for name, value in now.items() if name in before and before[name] != value}
        old = {fields[name].name: _encode(fields[name], before[name]) for name in changed}
    if not changed:
        return
    names = {fields[name].name for name in changed}
    new = {fields[name].name: _encode(fields[name], now[name]) for name in changed}
    record(_kind(sender, names), instance=instance, old=old or None, new=new)


def bulk_created(instances: Iterable[models.Model]) -> None:
    """Record the rows a `bulk_create` wrote (it sends no signal), one creation each, as their saves would have
    been recorded; nothing is read."""
    for instance in instances:
        if audited(type(instance)):
            _after_save(type(instance), instance, created=True)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    fields = _fields(sender)
    old = {
        f.name: _encode(f, instance.__dict__.get(f.attname)) for f in fields if f.attname in instance.__dict__
    }
    record(_kind(sender, set(old)), instance=instance, old=old)


def _m2m(
    sender: Any, instance: models.Model, action: str, model: type[models.Model], pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear") or not audited(type(instance)):
        return
    name = next((f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender), "")
    label = model._meta.label_lower
    items = {"t": "list", "v": [{"t": "ref", "m": label, "v": pk} for pk in sorted(pk_set or ())]}
    change = {name: items if action != "post_clear" else None}
    rights = type(instance) is get_user_model() and name in ("groups", "user_permissions")
    record(
        AuditKind.RIGHTS if rights else AuditKind.WRITE,
        instance=instance,
        old=change if action == "post_remove" else None,
        new=change if action == "post_add" else None,
        reason="" if action != "post_clear" else "clear",
    )


def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(AuditKind.SIGN_IN, actor=Actor(user.pk, user.get_username()), ip=_ip(request), instance=user)


def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    actor = Actor(user.pk, user.get_username()) if user is not None else None
    record(AuditKind.SIGN_OUT, actor=actor, ip=_ip(request))


def failure_reason(request: HttpRequest | None, username: str) -> str:
    """Why a sign-in failed, as far as the platform can say without helping a guesser (the record is read by
    the audit administrator only)."""
    if request is not None and getattr(request, "axes_locked_out", False):
        return "账号已锁定"
    user = get_user_model()._default_manager.filter(username=username).first() if username else None
    if user is None:
        return "用户名不存在"
    if not user.is_active:
        return "账号已停用"
    return "密码错误"


def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    username = str(credentials.get("username") or "")
    record(
        AuditKind.SIGN_IN_FAILED,
        actor=Actor(None, username),
        ip=_ip(request),
        reason=failure_reason(request, username),
    )


def _locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    record(
        AuditKind.LOCKOUT,
        actor=Actor(None, username or ""),
        ip=_ip(request) or ip_address,
        object_text=username or "",
    )


def _unlocked(sender: Any, actor: Any, username: str, failures: int, **kwargs: Any) -> None:
    record(
        AuditKind.UNLOCK,
        actor=Actor(actor.pk, actor.get_username()),
        object_model="accounts.user",
        object_text=username,
        old={"failures": {"t": "int", "v": failures}},
    )


def _ip(request: HttpRequest | None) -> str | None:
    return client_ip(request) if request is not None else current().ip


def _receivers() -> list[tuple[Any, Any, Any, str]]:
    """(signal, receiver, sender, dispatch uid) of everything the trail listens to."""
    from axes.signals import user_locked_out

    from keyprojects.accounts.lockout import account_unlocked

    found: list[tuple[Any, Any, Any, str]] = []
    for model in apps.get_models():
        if audited(model):
            uid = f"audit:{model._meta.label_lower}"
            found += [
                (pre_save, _before_save, model, uid + ":pre"),
                (post_save, _after_save, model, uid + ":save"),
                (post_delete, _after_delete, model, uid + ":delete"),
            ]
    return [
        *found,
        (m2m_changed, _m2m, None, "audit:m2m"),
        (user_logged_in, _signed_in, None, "audit:login"),
        (user_logged_out, _signed_out, None, "audit:logout"),
        (user_login_failed, _sign_in_failed, None, "audit:login_failed"),
        (user_locked_out, _locked_out, None, "audit:lockout"),
        (account_unlocked, _unlocked, None, "audit:unlock"),
    ]


def connect() -> None:
    """Listen to every audited model, and to the sign-in signals (called from `AuditConfig.ready`)."""
    for signal, receiver, sender, uid in _receivers():
        signal.connect(receiver, sender=sender, dispatch_uid=uid)
    for model in apps.get_models():
        if audited(model):
            _hook(model)


def disconnect() -> None:
    """Stop listening (`bench/audit.py` measures the platform with and without the trail)."""
    for signal, _receiver, sender, uid in _receivers():
        signal.disconnect(sender=sender, dispatch_uid=uid)
    _unhook()
