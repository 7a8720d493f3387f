from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from keyprojects.core.commands import iso_date
from keyprojects.schedule.reminders import send_node_reminders


class Command(BaseCommand):
    help = "发送节点提醒：分派给部门的节点临期、逾期时各提醒部门专员一次（可每天运行，不会重复发送）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        run = send_node_reminders(today=options["date"])
        self.stdout.write(
            _("临期节点 %(due_soon)s 个，逾期节点 %(overdue)s 个，发送通知 %(sent)s 条")
            % {"due_soon": run.due_soon, "overdue": run.overdue, "sent": run.notified}
        )
