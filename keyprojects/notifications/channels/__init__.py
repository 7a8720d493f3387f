"""The outbound channels behind one interface (`base.ChannelBackend`): e-mail, and the group robots of
WeCom and DingTalk. `backend(channel)` answers the one that sends on a channel."""

from ..models import Channel
from .base import ChannelBackend, DeliveryError, Outbound, OutboundItem
from .email import EmailBackend
from .robots import DingTalkBackend, WeComBackend

_BACKENDS: dict[str, ChannelBackend] = {
    Channel.EMAIL: EmailBackend(),
    Channel.WECOM: WeComBackend(),
    Channel.DINGTALK: DingTalkBackend(),
}


def backend(channel: str) -> ChannelBackend:
    return _BACKENDS[channel]


__all__ = ["ChannelBackend", "DeliveryError", "Outbound", "OutboundItem", "backend"]
