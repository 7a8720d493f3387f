"""The demo city's factor guarantee: the year's pools of every factor, two counties' sub-pools of land and
energy, the demands of some fifty listed projects, most met in full or in part, some still waiting and a
few past their date (a red warning each). Made once: a city whose pools of the year exist gets nothing
more."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from keyprojects.demo.steps import DemoContext
from keyprojects.projects.models import Pipeline, Project

from .models import FactorAllocation, FactorDemand, FactorKind, FactorPool
from .selectors import UNMET
from .services import allocation_create, demand_create, pool_set

# The year's supply of each factor for the whole city, in its unit.
SUPPLY = {
    FactorKind.LAND: "6800",
    FactorKind.ENERGY: "185000",
    FactorKind.SO2: "420",
    FactorKind.NOX: "680",
    FactorKind.PARTICULATES: "210",
    FactorKind.VOCS: "350",
    FactorKind.WATER: "1200",
    FactorKind.POWER: "450000",
    FactorKind.CENTRAL_BUDGET: "52000",
    FactorKind.SPECIAL_BONDS: "860000",
    FactorKind.POLICY_FINANCE: "240000",
    FactorKind.BANK_LOAN: "1500000",
}
COUNTY_SHARES = {FactorKind.LAND: "0.15", FactorKind.ENERGY: "0.12"}  # of the city's, for two counties
PROJECTS = 48
# How much of a project's need a factor is, from its land area or total investment (万元).
NEEDS = (
    (FactorKind.LAND, None),
    (FactorKind.ENERGY, Decimal("0.004")),
    (FactorKind.SO2, Decimal("0.000006")),
    (FactorKind.NOX, Decimal("0.000009")),
    (FactorKind.VOCS, Decimal("0.000005")),
    (FactorKind.WATER, Decimal("0.00002")),
    (FactorKind.POWER, Decimal("0.01")),
    (FactorKind.SPECIAL_BONDS, Decimal("0.2")),
    (FactorKind.BANK_LOAN, Decimal("0.3")),
    (FactorKind.CENTRAL_BUDGET, Decimal("0.02")),
)
ONE = Decimal(1)


def load(ctx: DemoContext) -> None:
    city = ctx.tenant
    if not FactorPool.objects.filter(city=city, year=ctx.year).exists():
        _build(ctx)
    pools = FactorPool.objects.filter(city=city, year=ctx.year)
    demands = FactorDemand.objects.filter(city=city)
    ctx.report(
        "要素指标池（全市/县区）", f"{pools.filter(parent=None).count()}/{pools.exclude(parent=None).count()}"
    )
    ctx.report(
        "要素需求（已满足/待保障/逾期）",
        f"{demands.exclude(UNMET).count()}/{demands.filter(UNMET).count()}"
        f"/{demands.filter(UNMET, needed_by__lt=ctx.today).count()}",
    )
    ctx.report("要素配置", FactorAllocation.objects.filter(city=city).count())


def _build(ctx: DemoContext) -> None:
    rng = ctx.rng("factors")
    office = ctx.office_user
    pools = {
        kind: pool_set(
            user=office, kind=kind, year=ctx.year, supply=supply, reason=f"{ctx.year}年度要素指标"
        )[0]
        for kind, supply in SUPPLY.items()
    }
    counties = [c for c in ctx.place.counties[:2] if c.username in ctx.users]
    sub_pools: dict[tuple[str, str], FactorPool] = {}
    for county in counties:
        for kind, part in COUNTY_SHARES.items():
            carved = (Decimal(SUPPLY[kind]) * Decimal(part)).quantize(ONE)
            sub_pools[county.code, kind] = pool_set(
                user=office,
                kind=kind,
                year=ctx.year,
                supply=carved,
                reason="下达县区年度指标",
                region=county.code,
            )[0]
    listed = sorted((p for p in ctx.projects if p.pipeline == Pipeline.SCHEDULED), key=lambda p: p.pk)
    for project in rng.sample(listed, min(PROJECTS, len(listed))):
        for kind, per_wan in rng.sample(NEEDS, rng.randint(1, 3)):
            amount = _need(project, kind, per_wan, rng.random())
            needed_by = ctx.today + datetime.timedelta(days=rng.randint(-120, 240))
            demand = demand_create(
                user=office, project_id=project.pk, kind=kind, amount=amount, needed_by=needed_by
            )
            share = rng.choice((Decimal(0), Decimal("0.5"), ONE, ONE))
            given = (amount * share).quantize(Decimal("0.001"), ROUND_HALF_UP)
            if given <= 0:
                continue
            home = next((c for c in counties if c.code == project.region.code), None)
            pool, officer = pools[kind], office
            if home is not None and (home.code, kind) in sub_pools:
                pool, officer = sub_pools[home.code, kind], ctx.users[home.username]
            if given <= FactorPool.objects.get(pk=pool.pk).remaining:
                allocation_create(
                    user=officer,
                    pool_id=pool.pk,
                    project_id=project.pk,
                    amount=given,
                    reason="经要素保障专题会研究同意",
                    demand_id=demand.pk,
                )


def _need(project: Project, kind: str, per_wan: Decimal | None, draw: float) -> Decimal:
    if per_wan is None:
        land = project.land_area or Decimal(20 + int(draw * 180))
        return land.quantize(ONE)
    amount = project.total_investment * per_wan * Decimal(str(round(0.5 + draw, 3)))
    return max(amount.quantize(ONE if amount >= 10 else Decimal("0.001"), ROUND_HALF_UP), Decimal("0.001"))
