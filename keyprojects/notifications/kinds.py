"""The kinds of notification, registered by the app that sends them (from its `AppConfig.ready()` or at
module level), with their label and the channels they go out on by default:

    register_kind(NotificationKind("report_returned", _("月报被退回"), default_channels=(Channel.EMAIL,)))

The notification page filters by them and each person's preferences list them. A kind sent without
being registered still notifies in the platform, labelled by its key, and goes out nowhere else."""

from dataclasses import dataclass

from django.utils.functional import Promise

from .models import Channel


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str | Promise
    default_channels: tuple[str, ...] = ()
    order: int = 100


_kinds: dict[str, NotificationKind] = {}


def register_kind(kind: NotificationKind) -> None:
    unknown = set(kind.default_channels) - set(Channel.values)
    if unknown:
        raise ValueError(f"{kind.key}: unknown channels {sorted(unknown)}")
    _kinds[kind.key] = kind


def registered_kinds() -> list[NotificationKind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.key))


def kind_of(key: str) -> NotificationKind:
    return _kinds.get(key) or NotificationKind(key, key)


def kind_label(key: str) -> str:
    return str(kind_of(key).label)
