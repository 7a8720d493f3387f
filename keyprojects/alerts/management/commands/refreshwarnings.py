import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keyprojects.alerts.services import warnings_refresh
from keyprojects.metrics.services import planner_statistics_refresh


class Command(BaseCommand):
    help = "重新计算全部项目的红黄绿灯预警,并更新数据库查询统计信息(供每日定时任务运行)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="按该日期计算(YYYY-MM-DD),默认今天")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError(
                    _("日期格式应为 YYYY-MM-DD:%(value)s") % {"value": options["date"]}
                ) from None
        planner_statistics_refresh()
        result = warnings_refresh(today=today)
        self.stdout.write(
            _("预警已更新:新增%(created)s条,变化%(updated)s条,解除%(cleared)s条,当前有效%(active)s条")
            % {
                "created": result.created,
                "updated": result.updated,
                "cleared": result.cleared,
                "active": result.active,
            }
        )
