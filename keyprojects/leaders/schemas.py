"""The leader's page and the task forces as API clients see them."""

from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from keyprojects.core.api import Id

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


class RatesOut(Schema):
    start_rate: Decimal | None = Field(description="开工率（0.718 即 71.8%）；无应开工项目时为 null")
    statistics_rate: Decimal | None = Field(description="纳统率")
    investment_rate: Decimal | None = Field(description="投资完成率")
    time_progress: Decimal = Field(description="序时进度")


class LedProjectOut(Schema):
    id: int
    name: str
    region: str = Field(alias="region.code")
    stage: str
    annual_investment: Decimal


class LeaderBlockerOut(Schema):
    id: int
    project: int = Field(alias="project_id")
    project_name: str = Field(alias="project.name")
    category: str
    status: str
    level: str
    deadline: str | None = None
    instruction_pending: bool

    @staticmethod
    def resolve_deadline(obj: object) -> str | None:
        deadline = getattr(obj, "deadline", None)
        return deadline.isoformat() if deadline else None


class LeaderWarningOut(Schema):
    project: int = Field(alias="project_id")
    rule: str
    color: str
    message: str


class LeaderOut(Schema):
    """A 包保 leader's page: its projects (the first 50), escalated blockers, pending instructions,
    warnings and the rates of its projects."""

    project_count: int
    projects: list[LedProjectOut]
    escalated: list[LeaderBlockerOut]
    instructions: list[LeaderBlockerOut]
    warnings: list[LeaderWarningOut]
    red: int
    yellow: int
    rates: RatesOut


class TaskForceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Name = Field(description="专班名称")
    lead_organization: Id = Field(description="牵头单位（机构 id）")
    members: list[Id] = Field(default_factory=list, description="成员（用户 id）")
    projects: list[Id] = Field(default_factory=list, description="项目 id")


class MemberIn(Schema):
    model_config = ConfigDict(extra="forbid")

    user: Id = Field(description="用户 id")


class TaskForceProjectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project: Id = Field(description="项目 id")


class MemberOut(Schema):
    id: int
    name: str = Field(alias="display_name")
    organization: int | None = Field(alias="organization_id")
    role: str


class TaskForceOut(Schema):
    id: int
    name: str
    lead_organization: int = Field(alias="lead_organization_id")
    lead_organization_name: str = Field(alias="lead_organization.name")
    members: list[MemberOut]
    projects: list[int]

    @staticmethod
    def resolve_members(obj: object) -> list:
        return list(obj.members.all())  # type: ignore[attr-defined]

    @staticmethod
    def resolve_projects(obj: object) -> list[int]:
        return [p.pk for p in obj.projects.all()]  # type: ignore[attr-defined]


class TaskForceSummaryOut(Schema):
    id: int
    name: str
    lead_organization: int = Field(alias="lead_organization_id")
    lead_organization_name: str = Field(alias="lead_organization.name")
    member_count: int
    project_count: int
