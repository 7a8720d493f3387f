"""Sending one delivery: claim it, send its notifications as one message on its channel, and record the
attempt. A failed attempt is tried again later, waiting twice as long each time (`backoff`), until
`MAX_ATTEMPTS`; then the delivery is failed, its last error kept for the office to read. The in-app
notifications are never touched: they were written before anything was sent."""

import datetime
from urllib.parse import urljoin

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import DeliveryError, Outbound, OutboundItem, backend
from .models import ROBOT_CHANNELS, Delivery, DeliveryItem, GroupRobot, Notification

MAX_ATTEMPTS = 5
FIRST_RETRY = datetime.timedelta(seconds=30)
STALE_CLAIM = datetime.timedelta(minutes=5)  # a delivery claimed this long ago died with its worker
ERROR_LENGTH = 500


def backoff(attempts: int) -> datetime.timedelta:
    """How long to wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, 4 min…"""
    return FIRST_RETRY * 2 ** max(attempts - 1, 0)


def absolute(url: str) -> str:
    return urljoin(settings.KEYPROJECTS_SITE_URL.rstrip("/") + "/", url) if url else ""


def _message(delivery: Delivery) -> Outbound:
    notifications = Notification.objects.filter(
        pk__in=DeliveryItem.objects.filter(delivery=delivery).values("notification_id")
    ).order_by("created_at", "id")
    return Outbound(
        delivery.recipient, [OutboundItem(n.title, n.body, absolute(n.url)) for n in notifications]
    )


def _robot(delivery: Delivery) -> GroupRobot | None:
    organization_id = delivery.recipient.organization_id
    if delivery.channel not in ROBOT_CHANNELS or organization_id is None:
        return None
    return GroupRobot.objects.filter(organization_id=organization_id, channel=delivery.channel).first()


def _claim(delivery_id: int, now: datetime.datetime) -> Delivery | None:
    claimed = Delivery.objects.filter(pk=delivery_id, status=Delivery.Status.PENDING, due_at__lte=now).update(
        status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("recipient__organization").get(pk=delivery_id)


@transaction.atomic
def _retry_later(delivery: Delivery, due_at: datetime.datetime, error: str) -> Delivery:
    """Back to pending, due at `due_at`; when a newer delivery to the same person and channel is already
    pending, this one's notifications join it (one pending message each), and this one stays failed."""
    newer = (
        Delivery.objects.select_for_update()
        .filter(recipient_id=delivery.recipient_id, channel=delivery.channel, status=Delivery.Status.PENDING)
        .exclude(pk=delivery.pk)
        .first()
    )
    if newer is None:
        delivery.status, delivery.due_at, delivery.last_error = Delivery.Status.PENDING, due_at, error
        delivery.save(update_fields=["status", "due_at", "last_error"])
        return delivery
    have = DeliveryItem.objects.filter(delivery=newer).values("notification_id")
    DeliveryItem.objects.filter(delivery=delivery).exclude(notification_id__in=have).update(delivery=newer)
    newer.due_at = max(newer.due_at, due_at)
    newer.save(update_fields=["due_at"])
    delivery.status, delivery.last_error = Delivery.Status.FAILED, error
    delivery.save(update_fields=["status", "last_error"])
    return newer


def attempt(delivery_id: int) -> Delivery | None:
    """Try a due delivery once (nothing when it is not pending and due). Answers the delivery to try
    again later, with its `due_at`, or None when there is nothing more to do."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    robot = _robot(delivery)
    channel = backend(delivery.channel)
    try:
        if not channel.reaches(delivery.recipient, robot):
            raise DeliveryError(_("没有可发送的地址（邮箱或群机器人未设置或已停用）"))
        channel.send(_message(delivery), robot)
    except DeliveryError as error:
        text = str(error)[:ERROR_LENGTH]
        if delivery.attempts >= MAX_ATTEMPTS:
            Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED, last_error=text)
            return None
        return _retry_later(delivery, now + backoff(delivery.attempts), text)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return None


def due_deliveries(now: datetime.datetime) -> list[int]:
    """The deliveries to try now: pending and due, and those whose worker died while sending (put back
    to pending first)."""
    for stale in Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM):
        _retry_later(stale, now, stale.last_error or _("发送中断"))
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, due_at__lte=now)
        .order_by("due_at", "id")
        .values_list("pk", flat=True)
    )
