"""The API's shapes of statistics inclusion (入库纳统)."""

import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from keyprojects.core.api import Date, Year
from keyprojects.projects.models import Project
from keyprojects.projects.schemas import SEARCH_HELP, SearchQuery

from .selectors import InclusionFilters

State = Literal["due", "included", "missing", "not_due"]


class InclusionOut(Schema):
    project: int
    as_of: datetime.date
    threshold: Decimal = Field(description="纳统投资门槛（万元）")
    should_include: bool = Field(description="应纳统：已开工且计划总投资达到门槛")
    should_include_since: datetime.date | None = Field(description="应纳统之日（实际开工日期）")
    included: bool = Field(description="截至 as_of 已入库纳统")
    included_on: datetime.date | None
    statistics_code: str
    missing: bool = Field(description="应纳未纳")


class InclusionIn(Schema):
    included_on: Date | None = Field(description="入库纳统日期；为 null 时撤销入库纳统（须填 reason）")
    statistics_code: str = Field("", max_length=64)
    reason: str = Field("", max_length=255, description="撤销原因")


class InclusionRowOut(Schema):
    """One project of the list, read from `inclusion_list`'s annotated rows."""

    project: int = Field(alias="pk")
    name: str
    region: str = Field(alias="region.code")
    region_name: str = Field(alias="region.name")
    total_investment: Decimal
    actual_start: datetime.date | None
    should_include: bool = Field(alias="is_due")
    included: bool = Field(alias="is_included")
    included_on: datetime.date | None
    statistics_code: str
    missing: bool

    @staticmethod
    def resolve_included_on(obj: Project) -> datetime.date | None:
        return obj.included_on if obj.is_included else None  # type: ignore[attr-defined]

    @staticmethod
    def resolve_statistics_code(obj: Project) -> str:
        return obj.statistics_code if obj.is_included else ""  # type: ignore[attr-defined]

    @staticmethod
    def resolve_missing(obj: Project) -> bool:
        return bool(obj.is_due and not obj.is_included)  # type: ignore[attr-defined]


class InclusionQuery(Schema):
    as_of: Date | None = None
    year: Year | None = None
    region: str | None = Field(None, description="区划代码")
    state: State | None = None
    q: SearchQuery | None = Field(None, description=SEARCH_HELP)

    def to_filters(self) -> InclusionFilters:
        return InclusionFilters.from_mapping(self.model_dump(exclude_none=True))


class CountOut(Schema):
    region: str
    region_name: str
    due: int
    included: int
    missing: int
    rate: Decimal | None = Field(description="纳统率（0–1）；无应纳统项目时为 null")


class SummaryOut(Schema):
    as_of: datetime.date
    year: int
    regions: list[CountOut]
    total: CountOut
