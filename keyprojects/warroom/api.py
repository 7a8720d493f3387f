"""The war room's figures over HTTP: what the dashboard and the wall screen draw."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from keyprojects.accounts.auth import api_user
from keyprojects.core.replicas import lag_tolerant
from keyprojects.projects.permissions import require_project_access

from .body import dashboard_data
from .schemas import DashboardFilter, DashboardOut

router = Router(tags=["warroom"])


@router.get(
    "/dashboard", response=DashboardOut, summary="挂图作战:三率、县区排名、趋势、预警、难点、要素缺口"
)
@lag_tolerant
def dashboard(request: HttpRequest, filters: Query[DashboardFilter]) -> dict[str, Any]:
    user = api_user(request)
    require_project_access(user)
    return dashboard_data(
        user=user, filters=filters.to_filters(), as_of=filters.as_of or timezone.localdate()
    )
