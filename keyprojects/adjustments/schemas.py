"""Change requests as API clients see them: values are JSON (money in 万元 as decimal strings, dates as
YYYY-MM-DD, the level as its code)."""

from datetime import datetime
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from keyprojects.core.api import Date, Id
from keyprojects.projects.models import Level, project_field
from keyprojects.projects.schemas import Money

from .models import ChangeRequest, Status

Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
Post = Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)]


class KeyFiguresIn(Schema):
    """The key figures asked for; only the ones given are changed."""

    model_config = ConfigDict(extra="forbid")

    annual_investment: Money | None = Field(None, description="年度计划投资（万元）")
    total_investment: Money | None = Field(None, description="总投资（万元）")
    level: Level | None = None
    planned_start: Date | None = None
    planned_end: Date | None = None
    leader_name: Name | None = Field(None, description="包保责任领导")
    leader_post: Post | None = Field(None, description="领导职务")


class ChangeRequestIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project: Id = Field(description="项目 id")
    changes: KeyFiguresIn
    reason: Reason = Field(description="调整理由（必填）")


class ChangeDecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = Field("", description="审批意见；不批准时必填")


class ChangeOut(Schema):
    field: str
    label: str
    old: Any = Field(description="申请时项目的数值")
    new: Any = Field(description="申请的数值")


class ChangeRequestOut(Schema):
    id: int
    project: int = Field(alias="project_id")
    project_name: str = Field(alias="project.name")
    status: Status
    changes: list[ChangeOut]
    reason: str
    requested_by: str = Field(alias="requested_by.username")
    requested_at: datetime
    decided_by: str | None = Field(None, alias="decided_by.username")
    decided_at: datetime | None
    decision_reason: str

    @staticmethod
    def resolve_changes(obj: ChangeRequest) -> list[dict[str, Any]]:
        labels = {name: str(project_field(name).verbose_name) for name in (i["field"] for i in obj.changes)}
        return [{**item, "label": labels[item["field"]]} for item in obj.changes]


class ChangeRequestFilter(Schema):
    status: Status | None = None
    project: Id | None = None
