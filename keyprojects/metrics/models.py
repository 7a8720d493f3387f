from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.city_settings import CitySettings
from keyprojects.accounts.tenancy import CityOwned
from keyprojects.projects.models import Project, money_field


class StartBasis(models.TextChoices):
    LIST = "list", _("年度清单实施类项目")
    PLANNED = "planned", _("截至统计日计划开工的项目")


class TimeBasis(models.TextChoices):
    DAY = "day", _("按天")
    MONTH = "month", _("按月")
    PLAN = "plan", _("按月度计划")


class MetricsSettings(CitySettings):
    """How a city counts the rates: the 开工率 denominator and the 序时进度 basis."""

    start_basis = models.CharField(
        _("开工率分母"), max_length=16, choices=StartBasis.choices, default=StartBasis.LIST
    )
    time_basis = models.CharField(
        _("序时进度口径"), max_length=16, choices=TimeBasis.choices, default=TimeBasis.MONTH
    )

    class Meta:
        verbose_name = _("三率设置")
        constraints = [models.UniqueConstraint(fields=["city"], name="metrics_settings_per_city")]


class MonthlyPlan(CityOwned):
    """The investment a project plans to complete in one month of a year (万元): the monthly plan
    that 序时进度 follows under the `plan` basis."""

    city_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="monthly_plans")
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    amount = money_field(_("月度计划投资（万元）"))

    class Meta:
        verbose_name = _("月度计划投资")
        ordering = ["project", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "project", "year", "month"], name="one_monthly_plan_per_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="monthly_plan_month_in_year"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="monthly_plan_not_negative"),
        ]
