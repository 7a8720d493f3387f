"""The city is the tenant: every table holding a city's data carries the city key.

A record takes its city from the record it hangs off (`city_from`, e.g. ``"project"``), on `save`
and on `bulk_create` alike; records that hang off nothing (a dispatch round, a node template, a
chain) get it from the service that creates them, from the user's city. No form ever offers it.
"""

from collections.abc import Iterable
from operator import attrgetter
from typing import Any, ClassVar, Self

from django.db import models
from django.utils.translation import gettext_lazy as _


def city_field(*, null: bool = False) -> models.ForeignKey:
    """The city key: a city region (kind CITY), never edited by a user."""
    return models.ForeignKey(
        "accounts.Region",
        verbose_name=_("所属城市"),
        on_delete=models.PROTECT,
        related_name="+",
        null=null,
        blank=null,
        editable=False,
    )


class CityQuerySet(models.QuerySet):
    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in objs:
            obj.fill_city()
        return super().bulk_create(objs, *args, **kwargs)

    def of_city(self, city_id: int | None) -> Self:
        return self.filter(city_id=city_id)


class CityOwned(models.Model):
    """Abstract base of every table holding one city's data."""

    city = city_field()
    city_from: ClassVar[str] = ""

    objects = CityQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_city()
        super().save(*args, **kwargs)

    def fill_city(self) -> None:
        if getattr(self, "city_id", None) is None and self.city_from:
            source = attrgetter(self.city_from)(self)
            if source is not None:
                self.city_id = source.city_id
