from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Region
from keyprojects.accounts.tenancy import CityOwned
from keyprojects.projects.models import Project, money_field


class BatchKind(models.TextChoices):
    START = "start", _("集中开工")
    TOUR = "tour", _("观摩")


class Batch(CityOwned):
    """A concentrated start (集中开工) or an observation tour (观摩): a named event on a day, at a main
    venue, with its projects. The totals the city announced ("本次集中开工项目194个,总投资1043亿元")
    are kept as announced: a batch may count projects that are not on the platform."""

    Kind = BatchKind

    kind = models.CharField(_("类别"), max_length=8, choices=BatchKind.choices)
    name = models.CharField(_("名称"), max_length=128)
    held_on = models.DateField(_("日期"))
    venue = models.CharField(_("主会场"), max_length=128, blank=True)
    venue_project = models.ForeignKey(
        Project,
        verbose_name=_("主会场项目"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("主会场所在县区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    announced_count = models.PositiveIntegerField(_("公布项目数"), null=True, blank=True)
    announced_investment = money_field(_("公布总投资（万元）"), null=True, blank=True)
    projects = models.ManyToManyField(Project, verbose_name=_("项目"), related_name="batches", blank=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("集中开工与观摩")
        verbose_name_plural = _("集中开工与观摩")
        constraints = [models.UniqueConstraint(fields=["city", "name"], name="batch_name_per_city")]

    def __str__(self) -> str:
        return self.name
