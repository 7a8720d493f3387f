"""The webhook messages of WeCom (企业微信) and DingTalk (钉钉) group robots, as markdown, posted to the
organisation's robot. A DingTalk robot with a signing secret gets a signed address: `timestamp` (ms)
and `sign`, the URL-encoded base64 of HmacSHA256("timestamp\\nsecret") keyed by the secret."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .base import DeliveryError, Outbound

if TYPE_CHECKING:
    from keyprojects.accounts.models import User

    from ..models import GroupRobot

TIMEOUT = 10  # seconds
ANSWER_LIMIT = 200  # characters of an unexpected answer kept in the error


def markdown(message: Outbound, *, title: bool) -> str:
    """The items as markdown; `title`: start with the subject as a heading (DingTalk shows no title)."""
    lines = [f"### {message.subject}"] if title and len(message.items) > 1 else []
    open_label = _("查看")
    for item in message.shown:
        lines.append(f"**{item.title}**")
        if item.body:
            lines.append(item.body)
        if item.url:
            lines.append(f"[{open_label}]({item.url})")
        lines.append("")
    if message.more:
        lines.append(_("另有%(count)s条通知，请登录平台查看") % {"count": message.more})
    return "\n".join(lines).strip()


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's `sign` parameter, URL-encoded."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def post_json(url: str, payload: dict[str, Any]) -> None:
    """POST the payload; both robots answer HTTP 200 with `{"errcode": 0}` when they took it."""
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310  # the office's own http(s) robot address (a URLField)
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (the office's own robot address, above)  # nosec B310
            answer = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        raise DeliveryError(f"HTTP {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise DeliveryError(str(getattr(error, "reason", error))) from error
    try:
        errcode = json.loads(answer).get("errcode")
    except (ValueError, AttributeError):
        raise DeliveryError(answer[:ANSWER_LIMIT] or "empty answer") from None
    if errcode != 0:
        raise DeliveryError(answer[:ANSWER_LIMIT])


def _mobiles(user: "User") -> list[str]:
    return [user.phone] if user.phone else []


class _Robot:
    def reaches(self, user: "User", robot: "GroupRobot | None") -> bool:
        return robot is not None and robot.enabled


class WeComBackend(_Robot):
    def send(self, message: Outbound, robot: "GroupRobot | None") -> None:
        assert robot is not None
        post_json(
            robot.webhook_url, {"msgtype": "markdown", "markdown": {"content": markdown(message, title=True)}}
        )


class DingTalkBackend(_Robot):
    def send(self, message: Outbound, robot: "GroupRobot | None") -> None:
        assert robot is not None
        mobiles = _mobiles(message.recipient)
        text = markdown(message, title=True)
        if mobiles:  # DingTalk notifies those @-ed in the text and listed in atMobiles
            text = f"{text}\n\n" + " ".join(f"@{m}" for m in mobiles)
        url = robot.webhook_url
        if robot.secret:
            url = signed_url(url, robot.secret, int(time.time() * 1000))
        post_json(
            url,
            {
                "msgtype": "markdown",
                "markdown": {"title": message.subject, "text": text},
                "at": {"atMobiles": mobiles, "isAtAll": False},
            },
        )
