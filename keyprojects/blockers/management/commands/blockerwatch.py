from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from keyprojects.blockers.reminders import watch_blockers
from keyprojects.core.commands import iso_date


class Command(BaseCommand):
    help = "问题办理提醒：临期、逾期通知责任部门和受理单位，逾期超过设定工作日的问题自动提级（可每天运行，不会重复发送）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        run = watch_blockers(today=options["date"])
        self.stdout.write(
            _(
                "临期 %(due_soon)s 个，逾期 %(overdue)s 个，自动提级 %(escalated)s 个，"
                "逾期议定事项 %(decisions)s 项，发送通知 %(sent)s 条"
            )
            % {
                "due_soon": run.due_soon,
                "overdue": run.overdue,
                "escalated": run.escalated,
                "decisions": run.decisions_overdue,
                "sent": run.notified,
            }
        )
