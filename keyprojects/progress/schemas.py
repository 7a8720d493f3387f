"""Dispatch rounds and monthly reports as API clients see them. Money is in 万元 as decimal strings;
a month is written "2024-03"."""

import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from keyprojects.core.api import Date, Id, Offset, Year
from keyprojects.core.rows import Row, RowSchema
from keyprojects.projects.schemas import SEARCH_HELP, SearchQuery

from .models import MonthlyReport, ReportEvent, ReportEventKind, ReportPhoto, ReportStatus

Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Month = Annotated[str, StringConstraints(pattern=r"^(19\d\d|20\d\d|2100)-(0[1-9]|1[0-2])$")]
Text = Annotated[str, StringConstraints(max_length=4000)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]


def parse_month(value: str) -> datetime.date:
    year, month = value.split("-")
    return datetime.date(int(year), int(month), 1)


class ReportFieldsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    construction: Amount = Field(description="建筑工程（万元）")
    installation: Amount = Field(description="安装工程（万元）")
    equipment: Amount = Field(description="设备工器具购置（万元）")
    other: Amount = Field(description="其他费用（万元）")
    total: Amount | None = Field(None, description="本月完成投资；可不传，传了须等于四项之和")
    progress_text: Text = Field(description="形象进度")
    problems: Text = Field("", description="存在问题及困难")
    workers: Annotated[int, Field(ge=0, le=1_000_000)] = Field(0, description="在岗工人数")
    override_reason: Reason = Field("", description="自开工累计超过总投资时的说明")


class ReportIn(ReportFieldsIn):
    month: Month = Field(description="报告月份，如 2024-03")


class CorrectionIn(ReportFieldsIn):
    reason: Reason = Field(description="更正原因（必填）")


class ReviewIn(Schema):
    model_config = ConfigDict(extra="forbid")

    decision: Literal["accept", "return"] = Field(description="accept 通过；return 退回")
    reason: Reason = Field("", description="退回原因（退回时必填）")


class BatchAcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reports: Annotated[list[Id], Field(min_length=1, max_length=100)] = Field(description="要通过的报告 id")
    reason: Reason = Field("", description="审核意见（可不填）")


class RefusalOut(Schema):
    report: int
    message: str = Field(description="未通过的原因")


class BatchAcceptOut(Schema):
    accepted: list[int] = Field(description="已通过的报告 id")
    refused: list[RefusalOut] = Field(description="未能通过的报告及原因（其余照常通过）")


class ReportEventOut(Schema):
    kind: ReportEventKind
    kind_label: str
    reason: str
    actor: str | None
    created_at: datetime.datetime
    figures: dict[str, Any] | None = Field(
        description='提交、重新提交、更正时的填报数字（每个值带类型，如 {"t": "decimal", "v": "800.00"}）；其他步骤为 null'
    )

    @staticmethod
    def resolve_figures(obj: ReportEvent) -> dict[str, Any] | None:
        return obj.figures["v"] if obj.figures else None

    @staticmethod
    def resolve_kind_label(obj: ReportEvent) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_actor(obj: ReportEvent) -> str | None:
        return obj.actor.display_name if obj.actor else None


class PhotoOut(Schema):
    id: int
    url: str
    taken_at: datetime.datetime | None = Field(description="拍摄时间（取自照片EXIF）")
    size: int
    uploaded_at: datetime.datetime

    @staticmethod
    def resolve_url(obj: ReportPhoto) -> str:
        return reverse("progress:photo", args=[obj.pk])


