"""The three rates as API clients see them: each rate with its numerator and denominator."""

from datetime import date
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from keyprojects.projects.models import Category, Level, Pipeline, Stage
from keyprojects.projects.selectors import ProjectFilters

from .models import StartBasis, TimeBasis


class MetricsFilter(Schema):
    as_of: date | None = Field(None, description="统计截止日期,默认今天")
    year: int | None = Field(None, description="清单年度,默认为统计截止日期所在年度")
    region: str | None = Field(None, description="区划代码")
    level: Level | None = None
    category: Category | None = None
    stage: Stage | None = None
    pipeline: Pipeline | None = Field(None, description="入库状态,默认调度库")
    start_basis: StartBasis | None = Field(None, description="开工率分母口径,默认按系统设置")
    time_basis: TimeBasis | None = Field(None, description="序时进度口径,默认按系统设置")

    def to_filters(self) -> ProjectFilters:
        fields = ("region", "level", "category", "stage", "pipeline", "year")
        return ProjectFilters.from_mapping(self.model_dump(include=set(fields), exclude_none=True))


class CountRateOut(Schema):
    numerator: int
    denominator: int
    value: Decimal | None = Field(description="比率,保留三位小数;分母为0时为null")


class MoneyRateOut(Schema):
    numerator: Decimal = Field(description="本年完成投资(万元)")
    denominator: Decimal = Field(description="年度计划投资(万元)")
    value: Decimal | None = Field(description="比率,保留三位小数;分母为0时为null")


class MetricsOut(Schema):
    as_of: date
    start_rate: CountRateOut = Field(description="开工率")
    statistics_rate: CountRateOut = Field(description="纳统率")
    investment_rate: MoneyRateOut = Field(description="投资完成率")
    time_progress: str = Field(description="序时进度,如 0.25")
    vs_time_progress: str | None = Field(description="投资完成率与序时进度之差(百分点,负数为低于)")
