from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from keyprojects.alerts.services import warnings_refresh
from keyprojects.core.commands import iso_date


class Command(BaseCommand):
    help = "重新计算全部项目的红黄绿灯预警（供每日定时任务运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=iso_date, help="按该日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"]
        result = warnings_refresh(today=today)
        self.stdout.write(
            _("预警已更新：新增%(created)s条，变化%(updated)s条，解除%(cleared)s条，当前有效%(active)s条")
            % {
                "created": result.created,
                "updated": result.updated,
                "cleared": result.cleared,
                "active": result.active,
            }
        )
