from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from keyprojects.accounts.models import User
from keyprojects.core.api import Id, Pagination

from . import selectors, services
from .models import Channel, Notification
from .schemas import NotificationFilter, NotificationOut, PreferencesIn, PreferencesOut, ReadAllOut

router = Router(tags=["notifications"])


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]  # the API's authentication guarantees one


@router.get("/notifications", response=list[NotificationOut], summary="我的通知（最新在前）")
@paginate(Pagination, max_limit=200)
def notification_list(request: HttpRequest, filters: Query[NotificationFilter]) -> object:
    return selectors.notification_list(user=_user(request), unread_only=filters.unread, kind=filters.kind)


@router.post("/notifications/read-all", response=ReadAllOut, summary="全部标为已读（可只标一类 kind）")
def notification_read_all(request: HttpRequest, kind: str = "") -> dict[str, int]:
    return {"marked": services.notifications_mark_all_read(user=_user(request), kind=kind)}


@router.post("/notifications/{notification_id}/read", response=NotificationOut, summary="标为已读")
def notification_read(request: HttpRequest, notification_id: Id) -> Notification:
    return services.notification_mark_read(user=_user(request), notification_id=notification_id)


def _preferences(user: User) -> dict[str, object]:
    return {
        "kinds": [
            {
                "kind": row.kind.key,
                "label": str(row.kind.label),
                "channels": [c for c in Channel.values if c in row.channels],
            }
            for row in selectors.preferences(user=user)
        ],
        "reachable": selectors.reachable_channels(user=user),
    }


@router.get("/notifications/preferences", response=PreferencesOut, summary="各类通知的发送渠道")
def preferences_get(request: HttpRequest) -> dict[str, object]:
    return _preferences(_user(request))


@router.put("/notifications/preferences", response=PreferencesOut, summary="设置各类通知的发送渠道")
def preferences_put(request: HttpRequest, payload: PreferencesIn) -> dict[str, object]:
    services.preferences_update(user=_user(request), choices=payload.choices)
    return _preferences(_user(request))
