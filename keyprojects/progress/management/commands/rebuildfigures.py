from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Region
from keyprojects.progress.in_force import rebuild


class Command(BaseCommand):
    help = "由已通过审核的月度报告重建各月生效的投资数(FigureInForce)"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--city",
            action="append",
            default=[],
            metavar="CODE",
            help="只重建该市(行政区划代码),可重复;默认全部",
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
        written = rebuild(city_ids=city_ids)
        self.stdout.write(_("已重建生效投资数%(count)s条") % {"count": written})
