from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from keyprojects.core.commands import iso_date
from keyprojects.supervision.reminders import watch_notices


class Command(BaseCommand):
    help = "督办提醒：督办单临近答复期限、逾期未答复时通知督办对象（可每天运行，不会重复发送）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="按此日期运行（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        run = watch_notices(today=options["date"])
        self.stdout.write(
            _("临期 %(due_soon)s 件，逾期 %(overdue)s 件，发送通知 %(sent)s 条")
            % {"due_soon": run.due_soon, "overdue": run.overdue, "sent": run.notified}
        )
