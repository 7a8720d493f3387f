"""The audit trail over HTTP: read only, for the audit administrator alone."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from keyprojects.accounts.auth import api_user
from keyprojects.core.api import Pagination

from .models import AuditRecord
from .permissions import require_audit_reader
from .schemas import AuditFilter, AuditRecordOut
from .selectors import AuditFilters, audit_list

router = Router(tags=["audit"])


@router.get("/audit", response=list[AuditRecordOut], summary="审计记录，最新的在前（仅审计管理员）")
@paginate(Pagination, max_limit=500)
def audit_records(request: HttpRequest, filters: Query[AuditFilter]) -> QuerySet[AuditRecord]:
    require_audit_reader(api_user(request))
    return audit_list(
        AuditFilters(
            person=filters.user or "",
            exact_person=True,
            kind=filters.kind or "",
            since=filters.since,
            until=filters.until,
        )
    )
