"""Warnings over HTTP: the same selectors, services and scoping as the pages."""

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router
from ninja.pagination import paginate

from keyprojects.core.api import Id, IfMatch, Pagination, request_version
from keyprojects.core.versions import etag_of, tagged
from keyprojects.projects.permissions import project_access, require_project_access

from . import selectors, services
from .models import WarningRules
from .schemas import WarningFilter, WarningOut, WarningRulesIn, WarningRulesOut

router = Router(tags=["warnings"])


@router.get("/warnings", response=list[WarningOut], summary="预警列表")
@paginate(Pagination, max_limit=500)
def warning_list(request: HttpRequest, filters: Query[WarningFilter]) -> object:
    require_project_access(request.user)  # type: ignore[arg-type]
    rows = selectors.warning_page_rows(user=request.user, filters=filters.to_filters())  # type: ignore[arg-type]
    return rows.then(selectors.WarningRow.api)


@router.get("/projects/{project_id}/warnings", response=list[WarningOut], summary="项目的有效预警")
@paginate(Pagination, max_limit=500)
def project_warning_list(request: HttpRequest, project_id: Id) -> object:
    project = project_access(request.user, project_id)  # type: ignore[arg-type]
    rows = selectors.warning_page_rows(
        user=request.user,  # type: ignore[arg-type]
        filters=selectors.WarningFilters(project=project.pk),
    )
    return rows.then(selectors.WarningRow.api)


@router.get("/warning-rules", response=WarningRulesOut, summary="预警规则（ETag 为版本号）")
def warning_rules(request: HttpRequest, response: HttpResponse) -> WarningRules:
    require_project_access(request.user)  # type: ignore[arg-type]
    rules = WarningRules.for_city(request.user.city_id)  # type: ignore[union-attr]
    tagged(response, etag_of(rules))
    return rules


@router.put("/warning-rules", response=WarningRulesOut, summary="修改预警规则（市重点项目办；须带 If-Match）")
def warning_rules_update(
    request: HttpRequest, payload: WarningRulesIn, response: HttpResponse, if_match: str | None = IfMatch
) -> WarningRules:
    """Takes the body GET answers: its `version` stands in for If-Match when the header is absent."""
    data = payload.model_dump(exclude_none=True)
    version = request_version(if_match, data.pop("version", None))
    rules = services.warning_rules_update(
        user=request.user,  # type: ignore[arg-type]
        data=data,
        version=version,
    )
    tagged(response, etag_of(rules))
    return rules
