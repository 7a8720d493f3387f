from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from keyprojects.core.commands import iso_date
from keyprojects.progress.reminders import Phase, send_reminders


class Command(BaseCommand):
    help = "发送月报提醒：调度期截止前N天、截止后各提醒一次未报项目的项目单位和县级专员（可每天运行，不会重复发送）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"]
        runs = send_reminders(today=today)
        if not runs:
            self.stdout.write(_("没有需要提醒的调度期"))
        for run in runs:
            phase = _("截止前提醒") if run.phase == Phase.BEFORE_CLOSE else _("截止后提醒")
            self.stdout.write(
                _("%(title)s %(phase)s：未报项目 %(missing)s 个，发送通知 %(sent)s 条")
                % {
                    "title": run.dispatch_round.title,
                    "phase": phase,
                    "missing": run.missing,
                    "sent": run.notified,
                }
            )
