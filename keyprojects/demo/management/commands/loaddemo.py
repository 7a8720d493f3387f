from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from keyprojects.accounts.models import User
from keyprojects.demo import steps


class Command(BaseCommand):
    help = "Build the demo city of Liaocheng (聊城) for the current year; running it again changes nothing."

    def handle(self, *args: Any, **options: Any) -> None:
        ctx = steps.DemoContext(today=timezone.localdate(), password=settings.KEYPROJECTS_DEMO_PASSWORD)
        with transaction.atomic():
            for path in steps.DEMO_STEPS:
                step = steps.resolve_step(path)
                if step is None:
                    self.stdout.write(f"跳过 {path}(尚未实现)")
                    continue
                step(ctx)
        for label, value in ctx.summary:
            self.stdout.write(f"{label}: {value}")
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪。演示账号(密码均为 {ctx.password}):"))
        for user in sorted(ctx.users.values(), key=lambda u: u.pk):
            self.stdout.write(f"  {user.username:<16} {self._role(user)}  {user.organization}")

    @staticmethod
    def _role(user: User) -> str:
        return str(user.get_role_display())
