from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.city_settings import CitySettings
from keyprojects.accounts.tenancy import CityOwned
from keyprojects.core.history import decode
from keyprojects.projects.models import Project


class Color(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


class Rule(models.TextChoices):
    START_DELAY = "start_delay", _("计划开工未开工")
    INVESTMENT_LAG = "investment_lag", _("投资完成滞后序时进度")
    STATISTICS_MISSING = "statistics_missing", _("开工未入库纳统")
    NODE_OVERDUE = "node_overdue", _("节点逾期")
    REPORT_MISSING = "report_missing", _("月报未报")
    FACTOR_UNMET = "factor_unmet", _("要素需求逾期未保障")


class WarningRules(CitySettings):
    """A city's warning thresholds (province defaults: see `CitySettings`); the built-in defaults
    are one city's published rules."""

    start_red_months = models.PositiveSmallIntegerField(_("未按期开工转红灯（月）"), default=3)
    investment_yellow_points = models.DecimalField(
        _("投资滞后黄灯（百分点）"), max_digits=5, decimal_places=1, default=10
    )
    investment_red_points = models.DecimalField(
        _("投资滞后红灯（百分点）"), max_digits=5, decimal_places=1, default=30
    )
    statistics_yellow_months = models.PositiveSmallIntegerField(_("开工未纳统黄灯（月）"), default=1)
    statistics_red_months = models.PositiveSmallIntegerField(_("开工未纳统红灯（月）"), default=2)
    node_red_workdays = models.PositiveSmallIntegerField(_("节点逾期转红灯（工作日）"), default=0)
    report_red_rounds = models.PositiveSmallIntegerField(_("连续未报转红灯（期）"), default=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("预警规则")
        constraints = [models.UniqueConstraint(fields=["city"], name="warning_rules_per_city")]


class ProjectWarning(CityOwned):
    """One active or past warning on a project: which rule, which colour, why, since when."""

    city_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="warnings")
    rule = models.CharField(_("预警类型"), max_length=24, choices=Rule.choices)
    subject = models.CharField(max_length=64, blank=True, help_text=_("同一规则下的对象，如节点或月份"))
    color = models.CharField(_("颜色"), max_length=8, choices=Color.choices)
    facts = models.JSONField(
        _("预警依据"), help_text=_("规则算出的数字和日期（带类型），预警原因据此按读者语言生成")
    )
    since = models.DateField(_("起始日期"))
    is_active = models.BooleanField(default=True)
    refreshed_at = models.DateTimeField(auto_now=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_active", "color", "since"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "project", "rule", "subject"],
                condition=models.Q(is_active=True),
                name="one_active_warning",
            )
        ]
        indexes = [models.Index(fields=["city", "is_active", "color"])]
        verbose_name = _("预警")
        verbose_name_plural = _("预警")

    @property
    def message(self) -> str:
        """The reason, in the active language, from the rule and the stored figures."""
        from .messages import warning_message  # messages reads this module's Rule

        facts = decode(self.facts)
        if isinstance(facts, str):  # stored as text before warnings kept their figures, until refreshed
            return facts
        return warning_message(self.rule, facts)


class PendingRefresh(CityOwned):
    """A project whose warnings are to be refreshed: the changes of a few seconds are gathered here and
    refreshed together (`queue.py`), so that a surge of reports costs a refresh per project, not one per
    report. `queued_at` is the latest change's."""

    city_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    queued_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city", "project"], name="one_pending_refresh")]


class RefreshQueued(CityOwned):
    """That a refresh of the city's pending projects is queued: one at a time per city."""

    queued_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["city"], name="one_queued_refresh")]
