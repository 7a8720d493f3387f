"""Writes of the second factor: enrolment, the recovery codes, a code verified, a lost device reset by the
security administrator, and the city's setting. Every one is a row written or deleted (the audit trail
hears them)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.accounts.access import may
from keyprojects.accounts.city_settings import settings_update
from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError, Message

from .models import TwoFactorSettings

RECOVERY_CODES = 10
AUTHENTICATOR = "验证器"
RECOVERY = "恢复码"


def _refused(message: Message) -> ApplicationError:
    return ApplicationError(message, errors={"code": [message]})


@transaction.atomic
def enrolment_start(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled: a new secret, kept until confirmed with a code."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ApplicationError(_("已启用两步验证；如验证器丢失，请联系安全管理员重置"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)


@transaction.atomic
def enrolment_confirm(*, user: User, code: str) -> list[str]:
    """The first code from the authenticator confirms it; answers the recovery codes, shown once."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise _refused(_("请重新打开启用页面，扫描新的二维码"))
    if not _code(code).isdigit() or not device.verify_token(_code(code)):
        raise _refused(_("验证码不正确，请输入验证器上当前显示的6位数字"))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return _recovery_codes_issue(user)


def recovery_codes_regenerate(*, user: User, code: str) -> list[str]:
    """New recovery codes in place of the old ones, for a current code of the authenticator."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise _refused(_("尚未启用两步验证"))
        verified = _code(code).isdigit() and device.verify_token(_code(code))
    if not verified:
        raise _refused(_("验证码不正确，请输入验证器上当前显示的6位数字"))
    with transaction.atomic():
        return _recovery_codes_issue(user)


def _recovery_codes_issue(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY, defaults={"confirmed": True}
    )
    for token in device.token_set.all():
        token.delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return codes


def _code(code: str) -> str:
    return "".join(code.split()).lower()


def second_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts `code`: six digits are the authenticator's code, anything else a recovery
    code (which then works no more). Failures slow further tries down (django-otp's throttling)."""
    code = _code(code)
    if not code:
        raise _refused(_("请输入验证码"))
    model: type[Device] = TOTPDevice if code.isdigit() else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            allowed, _details = device.verify_is_allowed()
            throttled = throttled or not allowed
            if allowed and device.verify_token(code):
                return device
    if throttled:
        raise _refused(_("验证码错误次数过多，请稍候再试"))
    raise _refused(_("验证码不正确或已使用"))


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def second_factor_reset(*, actor: User, username: str) -> User:
    """The security administrator removes a person's second factor (a lost device): they enrol anew at
    their next sign-in if they must have one. Never one's own; any account of the installation
    (`accounts.access`: the three administrators are the installation's)."""
    if not may(actor, "security.manage"):
        raise PermissionDenied(_("只有安全管理员可以重置两步验证"))
    user = User.objects.select_related("organization").filter(username=username.strip()).first()
    if user is None:
        raise ApplicationError(_("账号不存在"), errors={"username": [_("账号不存在")]})
    if user.pk == actor.pk:
        raise ApplicationError(
            _("不能重置自己的两步验证"),
            errors={"username": [_("不能重置自己的两步验证，请联系另一位安全管理员")]},
        )
    devices = [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]
    if not devices:
        raise ApplicationError(
            _("该账号没有启用两步验证"), errors={"username": [_("该账号没有启用两步验证")]}
        )
    for device in devices:
        device.delete()
    return user


@transaction.atomic
def two_factor_settings_update(
    *, user: User, city_office_required: bool, version: int | None
) -> TwoFactorSettings:
    return settings_update(
        model=TwoFactorSettings,
        user=user,
        version=version,
        values={"city_office_required": city_office_required},
        missing_version=_("修改两步验证设置须提供所依据的版本"),
        stale=lambda row: _("两步验证设置已被他人修改，请核对后重新保存"),
    )
