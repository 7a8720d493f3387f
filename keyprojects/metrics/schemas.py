"""The three rates as API clients see them: each rate with its numerator and denominator."""

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import ConfigDict, Field

from keyprojects.core.api import Date, Year
from keyprojects.projects.models import Level, Pipeline, Stage
from keyprojects.projects.selectors import ProjectFilters

from .models import StartBasis, TimeBasis


class MetricsFilter(Schema):
    as_of: Date | None = Field(None, description="统计截止日期，默认今天")
    year: Year | None = Field(None, description="清单年度，默认为统计截止日期所在年度")
    region: str | None = Field(None, description="区划代码")
    level: Level | None = None
    category: str | None = Field(None, max_length=32, description="项目类别的代码（本市字典）")
    chain: str | None = Field(None, description="产业链代码")
    stage: Stage | None = None
    pipeline: Pipeline | None = Field(None, description="入库状态，默认调度库")
    start_basis: StartBasis | None = Field(None, description="开工率分母口径，默认按系统设置")
    time_basis: TimeBasis | None = Field(None, description="序时进度口径，默认按系统设置")

    def to_filters(self) -> ProjectFilters:
        fields = ("region", "level", "category", "chain", "stage", "pipeline", "year")
        return ProjectFilters.from_mapping(self.model_dump(include=set(fields), exclude_none=True))


class CountRateOut(Schema):
    numerator: int
    denominator: int
    value: Decimal | None = Field(description="比率，保留三位小数；分母为0时为null")


class MoneyRateOut(Schema):
    numerator: Decimal = Field(description="本年完成投资（万元）")
    denominator: Decimal = Field(description="年度计划投资（万元）")
    value: Decimal | None = Field(description="比率，保留三位小数；分母为0时为null")


class MetricsOut(Schema):
    as_of: date
    start_rate: CountRateOut = Field(description="开工率")
    statistics_rate: CountRateOut = Field(description="纳统率")
    investment_rate: MoneyRateOut = Field(description="投资完成率")
    time_progress: str = Field(description="序时进度，如 0.25")
    vs_time_progress: str | None = Field(description="投资完成率与序时进度之差（百分点，负数为低于）")


class MetricsSettingsOut(Schema):
    start_basis: StartBasis = Field(
        description="开工率分母：list 年度清单实施类项目；planned 截至统计日计划开工的项目"
    )
    time_basis: TimeBasis = Field(
        description="序时进度口径：day 按天；month 按整月；plan 按月度计划（未设月度计划的项目按整月）"
    )
    version: int


class MetricsSettingsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    start_basis: StartBasis | None = None
    time_basis: TimeBasis | None = None
    version: int | None = Field(None, description="所依据的版本；未带 If-Match 时代替它")


class MonthAmount(Schema):
    month: int = Field(ge=1, le=12)
    amount: Decimal = Field(ge=0, max_digits=14, decimal_places=2, description="月度计划投资（万元）")


class MonthlyPlanOut(Schema):
    year: int
    annual_plan: Decimal = Field(description="项目年度计划投资（万元）")
    total: Decimal = Field(description="各月计划合计（万元）")
    months: list[MonthAmount] = Field(description="已设计划的月份；未列出的月份没有计划")


class MonthlyPlanIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: Year | None = Field(None, description="年度，默认为项目的清单年度")
    months: list[MonthAmount] = Field(description="全年的月度计划；未列出的月份清除计划")


class CityMetricsOut(MetricsOut):
    city: str = Field(description="城市区划代码")
    city_name: str = Field(description="城市名称")
