from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from keyprojects.notifications.tasks import send_due_deliveries


class Command(BaseCommand):
    help = "发送到期的通知消息（邮件、群机器人）：合并一分钟内的通知，失败的按间隔重试（每分钟运行）"

    def handle(self, *args: Any, **options: Any) -> None:
        tried = send_due_deliveries.call()
        self.stdout.write(_("尝试发送 %(count)s 条消息") % {"count": tried})
