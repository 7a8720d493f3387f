"""Queueing a notification on the channels its recipient chose for its kind, inside the caller's
transaction, after the in-app row: the attempts are queued once that transaction commits, and nothing is
queued when it rolls back.

The digest: a person gets at most one message a minute on a channel. A notification joins the
person's pending delivery on that channel when there is one; otherwise a new delivery is due a minute
after the last one was tried (now, when that was longer ago)."""

import datetime
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from keyprojects.accounts.models import User

from .channels import backend
from .kinds import kind_of
from .models import ROBOT_CHANNELS, ChannelPreference, Delivery, DeliveryItem, GroupRobot, Notification
from .tasks import schedule

DIGEST = datetime.timedelta(minutes=1)


def chosen_channels(user: User, kind: str) -> list[str]:
    """The channels the person chose for `kind`, else the kind's default."""
    chosen = ChannelPreference.objects.filter(user=user, kind=kind).values_list("channels", flat=True).first()
    return list(kind_of(kind).default_channels if chosen is None else chosen)


def _robots(user: User, channels: list[str]) -> dict[str, GroupRobot]:
    if user.organization_id is None or not set(channels) & set(ROBOT_CHANNELS):
        return {}
    rows = GroupRobot.objects.filter(organization_id=user.organization_id, enabled=True)
    return {robot.channel: robot for robot in rows}


def _next_due(user: User, channel: str, now: datetime.datetime) -> datetime.datetime:
    last = (
        Delivery.objects.filter(recipient=user, channel=channel, claimed_at__isnull=False)
        .order_by("-claimed_at")
        .values_list("claimed_at", flat=True)
        .first()
    )
    return now if last is None else max(now, last + DIGEST)


def _pending(user: User, channel: str, now: datetime.datetime) -> tuple[Delivery, bool]:
    """The person's pending delivery on the channel, made when there is none (answers whether it is new)."""
    # Locked until the caller commits: a worker claiming it meanwhile waits, then sends this notification too.
    found = (
        Delivery.objects.select_for_update()
        .filter(recipient=user, channel=channel, status=Delivery.Status.PENDING)
        .first()
    )
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            made = Delivery.objects.create(
                recipient=user, city_id=user.city_id, channel=channel, due_at=_next_due(user, channel, now)
            )
            return made, True
    except IntegrityError:  # made by a concurrent notification to the same person
        return Delivery.objects.get(recipient=user, channel=channel, status=Delivery.Status.PENDING), False


def queue_outbound(notification: Notification) -> list[Delivery]:
    """Fold the notification into a delivery on each channel chosen for it that can reach the person."""
    user = notification.recipient
    channels = chosen_channels(user, notification.kind)
    if not channels:
        return []
    robots = _robots(user, channels)
    now = timezone.now()
    deliveries = []
    for channel in channels:
        if not backend(channel).reaches(user, robots.get(channel)):
            continue
        delivery, new = _pending(user, channel, now)
        DeliveryItem.objects.create(delivery=delivery, notification=notification, city_id=delivery.city_id)
        if new:
            transaction.on_commit(partial(schedule, delivery.pk, delivery.due_at))
        deliveries.append(delivery)
    return deliveries
