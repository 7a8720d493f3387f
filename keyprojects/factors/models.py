"""The factor guarantee (要素保障): what a project needs, the pools that hold what a region has for a year,
and every movement between them as an append-only ledger.

Amounts are in the kind's unit (`UNITS`): 亩, 吨标准煤, 吨, 万吨/年, kVA, 万元. A pool's `supply` is what it
holds; `carved` is what went to its sub-pools (a county's share of the city's pool), `allocated` what went to
projects; `remaining = supply − carved − allocated` never goes below zero (a CHECK in the database, and every
write a conditional UPDATE). A sub-pool's supply is carved from its parent, so the city's totals count each
unit once: the supply of the city's pools, the allocations of every pool."""

from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Region
from keyprojects.accounts.tenancy import CityOwned
from keyprojects.projects.models import Project

MAX_DIGITS, PLACES = 15, 3
ZERO = Decimal(0)
# SQLite keeps decimals as binary floats: 0.1 + 0.2 is a hair above 0.3. Every amount is a whole number of
# thousandths, so a true shortfall is at least 0.001; the checks allow half of that for the float's error.
SLACK = Decimal("0.0005")
# A demand its allocations do not meet yet. The command post reads these alone, through partial indexes on
# this very condition (a city has far more met demands than waiting ones, year after year).
UNMET = Q(allocated__lt=F("amount") - SLACK)
_AMOUNTS = ("amount", "allocated")


def amount_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    """An amount of a factor in its kind's unit, to the thousandth (a VOCs quota of 0.125 吨)."""
    return models.DecimalField(verbose_name, max_digits=MAX_DIGITS, decimal_places=PLACES, **kwargs)


class FactorKind(models.TextChoices):
    LAND = "land", _("建设用地")
    ENERGY = "energy", _("能耗")
    SO2 = "so2", _("二氧化硫排放")
    NOX = "nox", _("氮氧化物排放")
    PARTICULATES = "particulates", _("颗粒物排放")
    VOCS = "vocs", _("挥发性有机物排放")
    WATER = "water", _("用水")
    POWER = "power", _("用电容量")
    CENTRAL_BUDGET = "central_budget", _("中央预算内资金")
    SPECIAL_BONDS = "special_bonds", _("地方政府专项债")
    POLICY_FINANCE = "policy_finance", _("政策性金融")
    BANK_LOAN = "bank_loan", _("银行贷款")


UNITS: dict[str, Any] = {
    FactorKind.LAND: _("亩"),
    FactorKind.ENERGY: _("吨标准煤"),
    FactorKind.SO2: _("吨"),
    FactorKind.NOX: _("吨"),
    FactorKind.PARTICULATES: _("吨"),
    FactorKind.VOCS: _("吨"),
    FactorKind.WATER: _("万吨/年"),
    FactorKind.POWER: _("kVA"),
    FactorKind.CENTRAL_BUDGET: _("万元"),
    FactorKind.SPECIAL_BONDS: _("万元"),
    FactorKind.POLICY_FINANCE: _("万元"),
    FactorKind.BANK_LOAN: _("万元"),
}


def unit_of(kind: str) -> str:
    return str(UNITS[kind])


