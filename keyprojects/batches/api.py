"""Batches over HTTP: the same selector as the batches page."""

from django.http import HttpRequest
from ninja import Query, Router

from keyprojects.accounts.auth import api_user
from keyprojects.projects.permissions import require_project_access

from . import selectors
from .schemas import BatchFilter, BatchOut

router = Router(tags=["batches"])


@router.get("/batches", response=list[BatchOut], summary="集中开工与观摩批次，最近的在前")
def batch_list(request: HttpRequest, filters: Query[BatchFilter]) -> list[selectors.BatchSummary]:
    user = api_user(request)
    require_project_access(user)
    return selectors.batch_list(user=user, kind=filters.kind, region=filters.region)
