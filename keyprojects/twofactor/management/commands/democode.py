import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django_otp.oath import TOTP

from keyprojects.accounts.models import User
from keyprojects.twofactor.demo import demo_device


class Command(BaseCommand):
    help = "打印演示管理员账号（如 admin）当前的两步验证码；仅在载入演示数据后、非生产配置下可用"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("username", help="演示账号的用户名，如 admin")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        if settings.KEYPROJECTS_PRODUCTION:
            raise CommandError(_("当前为生产配置，不提供演示验证码"))
        user = User.objects.filter(username=username).first()
        device = demo_device(user) if user is not None else None
        if device is None:
            raise CommandError(
                _(
                    "账号 %(username)s 没有演示验证器：演示验证码只在载入演示数据（keyprojects loaddemo）后提供给管理员账号"
                )
                % {"username": username}
            )
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        self.stdout.write(f"{totp.token():0{device.digits}d}")