def amount_text(value: object) -> str:
    """An amount as the offices write it: grouped by thousands, no trailing zeros (1,250.5)."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value)).quantize(Decimal(1).scaleb(-PLACES))
    whole, _dot, fraction = f"{amount:,.{PLACES}f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


class FactorPool(CityOwned):
    """What a region has of one factor for one year. The city's pool is set by the city office; a county's
    pool is a sub-pool carved from the city's pool of the same kind and year."""

    city_from = "region"

    kind = models.CharField(_("要素类别"), max_length=16, choices=FactorKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("区域"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级指标池"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    supply = amount_field(_("总量"), default=ZERO)
    carved = amount_field(_("下达县区"), default=ZERO)
    allocated = amount_field(_("已配置"), default=ZERO)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["year", "kind", "region__sort_order", "region__code"]
        verbose_name = _("要素指标池")
        verbose_name_plural = _("要素指标池")
        constraints = [
            models.UniqueConstraint(fields=["city", "region", "year", "kind"], name="factor_pool_per_region"),
            models.CheckConstraint(
                condition=Q(
                    carved__gte=-SLACK,
                    allocated__gte=-SLACK,
                    supply__gte=F("carved") + F("allocated") - SLACK,
                ),
                name="factor_pool_never_below_zero",
            ),
        ]
        indexes = [models.Index(fields=["city", "year", "kind"])]

    def __str__(self) -> str:
        return f"{self.region.name}{self.year}年{self.get_kind_display()}"

    @property
    def unit(self) -> str:
        return unit_of(self.kind)

    @property
    def remaining(self) -> Decimal:
        return self.supply - self.carved - self.allocated


class FactorDemand(CityOwned):
    """What a project needs of one factor, and by when; `allocated` is what its allocations hold now."""

    city_from = "project"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="factor_demands")
    kind = models.CharField(_("要素类别"), max_length=16, choices=FactorKind.choices)
    amount = amount_field(_("需求量"))
    allocated = amount_field(_("已保障"), default=ZERO)
    needed_by = models.DateField(_("需要时间"))
    note = models.CharField(_("说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["needed_by", "id"]
        verbose_name = _("要素需求")
        verbose_name_plural = _("要素需求")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, allocated__gte=-SLACK, allocated__lte=F("amount") + SLACK),
                name="factor_demand_within_amount",
            ),
        ]
        indexes = [
            models.Index(fields=["city", "kind", "needed_by"]),
            models.Index(fields=["project", "kind"]),
            # The command post: what waits per kind, the waiting demands by date, the projects waiting. Each
            # holds the amounts too, so that the database answers from the index alone (it checks the
            # condition again on every entry it reads).
            models.Index(fields=["city", "kind", *_AMOUNTS], condition=UNMET, name="factor_unmet_by_kind"),
            models.Index(
                fields=["city", "needed_by", "project", *_AMOUNTS],
                condition=UNMET,
                name="factor_unmet_by_date",
            ),
            models.Index(
                fields=["city", "project", *_AMOUNTS], condition=UNMET, name="factor_unmet_by_project"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}·{self.get_kind_display()}"

    @property
    def unit(self) -> str:
        return unit_of(self.kind)

    @property
    def lacking(self) -> Decimal:
        return self.amount - self.allocated


class FactorAllocation(CityOwned):
    """An amount of a pool given to a project against one of its demands; `released` is what went back."""

    city_from = "project"

    pool = models.ForeignKey(FactorPool, on_delete=models.PROTECT, related_name="allocations")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="factor_allocations")
    demand = models.ForeignKey(FactorDemand, on_delete=models.PROTECT, related_name="allocations")
    amount = amount_field(_("配置量"))
    released = amount_field(_("已收回"), default=ZERO)
    allocated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    allocated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-allocated_at", "-id"]
        verbose_name = _("要素配置")
        verbose_name_plural = _("要素配置")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0, released__gte=-SLACK, released__lte=F("amount") + SLACK),
                name="factor_allocation_release_within_amount",
            ),
        ]

    @property
    def held(self) -> Decimal:
        return self.amount - self.released


class EntryKind(models.TextChoices):
    SUPPLY = "supply", _("核定总量")
    CARVE = "carve", _("下达县区")
    ALLOCATE = "allocate", _("配置")
    RELEASE = "release", _("收回")


class FactorLedgerEntry(CityOwned):
    """One movement of a pool (台账): its supply set, a share carved to a sub-pool, an allocation to a
    project, a release back. Append-only: a row is never changed nor deleted; `amount` is signed as the
    movement changes the pool's column it names, and the pool's figures after it are kept beside it."""

    city_from = "pool"

    pool = models.ForeignKey(FactorPool, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("类型"), max_length=16, choices=EntryKind.choices)
    amount = amount_field(_("数量"))
    project = models.ForeignKey(Project, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    allocation = models.ForeignKey(
        FactorAllocation, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger"
    )
    sub_pool = models.ForeignKey(
        FactorPool, null=True, blank=True, on_delete=models.PROTECT, related_name="carved_from"
    )
    supply_after = amount_field(_("总量"))
    allocated_after = amount_field(_("已配置"))
    remaining_after = amount_field(_("剩余"))
    reason = models.CharField(_("理由"), max_length=255)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("要素台账")
        verbose_name_plural = _("要素台账")
        indexes = [models.Index(fields=["city", "-created_at"]), models.Index(fields=["pool", "-created_at"])]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            self._append_only()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        self._append_only()

    @staticmethod
    def _append_only() -> NoReturn:
        raise TypeError("the factor ledger is append-only")
