from datetime import datetime

from ninja import Schema


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
    unread: bool = False


class ReadAllOut(Schema):
    marked: int
