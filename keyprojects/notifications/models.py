"""In-app notifications, what each person chose to receive outside the platform, the group robots
each organisation set up, and every message sent out on a channel (a delivery, with its attempts).

Every row carries the city of the person it is for (none for the province office's people); the keys
that must be unique per person count the province's rows as one more tenant (`_per_tenant`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Organization
from keyprojects.accounts.tenancy import CityOwned, city_field


def _per_tenant(*fields: str, name: str, condition: Q | None = None) -> models.UniqueConstraint:
    """Unique within a city, the province's rows (no city) included: NULL would never collide."""
    return models.UniqueConstraint(Coalesce("city", Value(0)), *fields, name=name, condition=condition)


class Notification(CityOwned):
    """An in-app message to one user, with an optional link to what it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=32)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=255, blank=True)
    dedup_key = models.CharField(max_length=128, blank=True, help_text=_("同一键只通知一次"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    city = city_field(null=True)

    city_from = "recipient.organization"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _per_tenant("recipient", "dedup_key", name="notify_once", condition=~Q(dedup_key="")),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "kind", "-created_at"]),
        ]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")


class Channel(models.TextChoices):
    """The channels a notification can also go out on, besides the platform itself."""

    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


ROBOT_CHANNELS = (Channel.WECOM, Channel.DINGTALK)


class ChannelPreference(CityOwned):
    """The channels one person chose for one kind of notification (no row: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("类型"), max_length=32)
    channels = models.JSONField(_("发送渠道"), default=list)
    city = city_field(null=True)

    city_from = "user.organization"

    class Meta:
        constraints = [_per_tenant("user", "kind", name="one_preference_per_kind")]
        verbose_name = _("通知发送设置")
        verbose_name_plural = _("通知发送设置")


class GroupRobot(CityOwned):
    """An organisation's group robot on WeCom or DingTalk: the webhook address, and DingTalk's signing
    secret (shown back only by its last characters)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="group_robots")
    channel = models.CharField(_("渠道"), max_length=16, choices=[(c.value, c.label) for c in ROBOT_CHANNELS])
    webhook_url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=128, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    city = city_field(null=True)

    city_from = "organization"

    class Meta:
        constraints = [_per_tenant("organization", "channel", name="one_robot_per_channel")]
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(CityOwned):
    """One message to one person on one channel, holding every notification folded into it (the
    digest: at most one message per person and channel a minute), with its attempts."""

    Status = DeliveryStatus

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField(_("计划发送时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    notifications = models.ManyToManyField(Notification, through="DeliveryItem", related_name="deliveries")
    city = city_field(null=True)

    city_from = "recipient.organization"

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _per_tenant(
                "recipient",
                "channel",
                name="one_pending_delivery",
                condition=Q(status=DeliveryStatus.PENDING),
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "channel", "status"]),
            models.Index(fields=["status", "due_at"]),
        ]
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")


class DeliveryItem(CityOwned):
    """A notification folded into a delivery."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="items")
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="+")
    city = city_field(null=True)

    city_from = "delivery"

    class Meta:
        constraints = [_per_tenant("delivery", "notification", name="notification_once_per_delivery")]
