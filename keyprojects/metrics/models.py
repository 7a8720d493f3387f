from django.db import models
from django.utils.translation import gettext_lazy as _


class StartBasis(models.TextChoices):
    LIST = "list", _("年度清单实施类项目")
    PLANNED = "planned", _("截至统计日计划开工的项目")


class TimeBasis(models.TextChoices):
    DAY = "day", _("按天")
    MONTH = "month", _("按月")


class MetricsSettings(models.Model):
    """How the city office counts the rates (one row): the 开工率 denominator and the 序时进度 basis."""

    start_basis = models.CharField(
        _("开工率分母"), max_length=16, choices=StartBasis.choices, default=StartBasis.LIST
    )
    time_basis = models.CharField(
        _("序时进度口径"), max_length=16, choices=TimeBasis.choices, default=TimeBasis.DAY
    )

    class Meta:
        verbose_name = _("三率设置")

    @classmethod
    def current(cls) -> "MetricsSettings":
        obj, _created = cls.objects.get_or_create(pk=1)
        return obj
