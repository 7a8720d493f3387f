"""The war room's figures as API clients see them (`GET /api/v1/dashboard`)."""

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from keyprojects.batches.schemas import BatchOut
from keyprojects.core.api import Date
from keyprojects.metrics.schemas import CountRateOut, MoneyRateOut
from keyprojects.projects.schemas import ProjectFilter


class DashboardFilter(ProjectFilter):
    """The project list's slice filters (a county's dashboard: `region`), and the as-of date."""

    as_of: Date | None = Field(None, description="统计截止日期，默认今天")


class RatesFiguresOut(Schema):
    start_rate: CountRateOut = Field(description="开工率")
    statistics_rate: CountRateOut = Field(description="纳统率")
    investment_rate: MoneyRateOut = Field(description="投资完成率")
    time_progress: str = Field(description="序时进度，如 0.25")
    vs_time_progress: str | None = Field(description="投资完成率与序时进度之差（百分点，负数为低于）")
    vs_time_progress_text: str = Field(description="如“超序时进度5.5个百分点”")


class ScopeOut(Schema):
    level: str = Field(description="province 全省比较各市；city 全市；county 一个县区")
    code: str = Field(description="区划代码")
    name: str
    city_code: str = Field(description="地图所属城市的区划代码；省级为空")
    city_name: str


class RegionFiguresOut(Schema):
    code: str
    name: str = Field(description="今天的名称")
    former_names: list[str] = Field(description="曾用名（地图数据可能仍用旧名）")
    is_zone: bool = Field(description="功能区（地图上没有边界，以点表示）")
    projects: int
    total_investment: Decimal = Field(description="总投资（万元）")
    annual_plan: Decimal = Field(description="年度计划投资（万元）")
    rates: RatesFiguresOut | None = Field(description="三率；没有清单项目时为null")
    red: int = Field(description="红灯预警数")
    yellow: int = Field(description="黄灯预警数")
    latitude: Decimal | None = Field(description="项目坐标的平均值")
    longitude: Decimal | None


class MonthOut(Schema):
    month: int
    completed: Decimal = Field(description="当月完成投资（万元）")
    cumulative: Decimal = Field(description="累计完成投资（万元）")
    plan_cumulative: Decimal = Field(description="累计计划投资（万元）")
    started: int = Field(description="当月开工项目数")


class WarningItemOut(Schema):
    id: int
    project: int
    project_name: str
    region: str
    region_name: str
    color: str
    rule: str
    rule_label: str
    message: str
    since: datetime.date


class WarningsOut(Schema):
    red: int
    yellow: int
    rows: list[WarningItemOut]


class BlockerItemOut(Schema):
    id: int
    project: int
    project_name: str
    region_name: str
    category: str
    description: str
    status: str
    deadline: datetime.date | None
    overdue: bool


class BlockersOut(Schema):
    open: int = Field(description="未办结的难点问题")
    overdue: int = Field(description="其中逾期")
    rows: list[BlockerItemOut]


class FactorKindOut(Schema):
    kind: str
    label: str
    unit: str
    waiting: int = Field(description="待保障的需求数")
    lacking: Decimal = Field(description="缺口")


class FactorItemOut(Schema):
    id: int
    kind: str
    project: int
    project_name: str
    region_name: str
    amount: Decimal
    allocated: Decimal
    lacking: Decimal
    needed_by: datetime.date
    overdue: bool


class FactorsOut(Schema):
    kinds: list[FactorKindOut]
    rows: list[FactorItemOut]
    project_count: int = Field(description="有要素缺口的项目数")


class PointOut(Schema):
    project: int
    name: str
    region: str
    latitude: Decimal
    longitude: Decimal
    total_investment: Decimal
    color: str = Field(description="最重的预警：red、yellow 或 green")


class DashboardOut(Schema):
    as_of: datetime.date
    year: int
    scope: ScopeOut
    projects: int = Field(description="清单项目数")
    total_investment: Decimal = Field(description="总投资（万元）")
    annual_plan: Decimal = Field(description="年度计划投资（万元）")
    completed: Decimal = Field(description="本年完成投资（万元）")
    rates: RatesFiguresOut
    regions: list[RegionFiguresOut] = Field(description="各县区（省级：各市），按区划顺序")
    trend: list[MonthOut] = Field(description="按月趋势，至统计截止月")
    warnings: WarningsOut
    blockers: BlockersOut
    factors: FactorsOut
    points: list[PointOut] = Field(description="有坐标的项目，投资大者在前")
    batch: BatchOut | None = Field(description="最近一次集中开工或观摩")
