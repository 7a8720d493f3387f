from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.tenancy import CityOwned
from keyprojects.projects.models import Project


class StatisticsInclusion(CityOwned):
    """Whether a project is in the fixed-asset investment statistics (入库纳统), and since when."""

    city_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="statistics")
    included_on = models.DateField(_("入库纳统日期"), null=True, blank=True)
    statistics_code = models.CharField(_("统计库项目编码"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "progress_statisticsinclusion"  # made by the progress app, before this app had its own
        verbose_name = _("入库纳统")
        verbose_name_plural = _("入库纳统")
        constraints = [models.UniqueConstraint(fields=["city", "project"], name="one_inclusion_per_project")]
