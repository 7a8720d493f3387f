"""Writes of notifications: every app that tells a user something calls `notify`; each person's choice
of channels; each organisation's group robots."""

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError

from .kinds import registered_kinds
from .models import ROBOT_CHANNELS, Channel, ChannelPreference, GroupRobot, Notification
from .outbound import queue_outbound
from .selectors import notification_list


@transaction.atomic
def notify(
    *, recipient: User, kind: str, title: str, body: str = "", url: str = "", dedup_key: str = ""
) -> Notification | None:
    """Send a notification: the in-app row now, in the caller's transaction; the messages on the
    channels the recipient chose for `kind` once it commits. With a `dedup_key`, the same key to the
    same user is sent only once (answers None when it was already sent)."""
    if dedup_key and Notification.objects.filter(recipient=recipient, dedup_key=dedup_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                city_id=recipient.city_id,
                kind=kind,
                title=title,
                body=body,
                url=url,
                dedup_key=dedup_key,
            )
    except IntegrityError:
        # Another run sent the same key between the check and the insert.
        if dedup_key:
            return None
        raise
    queue_outbound(notification)
    return notification


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; someone else's answers 404 like a missing one."""
    notification = notification_list(user=user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404(_("通知不存在"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User, kind: str = "") -> int:
    """Mark every unread notification of the user (of `kind`, when given) read; answers how many were."""
    return notification_list(user=user, unread_only=True, kind=kind).update(read_at=timezone.now())


def _invalid(field: str, message: str) -> ApplicationError:
    return ApplicationError(_("请修正标出的错误"), errors={field: [message]})


@transaction.atomic
def preferences_update(*, user: User, choices: Mapping[str, Iterable[str]]) -> None:
    """Set the channels each named kind goes out on for this person (kinds not named keep theirs)."""
    kinds = {k.key for k in registered_kinds()}
    for kind, channels in choices.items():
        if kind not in kinds:
            raise _invalid(kind, _("没有这种通知类型"))
        chosen = list(dict.fromkeys(channels))
        unknown = [c for c in chosen if c not in Channel.values]
        if unknown:
            raise _invalid(kind, _("没有这个发送渠道：%(channel)s") % {"channel": "、".join(unknown)})
        ChannelPreference.objects.update_or_create(
            user=user,
            kind=kind,
            defaults={"channels": [c for c in Channel.values if c in chosen], "city_id": user.city_id},
        )


def can_edit_robots(user: User) -> bool:
    return user.organization_id is not None and may(user, "robots.edit")


def _robot_channel(user: User, channel: str) -> int:
    """The user's organisation, when the user may set up its robots on `channel`."""
    organization_id = user.organization_id
    if organization_id is None or not can_edit_robots(user):
        raise PermissionDenied(_("您无权设置本单位的群机器人"))
    if channel not in ROBOT_CHANNELS:
        raise _invalid("channel", _("没有这个群机器人渠道"))
    return organization_id


@transaction.atomic
def group_robot_update(
    *, user: User, channel: str, webhook_url: str | None, secret: str | None = None, enabled: bool = True
) -> GroupRobot:
    """Set the group robot of the user's organisation on `channel`. The address and the secret are never
    shown back in full, so None (a form left blank) keeps the stored one."""
    organization_id = _robot_channel(user, channel)
    robot = (
        GroupRobot.objects.select_for_update()
        .filter(organization_id=organization_id, channel=channel)
        .first()
    )
    webhook_url = (webhook_url or "").strip() or None
    if webhook_url is None and robot is None:
        raise _invalid("webhook_url", _("请填写 Webhook 地址"))
    if webhook_url is not None:
        parts = urlsplit(webhook_url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise _invalid("webhook_url", _("请填写以 http:// 或 https:// 开头的 Webhook 地址"))
    if robot is None:
        robot = GroupRobot(organization_id=organization_id, channel=channel, city_id=user.city_id)
    if webhook_url is not None:
        robot.webhook_url = webhook_url
    if secret is not None:
        robot.secret = secret.strip()
    robot.enabled = enabled
    robot.updated_by = user
    robot.save()
    return robot


@transaction.atomic
def group_robot_remove(*, user: User, channel: str) -> None:
    organization_id = _robot_channel(user, channel)
    GroupRobot.objects.filter(organization_id=organization_id, channel=channel).delete()
