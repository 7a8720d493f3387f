from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from .models import ApiToken, Organization, OrganizationKind, Region, RegionKind, User

Username = Annotated[str, StringConstraints(max_length=150)]


class TokenIn(Schema):
    username: Username
    password: Annotated[str, StringConstraints(max_length=128)]
    name: Annotated[str, StringConstraints(max_length=64)] = Field("", description="令牌用途，便于日后识别")
    otp: Annotated[str, StringConstraints(max_length=16)] = Field(
        "", description="已启用两步验证的账号：验证器显示的6位验证码（或一个恢复码）"
    )


class TokenOut(Schema):
    id: int
    token: str
    token_type: Literal["bearer"] = "bearer"


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    expires_at: datetime

    @staticmethod
    def resolve_prefix(obj: ApiToken) -> str:
        return f"{obj.prefix}…"


class RegionOut(Schema):
    id: int
    code: str
    name: str
    kind: RegionKind
    parent: str | None = Field(None, description="上级区划代码")
    is_gb_code: bool

    @staticmethod
    def resolve_parent(obj: Region) -> str | None:
        return obj.parent.code if obj.parent is not None else None


class OrganizationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: OrganizationKind
    region: str = Field(description="所属区划代码")

    @staticmethod
    def resolve_region(obj: Organization) -> str:
        return obj.region.code


class OrganizationFilter(Schema):
    kind: OrganizationKind | None = None


class UserOut(Schema):
    """The signed-in user (`GET /me` adds what the user may do: `projects.schemas.MeOut`)."""

    id: int
    username: str
    full_name: str
    role: str
    role_label: str
    post: str
    organization: OrganizationOut | None

    @staticmethod
    def resolve_role_label(obj: User) -> str:
        return obj.get_role_display()
