"""Supervision notices as API clients see them."""

import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from keyprojects.core.api import Date, Id, Pagination
from keyprojects.projects.schemas import SEARCH_HELP, SearchQuery

from .models import NoticeSource, NoticeStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class NoticeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    source: NoticeSource = Field(
        description="督办来源：warning（红灯预警）、blocker（逾期问题）、decision（会议议定事项）"
    )
    source_id: Id = Field(description="来源记录 id")
    subject: Text = Field(description="督办事项")
    receiver: Id | None = Field(
        None, description="督办对象（县级发改部门或职能部门 id），缺省为来源指向的单位"
    )
    deadline_workdays: int | None = Field(None, ge=1, le=120, description="办理时限（工作日）")
    deadline: Date | None = Field(None, description="答复期限（与工作日数二选一）")


class NoticeActionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    action: Literal["answer", "accept", "return"]
    text: Text = Field("", description="答复内容、审核意见或退回理由")


class NoticeEventOut(Schema):
    kind: str
    label: str
    actor: str | None
    organization: str | None
    at: datetime.datetime
    text: str
    values: dict[str, str] = Field(description="本环节设定的值（文字）")


class NoticeOut(Schema):
    id: int
    source: NoticeSource
    warning: int | None
    blocker: int | None
    decision: int | None
    project: int | None
    project_name: str | None
    receiver: int
    receiver_name: str
    subject: str
    origin: str
    status: NoticeStatus
    issued_on: datetime.date
    deadline: datetime.date
    deadline_workdays: int | None
    overdue: bool
    answer: str
    answered_on: datetime.date | None
    accepted_on: datetime.date | None


class NoticeDetailOut(NoticeOut):
    actions: list[str] = Field(description="当前用户现在可执行的操作")
    events: list[NoticeEventOut]


class PagedNoticeOut(Pagination.Output):
    items: list[NoticeOut]


class NoticeFilter(Schema):
    status: NoticeStatus | None = None
    source: NoticeSource | None = None
    receiver: Id | None = None
    project: Id | None = None
    overdue: bool | None = None
    q: SearchQuery | None = Field(None, description=SEARCH_HELP)
    inbox: bool = Field(False, description="只看发给本单位、等待答复的（逾期在前）")
