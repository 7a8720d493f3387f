import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from keyprojects.core.api import Date

from .models import AuditKind


class AuditFilter(Schema):
    user: str | None = Field(None, max_length=150, description="用户名（登录名）")
    kind: AuditKind | None = None
    since: Date | None = Field(None, description="自该日（含）")
    until: Date | None = Field(None, description="至该日（含）")


class AuditRecordOut(Schema):
    seq: int
    at: datetime.datetime
    kind: AuditKind
    actor_id: int | None
    username: str
    ip: str | None
    city_id: int | None
    object_model: str
    object_pk: str
    object_text: str
    method: str
    path: str
    old: dict[str, Any] | None = Field(description="原值：字段 → 带类型的值（core/history.py）")
    new: dict[str, Any] | None = Field(description="新值：字段 → 带类型的值")
    reason: str
    prev_hash: str
    hash: str
