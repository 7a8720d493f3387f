"""Blockers as API clients see them: the names of the issue that clients are written against."""

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from keyprojects.core.api import Id, Pagination
from keyprojects.projects.schemas import SEARCH_HELP, SearchQuery

from .models import Category, DecisionStatus, Level, Rating, Status

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
ActionName = Literal["accept", "return", "assign", "answer", "resolve", "rate", "escalate", "instruct"]


class BlockerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project: Id = Field(description="项目 id")
    category: Category = Field(description="问题类别")
    description: Text = Field(description="问题描述")
    request: Text = Field("", description="诉求")
    report: Id | None = Field(None, description="来源月报 id（从月报“存在问题”一键反映）")


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: ActionName
    text: Text = Field("", description="说明：退回理由、进展、办结情况、评价意见、提级理由或批示")
    department: Id | None = Field(None, description="交办的责任单位（职能部门 id）")
    co_departments: list[Id] = Field(default_factory=list, description="协办单位 id")
    deadline_workdays: int | None = Field(None, ge=1, le=250, description="办理时限（工作日），缺省按类别")
    rating: Rating | None = Field(None, description="评价")


class BlockerEventOut(Schema):
    kind: str
    label: str
    actor: str | None
    organization: str | None
    at: datetime.datetime
    text: str
    values: dict[str, str] = Field(description="本环节设定的值（文字）")


class BlockerOut(Schema):
    id: int
    project: int
    project_name: str
    region: str
    category: Category
    description: str
    request: str
    status: Status
    level: Level
    department: int | None
    department_name: str | None
    deadline: datetime.date | None
    overdue: bool
    rating: Rating | None
    raised_at: datetime.datetime
    report: int | None


class BlockerDetailOut(BlockerOut):
    co_departments: list[int]
    deadline_workdays: int | None
    instruction_pending: bool
    actions: list[str] = Field(description="当前用户现在可执行的操作")
    events: list[BlockerEventOut]


class PagedBlockerOut(Pagination.Output):
    items: list[BlockerOut]


class BlockerFilter(Schema):
    project: Id | None = None
    status: Status | None = None
    department: Id | None = None
    region: str | None = Field(None, max_length=12, description="区划代码（含下级）")
    overdue: bool | None = None
    q: SearchQuery | None = Field(None, description=SEARCH_HELP)


class InboxRowOut(BlockerOut):
    urgency: Literal["overdue", "due_soon", "new", ""] = Field(description="紧急程度：已逾期、临期、新交办")
    co_handling: bool = Field(description="本单位为协办单位")
    instruction_pending: bool


class PagedInboxOut(Pagination.Output):
    items: list[InboxRowOut]


class FigureOut(Schema):
    name: str
    raised: int = Field(description="反映")
    resolved: int = Field(description="办结")
    on_time: int = Field(description="按期办结")
    average_workdays: float | None = Field(description="平均办理工作日")
    satisfaction: float | None = Field(description="满意率（%，满意和基本满意占已评价）")


class FiguresOut(Schema):
    department: list[FigureOut] = Field(description="按责任单位")
    county: list[FigureOut] = Field(description="按县（市、区）")
    category: list[FigureOut] = Field(description="按问题类别")


class BlockerSettingsOut(Schema):
    deadline_workdays: dict[Category, int] = Field(description="各类问题默认办理时限（工作日）")
    due_soon_workdays: int
    escalate_after_workdays: int
    ladder: list[Level] = Field(description="提级顺序，始于县级")
    version: int


class BlockerSettingsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    deadline_workdays: dict[Category, int] = Field(description="每一类问题的默认办理时限（工作日）")
    due_soon_workdays: int
    escalate_after_workdays: int
    ladder: list[Level] = Field(description="county 在前，其后可有 city、leader（按此顺序）")


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)]
    held_on: datetime.date
    place: Annotated[str, StringConstraints(strip_whitespace=True, max_length=128)] = ""
    chair: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] = ""


class AgendaIn(Schema):
    model_config = ConfigDict(extra="forbid")

    blocker: Id = Field(description="列入议程的问题 id")


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Text = Field(description="议定事项")
    department: Id = Field(description="责任单位（职能部门 id）")
    deadline: datetime.date = Field(description="完成时限")
    blocker: Id | None = Field(None, description="对应的议程问题 id")


class DecisionDoneIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: Text = Field(description="落实情况")


class DecisionOut(Schema):
    id: int
    meeting: int
    meeting_title: str
    text: str
    department: int
    department_name: str
    deadline: datetime.date
    overdue: bool
    status: DecisionStatus
    done_on: datetime.date | None
    done_note: str
    blocker: int | None


class AgendaItemOut(Schema):
    blocker: int
    project_name: str
    category: Category
    description: str
    status: Status
    department_name: str | None


class MeetingOut(Schema):
    id: int
    title: str
    held_on: datetime.date
    place: str
    chair: str


class MeetingDetailOut(MeetingOut):
    agenda: list[AgendaItemOut]
    decisions: list[DecisionOut]


class DecisionFilter(Schema):
    status: DecisionStatus | None = None
    meeting: Id | None = None
