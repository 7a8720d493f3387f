from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from keyprojects.core.api import Id, Pagination

from . import selectors, services
from .models import Notification
from .schemas import NotificationFilter, NotificationOut, ReadAllOut

router = Router(tags=["notifications"])


@router.get("/notifications", response=list[NotificationOut], summary="我的通知(最新在前)")
@paginate(Pagination, max_limit=200)
def notification_list(request: HttpRequest, filters: Query[NotificationFilter]) -> object:
    return selectors.notification_list(user=request.user, unread_only=filters.unread)  # type: ignore[arg-type]


@router.post("/notifications/read-all", response=ReadAllOut, summary="全部标为已读")
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notifications_mark_all_read(user=request.user)}  # type: ignore[arg-type]


@router.post("/notifications/{notification_id}/read", response=NotificationOut, summary="标为已读")
def notification_read(request: HttpRequest, notification_id: Id) -> Notification:
    return services.notification_mark_read(user=request.user, notification_id=notification_id)  # type: ignore[arg-type]
