"""What every channel is given to send, and how it says that sending failed."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from keyprojects.accounts.models import User

    from ..models import GroupRobot

MAX_ITEMS = 20  # a message lists at most this many notifications, then says how many more there are


class DeliveryError(Exception):
    """The channel did not take the message; the text is kept as the delivery's last error."""


@dataclass(frozen=True)
class OutboundItem:
    title: str
    body: str
    url: str  # absolute, or empty


@dataclass(frozen=True)
class Outbound:
    """One message to one person: the notifications folded into it, oldest first."""

    recipient: "User"
    items: Sequence[OutboundItem]

    @property
    def subject(self) -> str:
        if len(self.items) == 1:
            return self.items[0].title
        return _("您有%(count)s条新通知") % {"count": len(self.items)}

    @property
    def shown(self) -> Sequence[OutboundItem]:
        return self.items[:MAX_ITEMS]

    @property
    def more(self) -> int:
        return max(len(self.items) - MAX_ITEMS, 0)


class ChannelBackend(Protocol):
    def reaches(self, user: "User", robot: "GroupRobot | None") -> bool:
        """Whether the channel has somewhere to send this person's messages."""
        ...

    def send(self, message: Outbound, robot: "GroupRobot | None") -> None:
        """Send, or raise `DeliveryError` saying why not."""
        ...
