from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Organization
from keyprojects.accounts.tenancy import CityOwned
from keyprojects.projects.models import Project


class TaskForce(CityOwned):
    """A task force (工作专班): people of several organisations of one city who work together on a few
    projects; its members see the projects and act on them as their roles allow."""

    name = models.CharField(_("专班名称"), max_length=128)
    lead_organization = models.ForeignKey(
        Organization, verbose_name=_("牵头单位"), on_delete=models.PROTECT, related_name="led_task_forces"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("专班成员"), related_name="task_forces", blank=True
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("专班项目"), related_name="task_forces", blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    city_from = "lead_organization"

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("工作专班")
        verbose_name_plural = _("工作专班")
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="task_force_name_per_city")]

    def __str__(self) -> str:
        return self.name
