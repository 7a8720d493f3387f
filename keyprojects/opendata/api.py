"""The open data over HTTP: the OC4IDS project package of the projects marked public."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from keyprojects.accounts.auth import api_user
from keyprojects.core.replicas import lag_tolerant
from keyprojects.projects.schemas import ProjectFilter

from .exports import oc4ids_response
from .permissions import require_publish

router = Router(tags=["opendata"])


@router.get(
    "/exports/oc4ids",
    summary="开放数据：OC4IDS 0.9 项目包（仅公开发布的项目；筛选同项目列表）",
    response={200: None},
)
@lag_tolerant
def oc4ids(request: HttpRequest, filters: Query[ProjectFilter]) -> HttpResponse:
    user = api_user(request)
    require_publish(user)
    return oc4ids_response(request, user=user, filters=filters.to_filters())
