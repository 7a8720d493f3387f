"""Blockers as API clients see them: the names of the issue that clients are written against."""

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from keyprojects.core.api import Id, Pagination

from .models import Category, Level, Rating, Status

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
ActionName = Literal["accept", "return", "assign", "answer", "resolve", "rate", "escalate", "instruct"]


class BlockerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    project: Id = Field(description="项目 id")
    category: Category = Field(description="问题类别")
    description: Text = Field(description="问题描述")
    request: Text = Field("", description="诉求")
    report: Id | None = Field(None, description="来源月报 id(从月报“存在问题”一键反映)")


class ActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: ActionName
    text: Text = Field("", description="说明:退回理由、进展、办结情况、评价意见、提级理由或批示")
    department: Id | None = Field(None, description="交办的责任单位(职能部门 id)")
    co_departments: list[Id] = Field(default_factory=list, description="协办单位 id")
    deadline_workdays: int | None = Field(None, ge=1, le=250, description="办理时限(工作日),缺省按类别")
    rating: Rating | None = Field(None, description="评价")


class BlockerEventOut(Schema):
    kind: str
    label: str
    actor: str | None
    organization: str | None
    at: datetime.datetime
    text: str
    values: dict[str, str] = Field(description="本环节设定的值(文字)")


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
    region: str | None = Field(None, max_length=12, description="区划代码(含下级)")
    overdue: bool | None = None
