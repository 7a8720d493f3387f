"""Warnings and warning rules as API clients see them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema
from pydantic import ConfigDict, Field

from keyprojects.core.api import Id
from keyprojects.core.rows import RowSchema
from keyprojects.projects.schemas import SEARCH_HELP, SearchQuery

from .models import Color, ProjectWarning, Rule
from .selectors import WarningFilters


class WarningFilter(Schema):
    color: Color | None = None
    rule: Rule | None = None
    region: str | None = Field(None, description="区划代码（含下级）")
    project: Id | None = Field(None, description="项目 id")
    q: SearchQuery | None = Field(None, description=SEARCH_HELP)
    active: bool = Field(True, description="false 查看已解除的预警")

    def to_filters(self) -> WarningFilters:
        return WarningFilters(
            color=self.color,
            rule=self.rule,
            region=self.region,
            project=self.project,
            q=self.q,
            active=self.active,
        )


class WarningOut(RowSchema):
    id: int
    project: int = Field(description="项目 id")
    project_name: str
    region: str = Field(description="项目所属区域的区划代码")
    rule: Rule
    rule_label: str
    color: Color
    message: str = Field(description="预警原因（按请求的语言生成）")
    facts: dict[str, Any] = Field(
        description='预警依据：规则算出的数字和日期，每个值带类型，如 {"t": "decimal", "v": "1000.00"}'
    )
    since: date = Field(description="预警起始日期")
    is_active: bool
    cleared_at: datetime | None

    @staticmethod
    def resolve_project(w: ProjectWarning) -> int:
        return w.project_id

    @staticmethod
    def resolve_project_name(w: ProjectWarning) -> str:
        return w.project.name

    @staticmethod
    def resolve_region(w: ProjectWarning) -> str:
        return w.project.region.code

    @staticmethod
    def resolve_facts(w: ProjectWarning) -> dict[str, Any]:
        return w.facts.get("v", {}) if w.facts.get("t") == "map" else {}

    @staticmethod
    def resolve_rule_label(w: ProjectWarning) -> str:
        return str(w.get_rule_display())


class WarningRulesIn(Schema):
    model_config = ConfigDict(extra="forbid")

    start_red_months: int | None = Field(None, ge=0, le=120, description="计划开工未开工转红灯（月）")
    investment_yellow_points: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=1)
    investment_red_points: Decimal | None = Field(None, ge=0, max_digits=5, decimal_places=1)
    statistics_yellow_months: int | None = Field(None, ge=0, le=120)
    statistics_red_months: int | None = Field(None, ge=0, le=120)
    node_red_workdays: int | None = Field(None, ge=0, le=365, description="节点逾期超过几个工作日转红灯")
    report_red_rounds: int | None = Field(None, ge=0, le=24, description="连续几期未报转红灯")
    version: int | None = Field(
        None, description="所依据的版本（GET 返回的 version）；未带 If-Match 时代替它，两者都带时须一致"
    )


class WarningRulesOut(Schema):
    start_red_months: int
    investment_yellow_points: Decimal
    investment_red_points: Decimal
    statistics_yellow_months: int
    statistics_red_months: int
    node_red_workdays: int
    report_red_rounds: int
    version: int
