from django.db import models
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.tenancy import CityOwned


class IndustrialChain(CityOwned):
    """One of the city's key industrial chains (产业链); projects are sliced by it, and the 链长制 of
    chain leaders, chain maps and lists builds on it."""

    code = models.SlugField(_("代码"), max_length=32)
    name = models.CharField(_("名称"), max_length=64)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["city", "code"], name="chain_code_per_city"),
            models.UniqueConstraint(fields=["city", "name"], name="chain_name_per_city"),
        ]
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")

    def __str__(self) -> str:
        return self.name
