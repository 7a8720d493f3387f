from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Region
from keyprojects.core.maintained import maintained_tables, rebuild_all


class Command(BaseCommand):
    help = "由原始记录重建各汇总表（生效投资数、项目合计等），可只重建部分城市或部分表"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--city",
            action="append",
            default=[],
            metavar="CODE",
            help="只重建该市（行政区划代码），可重复；默认全部",
        )
        parser.add_argument(
            "--table",
            action="append",
            default=[],
            choices=[table.name for table in maintained_tables()],
            help="只重建该表，可重复；默认全部",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        codes: list[str] = options["city"]
        city_ids = None
        if codes:
            found = dict(
                Region.objects.filter(kind=Region.Kind.CITY, code__in=codes).values_list("code", "pk")
            )
            unknown = [code for code in codes if code not in found]
            if unknown:
                raise CommandError(_("没有行政区划代码为 %(codes)s 的市") % {"codes": "、".join(unknown)})
            city_ids = list(found.values())
        written = rebuild_all(city_ids=city_ids, names=options["table"] or None)
        for name, count in written.items():
            self.stdout.write(_("%(table)s：已重建%(count)s条") % {"table": name, "count": count})
