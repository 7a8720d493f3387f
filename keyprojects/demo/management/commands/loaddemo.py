from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.demo import steps


class Command(BaseCommand):
    help = "生成聊城演示数据:区划、机构、各角色账号和当年约400个项目及各模块的演示内容;重复运行不会重复创建"

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = steps.DemoContext(today=timezone.localdate(), password=settings.KEYPROJECTS_DEMO_PASSWORD)
        with transaction.atomic():
            for path in steps.DEMO_STEPS:
                step = steps.resolve_step(path)
                if step is None:
                    self.stdout.write(_("跳过 %(step)s(尚未实现)") % {"step": path})
                    continue
                step(ctx)
        for label, value in ctx.summary:
            self.stdout.write(f"{label}: {value}")
        self.stdout.write(
            self.style.SUCCESS(
                _("演示数据已就绪。演示账号(密码均为 %(password)s):") % {"password": ctx.password}
            )
        )
        for user in sorted(ctx.users.values(), key=lambda u: u.pk):
            self.stdout.write(f"  {user.username:<16} {user.get_role_display()}  {user.organization}")
