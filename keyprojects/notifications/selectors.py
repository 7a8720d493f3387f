"""Reads of notifications: a user only ever sees their own, of the city they work for."""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from django.db.models import QuerySet

from keyprojects.accounts.access import role_access
from keyprojects.accounts.models import User

from .channels import backend
from .kinds import NotificationKind, registered_kinds
from .models import Channel, ChannelPreference, Delivery, GroupRobot, Notification

SECRET_SHOWN = 4  # the last characters of a robot's secret shown back


def notification_list(*, user: User, unread_only: bool = False, kind: str = "") -> QuerySet[Notification]:
    qs = Notification.objects.filter(recipient=user, city_id=user.city_id)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return notification_list(user=user, unread_only=True).count()


@dataclass(frozen=True)
class KindChoice:
    kind: NotificationKind
    channels: frozenset[str]


def preferences(*, user: User) -> list[KindChoice]:
    """Each registered kind with the channels it goes out on for this person."""
    chosen = dict(ChannelPreference.objects.filter(user=user).values_list("kind", "channels"))
    return [
        KindChoice(kind, frozenset(chosen.get(kind.key, kind.default_channels)))
        for kind in registered_kinds()
    ]


def group_robots(*, user: User) -> dict[str, GroupRobot]:
    """The robots of the user's organisation, by channel."""
    if user.organization_id is None:
        return {}
    return {r.channel: r for r in GroupRobot.objects.filter(organization_id=user.organization_id)}


def reachable_channels(*, user: User) -> list[str]:
    """The channels that can reach this person now (an address, an enabled robot of its organisation)."""
    robots = group_robots(user=user)
    return [c for c in Channel.values if backend(c).reaches(user, robots.get(c))]


def masked_secret(secret: str) -> str:
    """A secret as shown back: its last characters, when it is long enough to keep the rest hidden."""
    if not secret:
        return ""
    return "•" * 6 + secret[-SECRET_SHOWN:] if len(secret) > SECRET_SHOWN * 2 else "•" * 6


def masked_url(url: str) -> str:
    """A robot's address as shown back: its query values (the robot's key or access token) masked."""
    parts = urlsplit(url)
    query = [(name, masked_secret(value)) for name, value in parse_qsl(parts.query, keep_blank_values=True)]
    return urlunsplit(parts._replace(query="&".join(f"{name}={value}" for name, value in query)))


def organization_deliveries(*, user: User, limit: int = 50) -> QuerySet[Delivery]:
    """The latest messages to the people of the user's organisation, with their attempts and last error,
    for whoever sets its channels up; the city office sees those of its whole city."""
    if user.organization_id is None:
        return Delivery.objects.none()
    qs = Delivery.objects.filter(city_id=user.city_id)
    if role_access(user).acts_on != "city":
        qs = qs.filter(recipient__organization_id=user.organization_id)
    return qs.select_related("recipient").order_by("-created_at", "-id")[:limit]
