import secrets
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.core.events import hold_back
from keyprojects.core.text import labelled
from keyprojects.demo import steps
from keyprojects.demo.city import DEMO_CITIES


class Command(BaseCommand):
    help = (
        "生成山东省演示数据：聊城（区划、机构、各角色账号和当年约400个项目及各模块的演示内容）与德州（3个县、约40个项目）；"
        "重复运行不会重复创建"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="在生产配置下也运行（账号密码取自 KEYPROJECTS_DEMO_PASSWORD 或随机生成）",
        )

    def _password(self, *, force: bool) -> str:
        """The demo accounts' password; under production settings never the published one."""
        password: str = settings.KEYPROJECTS_DEMO_PASSWORD
        if not settings.KEYPROJECTS_PRODUCTION:
            return password
        if not force:
            raise CommandError(_("当前为生产配置，loaddemo 会写入演示数据和账号；确需运行请加 --force"))
        if not password or password == settings.PUBLISHED_DEMO_PASSWORD:
            password = secrets.token_urlsafe(12)
            self.stdout.write(
                self.style.WARNING(
                    _("未设置 KEYPROJECTS_DEMO_PASSWORD，已为演示账号随机生成密码：%(password)s")
                )
                % {"password": password}
            )
        return password

    def handle(self, *args: Any, **options: Any) -> None:
        today, password = timezone.localdate(), self._password(force=options["force"])
        contexts = [steps.DemoContext(today=today, password=password, place=place) for place in DEMO_CITIES]
        # one delivery of the demo's events once it is saved (one refresh of the warnings, say),
        # not one per project, node and report
        with hold_back(), transaction.atomic():
            for ctx in contexts:
                for path in steps.DEMO_STEPS:
                    step = steps.resolve_step(path)
                    if step is None:
                        self.stdout.write(_("跳过 %(step)s（尚未实现）") % {"step": path})
                        continue
                    step(ctx)
        users = {}
        for ctx in contexts:
            self.stdout.write(self.style.MIGRATE_HEADING(ctx.place.name))
            for label, value in ctx.summary:
                self.stdout.write(labelled(label, value))
            users.update(ctx.users)
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据已就绪。演示账号（密码均为 %(password)s）：") % {"password": password}
            )
        )
        for user in sorted(users.values(), key=lambda u: u.pk):
            self.stdout.write(f"  {user.username:<16} {user.get_role_display()}  {user.organization}")
