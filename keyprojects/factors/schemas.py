"""The factor guarantee as API clients see it: amounts as decimal strings in the kind's unit (`unit`), a
region as its code, dates as YYYY-MM-DD."""

import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from keyprojects.core.api import Date, Id, Year

from .models import EntryKind, FactorKind

Amount = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
Code = Annotated[str, StringConstraints(strip_whitespace=True, max_length=12)]


def text(value: Decimal) -> str:
    return format(value, "f")


class PoolOut(Schema):
    id: int
    kind: FactorKind
    kind_name: str = Field(alias="get_kind_display")
    unit: str
    region: str = Field(alias="region.code", description="区划代码")
    region_name: str = Field(alias="region.name")
    year: int
    parent: int | None = Field(
        None, alias="parent_id", description="上级指标池（县区指标池从全市指标池下达）"
    )
    supply: str = Field(description="总量")
    carved: str = Field(description="已下达县区")
    allocated: str = Field(description="已配置给项目")
    remaining: str = Field(description="剩余 = 总量 − 已下达县区 − 已配置")

    @staticmethod
    def resolve_supply(obj: object) -> str:
        return text(obj.supply)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_carved(obj: object) -> str:
        return text(obj.carved)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_allocated(obj: object) -> str:
        return text(obj.allocated)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_remaining(obj: object) -> str:
        return text(obj.remaining)  # type: ignore[attr-defined]


class PoolIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: FactorKind
    year: Year
    region: Code | None = Field(
        None, description="区划代码；不填为全市指标池，县区代码为从全市指标池下达的县区指标池"
    )
    supply: Amount = Field(description="总量（要素的计量单位）")
    reason: Reason = Field(description="依据（必填）")


class PoolFilter(Schema):
    kind: FactorKind | None = None
    year: Year | None = None
    region: Code | None = None


class DemandOut(Schema):
    id: int
    project: int = Field(alias="project_id")
    project_name: str = Field(alias="project.name")
    kind: FactorKind
    unit: str
    amount: str
    allocated: str
    lacking: str = Field(description="尚缺")
    needed_by: datetime.date
    note: str

    @staticmethod
    def resolve_amount(obj: object) -> str:
        return text(obj.amount)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_allocated(obj: object) -> str:
        return text(obj.allocated)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_lacking(obj: object) -> str:
        return text(obj.lacking)  # type: ignore[attr-defined]


class DemandIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project: Id
    kind: FactorKind
    amount: Amount = Field(description="需求量（要素的计量单位）")
    needed_by: Date = Field(description="需要时间")
    note: Reason = ""


class DemandFilter(Schema):
    project: Id | None = None
    kind: FactorKind | None = None
    unmet: bool | None = Field(None, description="true：只列尚未满足的需求")


class AllocationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    pool: Id
    project: Id
    amount: Amount = Field(description="配置量（指标池的计量单位）")
    reason: Reason = Field(description="理由（必填）")
    demand: Id | None = Field(None, description="对应的需求；不填为该项目同类需求中需要时间最早的未满足需求")


class AllocationOut(Schema):
    id: int
    pool: int = Field(alias="pool_id")
    project: int = Field(alias="project_id")
    demand: int = Field(alias="demand_id")
    kind: FactorKind = Field(alias="pool.kind")
    unit: str = Field(alias="pool.unit")
    amount: str
    released: str
    allocated_by: str = Field(alias="allocated_by.username")
    allocated_at: datetime.datetime

    @staticmethod
    def resolve_amount(obj: object) -> str:
        return text(obj.amount)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_released(obj: object) -> str:
        return text(obj.released)  # type: ignore[attr-defined]


class AllocationFilter(Schema):
    project: Id | None = None
    pool: Id | None = None


class ReleaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    amount: Amount | None = Field(None, description="收回的数量；不填为全部收回")
    reason: Reason = Field(description="理由（必填）")


class LedgerEntryOut(Schema):
    id: int
    pool: int = Field(alias="pool_id")
    kind: EntryKind
    amount: str = Field(description="数量：核定和下达为总量的增减，配置为正，收回为负")
    project: int | None = Field(None, alias="project_id")
    allocation: int | None = Field(None, alias="allocation_id")
    sub_pool: int | None = Field(None, alias="sub_pool_id")
    supply_after: str
    allocated_after: str
    remaining_after: str
    reason: str
    actor: str = Field(alias="actor.username")
    created_at: datetime.datetime

    @staticmethod
    def resolve_amount(obj: object) -> str:
        return text(obj.amount)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_supply_after(obj: object) -> str:
        return text(obj.supply_after)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_allocated_after(obj: object) -> str:
        return text(obj.allocated_after)  # type: ignore[attr-defined]

    @staticmethod
    def resolve_remaining_after(obj: object) -> str:
        return text(obj.remaining_after)  # type: ignore[attr-defined]


class LedgerFilter(Schema):
    pool: Id | None = None
    project: Id | None = None
    kind: FactorKind | None = None


class WaitingOut(Schema):
    demand: int
    project: int
    project_name: str
    region_name: str
    kind: FactorKind
    unit: str
    lacking: str
    needed_by: datetime.date
    overdue: bool


class KindOut(Schema):
    kind: FactorKind
    kind_name: str
    unit: str
    supply: str
    allocated: str
    remaining: str
    waiting_count: int = Field(description="尚未满足的需求数")
    lacking: str = Field(description="尚缺合计")
    waiting: list[WaitingOut] = Field(description="等待保障的需求，需要时间最早的在前（最多10个）")


class ProjectLacksOut(Schema):
    project: int
    project_name: str
    region_name: str
    first_needed: datetime.date
    lacking: list[WaitingOut]


class CommandPostOut(Schema):
    year: int
    kinds: list[KindOut]
    projects: list[ProjectLacksOut] = Field(description="尚缺要素的项目，最早需要的在前（最多50个）")
    project_count: int


class CommandPostFilter(Schema):
    year: Year | None = None
