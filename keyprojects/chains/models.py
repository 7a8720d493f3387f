from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustrialChain(models.Model):
    """One of the city's key industrial chains (产业链); projects are sliced by it, and the 链长制 of
    chain leaders, chain maps and lists builds on it."""

    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")

    def __str__(self) -> str:
        return self.name