class ReportOut(RowSchema):
    id: int
    project: int
    project_name: str
    round: int = Field(description="调度期 id")
    round_title: str
    month: str = Field(description="报告月份，如 2024-03")
    version: int = Field(description="版本：1 为首报，更正后递增（更正是新的一份报告，有自己的 id）")
    revision: int = Field(
        description="修订号：提交后为1，此后每次退回、重新提交、通过都加1。即响应头 ETag 的值，"
        '修改被退回的报告时放在 If-Match 中，如 If-Match: "2"'
    )
    is_current: bool
    supersedes: int | None = Field(description="被本版本更正的报告 id")
    status: ReportStatus
    status_label: str
    construction: Decimal
    installation: Decimal
    equipment: Decimal
    other: Decimal
    total: Decimal = Field(description="本月完成投资（万元），四项之和")
    year_to_date: Decimal = Field(description="当年累计完成投资（万元）")
    since_start: Decimal = Field(description="自开工累计完成投资（万元）")
    plan_rate: Decimal | None = Field(description="年度计划完成率（当年累计÷年度计划投资）")
    progress_text: str
    problems: str
    workers: int
    override_reason: str
    correction_reason: str
    return_reason: str
    filled_on_behalf: bool
    late: bool = Field(description="首次提交晚于填报截止日")
    submitted_by: str
    submitted_at: datetime.datetime
    reviewed_by: str | None
    reviewed_at: datetime.datetime | None


def report_row(values: dict[str, Any]) -> Row:
    """A report as `ReportOut` names its fields, from its values and figures (`selectors.report_rows`)."""
    return Row(
        id=values["id"],
        project=values["project_id"],
        project_name=values["project__name"],
        round=values["dispatch_round_id"],
        round_title=values["dispatch_round__title"],
        month=values["month"].strftime("%Y-%m"),
        version=values["version"],
        revision=values["revision"],
        is_current=values["is_current"],
        supersedes=values["supersedes_id"],
        status=values["status"],
        status_label=str(MonthlyReport.Status(values["status"]).label),
        **{name: values[name] for name in LISTED_AS_KEPT},
        submitted_by=values["submitted_by__full_name"] or values["submitted_by__username"],
        reviewed_by=values["reviewed_by__full_name"] or values["reviewed_by__username"],
    )


# The report's own fields and figures that the API answers as they are read.
LISTED_AS_KEPT = (
    "construction",
    "installation",
    "equipment",
    "other",
    "total",
    "year_to_date",
    "since_start",
    "plan_rate",
    "progress_text",
    "problems",
    "workers",
    "override_reason",
    "correction_reason",
    "return_reason",
    "filled_on_behalf",
    "late",
    "submitted_at",
    "reviewed_at",
)


class FigureChangeOut(Schema):
    field: str
    label: str
    returned: str = Field(description="退回时的值")
    now: str = Field(description="重新提交的值")


class ReportDetailOut(ReportOut):
    events: list[ReportEventOut]
    photos: list[PhotoOut]
    changes_since_return: list[FigureChangeOut] = Field(
        description="重新提交的报告与其被退回时相比改动的数字（未被退回过则为空）"
    )


class ReportListOut(Schema):
    items: list[ReportOut]
    count: int


class ReportFilter(Schema):
    status: ReportStatus | None = None
    month: Month | None = None
    round: Id | None = Field(None, description="调度期 id")
    q: SearchQuery | None = Field(None, description=SEARCH_HELP)
    limit: Annotated[int, Field(ge=1, le=500)] = 50
    offset: Offset = 0


class RoundIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: Year
    month: Annotated[int, Field(ge=1, le=12)]
    opens_on: Date = Field(description="填报开始日期")
    closes_on: Date = Field(description="填报截止日期")
    county_may_fill: bool = Field(False, description="允许县级代项目单位填报")
    project_ids: list[Id] | None = Field(None, description="调度项目；不传则为该年度调度库中未退出的全部项目")


class RoundOut(Schema):
    id: int
    year: int
    month: int
    title: str = Field(description="期号")
    opens_on: datetime.date
    closes_on: datetime.date
    county_may_fill: bool
    project_count: int = Field(description="本期中您可见的项目数")


class RoundProjectOut(Schema):
    id: int
    name: str


class RoundRegionOut(Schema):
    region: str = Field(description="区划代码")
    region_name: str
    projects: int
    reported: int
    accepted: int
    missing: list[RoundProjectOut] = Field(description="未报：在本期中而没有报告的项目")
    late: list[RoundProjectOut] = Field(description="迟报：首次提交晚于截止日的项目")


class RoundDetailOut(RoundOut):
    regions: list[RoundRegionOut]
