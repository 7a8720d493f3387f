"""E-mail through Django's mail (the `EMAIL_*` settings), to the person's address."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _

from .base import DeliveryError, Outbound

if TYPE_CHECKING:
    from keyprojects.accounts.models import User

    from ..models import GroupRobot


def email_text(message: Outbound) -> str:
    blocks = []
    for item in message.shown:
        lines = [item.title, item.body, item.url]
        blocks.append("\n".join(line for line in lines if line))
    if message.more:
        blocks.append(_("另有%(count)s条通知，请登录平台查看") % {"count": message.more})
    return "\n\n".join(blocks)


class EmailBackend:
    def reaches(self, user: "User", robot: "GroupRobot | None") -> bool:
        return bool(user.email)

    def send(self, message: Outbound, robot: "GroupRobot | None") -> None:
        subject = _("[重点项目平台] %(subject)s") % {"subject": message.subject}
        try:
            send_mail(
                subject,
                email_text(message),
                settings.DEFAULT_FROM_EMAIL,
                [message.recipient.email],
                fail_silently=False,
            )
        except Exception as error:  # the mail server's refusal, whatever its type
            raise DeliveryError(f"{type(error).__name__}: {error}") from error
