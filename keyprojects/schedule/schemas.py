"""Templates, plans and plan nodes as API clients see them. Dates are ISO dates; a node's `status` is
computed on every read (done / overdue / due_soon / on_time), never stored."""

from datetime import date
from typing import Annotated

from django.urls import reverse
from ninja import Schema
from pydantic import Field, StringConstraints

from keyprojects.core.api import Date, Id
from keyprojects.core.rows import RowSchema
from keyprojects.projects.models import ApprovalType
from keyprojects.projects.schemas import SEARCH_HELP, SearchQuery

from .models import NodeCode, NodeTemplate, PlanNode, TemplateKind, TemplateNode
from .selectors import NodeStatus
from .services import MAX_OFFSET_DAYS

Offset = Annotated[
    int, Field(ge=-MAX_OFFSET_DAYS, le=MAX_OFFSET_DAYS, description="相对计划开工（或竣工）的天数")
]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]


class TemplateNodeIn(Schema):
    code: NodeCode
    name: ShortText = Field("", description="留空则用节点的标准名称")
    offset_days: Offset = 0
    relative_to_end: bool = Field(False, description="true 表示相对计划竣工时间")
    department: Id | None = Field(None, description="默认责任部门（机构 id）")


class TemplateNodeOut(Schema):
    order: int
    code: NodeCode
    name: str
    offset_days: int
    relative_to_end: bool
    department: int | None = Field(description="默认责任部门（机构 id）")
    department_name: str | None

    @staticmethod
    def resolve_department(obj: TemplateNode) -> int | None:
        return obj.department_id

    @staticmethod
    def resolve_department_name(obj: TemplateNode) -> str | None:
        return obj.department.name if obj.department else None


class TemplateIn(Schema):
    name: ShortText
    approval_type: ApprovalType
    kind: TemplateKind
    is_active: bool = True
    nodes: list[TemplateNodeIn]


class TemplateUpdate(Schema):
    name: ShortText = ""
    is_active: bool = True
    nodes: list[TemplateNodeIn] = Field([], description="节点按此顺序整体替换")


class TemplateOut(Schema):
    id: int
    name: str
    approval_type: ApprovalType
    kind: TemplateKind
    is_active: bool
    version: int
    nodes: list[TemplateNodeOut]

    @staticmethod
    def resolve_nodes(obj: NodeTemplate) -> list[TemplateNode]:
        return list(obj.nodes.all())


class PlanNodeOut(RowSchema):
    id: int
    project: int
    project_name: str
    region: str = Field(description="项目所属区域的区划代码")
    order: int
    code: NodeCode
    name: str
    planned_date: date
    actual_date: date | None
    status: NodeStatus = Field(description="done 已完成 · overdue 已逾期 · due_soon 临期 · on_time 正常")
    department: int | None = Field(description="责任部门（机构 id）")
    department_name: str | None
    evidence_number: str
    evidence_file: str | None = Field(description="证明材料的下载地址")
    remarks: str
    version: int

    @staticmethod
    def resolve_project(obj: PlanNode) -> int:
        return obj.project_id

    @staticmethod
    def resolve_project_name(obj: PlanNode) -> str:
        return obj.project.name

    @staticmethod
    def resolve_region(obj: PlanNode) -> str:
        return obj.project.region.code

    @staticmethod
    def resolve_department(obj: PlanNode) -> int | None:
        return obj.department_id

    @staticmethod
    def resolve_department_name(obj: PlanNode) -> str | None:
        return obj.department.name if obj.department else None

    @staticmethod
    def resolve_evidence_file(obj: PlanNode) -> str | None:
        return reverse("schedule:evidence", args=[obj.pk]) if obj.evidence_file else None


class PlanOut(Schema):
    project: int
    due_soon_until: date = Field(description="计划完成时间不晚于此日的未完成节点为临期")
    calendar_known: bool = Field(description="false 表示相关年度缺少法定节假日数据，按周一至周五计算")
    nodes: list[PlanNodeOut]


class PlanCreateIn(Schema):
    template: Id | None = Field(None, description="模板 id；不填则按项目的立项类型和项目类别选择")


class PlanNodeUpdate(Schema):
    """Only the fields sent are changed. The city office and the county office set every field (a new
    `planned_date` needs a `reason`); the assigned department, and the owner on nodes without a
    department, send only `actual_date`, `evidence_number` and `remarks`."""

    planned_date: Date = None  # type: ignore[assignment]
    actual_date: Date | None = None
    department: Id | None = Field(None, description="责任部门（机构 id）")
    evidence_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)] = ""
    remarks: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = ""
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)] = Field(
        "", description="调整原因（修改 planned_date 时必填），记入节点变更记录"
    )


class PlanNodeFilter(Schema):
    mine: bool = Field(False, description="只看分配给本单位的节点（部门待办）")
    department: Id | None = None
    project: Id | None = None
    status: NodeStatus | None = None
    open: bool | None = Field(None, description="true 只看未完成的节点")
    q: SearchQuery | None = Field(None, description=SEARCH_HELP)


class ScheduleSettingsOut(Schema):
    due_soon_workdays: int
    version: int


class ScheduleSettingsIn(Schema):
    due_soon_workdays: int = Field(ge=0, le=60)
