from datetime import datetime

from ninja import Field, Schema


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None
    is_read: bool

    @staticmethod
    def resolve_is_read(obj: object) -> bool:
        return getattr(obj, "read_at", None) is not None


class NotificationFilter(Schema):
    unread: bool = Field(False, description="只列未读")
    kind: str = Field("", max_length=32, description="通知类型，见 GET /notifications/preferences")


class ReadAllOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    label: str
    channels: list[str] = Field(description="除站内通知外另行发送的渠道：email、wecom、dingtalk")


class PreferencesOut(Schema):
    kinds: list[PreferenceOut]
    reachable: list[str] = Field(description="当前能送达本人的渠道（已填邮箱、本单位已启用的群机器人）")


class PreferencesIn(Schema):
    choices: dict[str, list[str]] = Field(description="通知类型 → 渠道列表；未列出的类型保持不变")
