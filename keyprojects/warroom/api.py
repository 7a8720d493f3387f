"""The war room's figures over HTTP: what the dashboard and the wall screen draw."""

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Query, Router

from keyprojects.accounts.auth import api_user
from keyprojects.core.api import RENDERER
from keyprojects.core.replicas import lag_tolerant

from .body import dashboard_json
from .permissions import require_view
from .schemas import DashboardFilter, DashboardOut

router = Router(tags=["warroom"])


@router.get(
    "/dashboard", response=DashboardOut, summary="挂图作战：三率、县区排名、趋势、预警、难点、要素缺口"
)
@lag_tolerant
def dashboard(request: HttpRequest, filters: Query[DashboardFilter]) -> HttpResponse:
    """The body is built in the shape of `DashboardOut` (`body.dashboard_body`) and sent as it is: ninja's
    validation of every attribute of every point and row would cost more than the cached answer itself."""
    user = api_user(request)
    require_view(user)
    content = dashboard_json(
        user=user,
        filters=filters.to_filters(),
        as_of=filters.as_of or timezone.localdate(),
        render=lambda body: RENDERER.render(request, body, response_status=200),
    )
    return HttpResponse(content, content_type=f"{RENDERER.media_type}; charset={RENDERER.charset}")
