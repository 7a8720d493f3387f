from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.city_settings import CitySettings


class TwoFactorSettings(CitySettings):
    """Whether the city office's accounts must sign in with a second factor (the three administrators
    always must: `KEYPROJECTS_TWO_FACTOR_ROLES`)."""

    city_office_required = models.BooleanField(
        _("市重点项目办账号须两步验证"),
        default=False,
        help_text=_(
            "开启后，本市市重点项目办的每个账号登录时须输入验证器上的验证码；尚未启用的，登录后须先启用。"
        ),
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city"], name="twofactor_settings_per_city")]
        verbose_name = _("两步验证设置")
        verbose_name_plural = _("两步验证设置")
