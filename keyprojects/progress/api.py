"""Monthly dispatch over HTTP: rounds, reports, review, corrections and photos, through the same
services, selectors and scoping as the pages.

Every answer that carries one report (creating, reading, resubmitting, reviewing, correcting) sends
its `revision` both in the body and as the ETag header; a resubmission names it in If-Match."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import File, Header, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.patch_dict import PatchDict

from keyprojects.accounts.auth import api_user
from keyprojects.accounts.models import User
from keyprojects.core.api import Id, IfMatch, Pagination, if_match_version
from keyprojects.core.idempotency import run_once
from keyprojects.core.rows import Row
from keyprojects.core.versions import tagged, version_tag
from keyprojects.projects.permissions import project_access, require_project_access
from keyprojects.projects.selectors import project_search_q

from . import selectors, services
from .events import changes_since_return
from .models import DispatchRound, MonthlyReport
from .schemas import (
    BatchAcceptIn,
    BatchAcceptOut,
    CorrectionIn,
    PhotoOut,
    ReportDetailOut,
    ReportFieldsIn,
    ReportFilter,
    ReportIn,
    ReportListOut,
    ReportOut,
    ReviewIn,
    RoundDetailOut,
    RoundIn,
    RoundOut,
    parse_month,
    report_row,
)

router = Router(tags=["dispatch"])

FIELD_NAMES = tuple(ReportFieldsIn.model_fields)


def _detail(request: HttpRequest, report_id: Id, response: HttpResponse) -> Row:
    """The report with its history, figures and revision; the revision also goes out as the ETag."""
    report = selectors.report_with_history(report_id, request.user)  # type: ignore[arg-type]
    events = list(report.events.all())
    (row,) = selectors.report_rows(MonthlyReport.objects.filter(pk=report.pk))
    tagged(response, version_tag(row["revision"]))
    return Row(
        report_row(row),
        events=events,
        photos=list(report.photos.all()),
        changes_since_return=changes_since_return(events),
    )


def _counted(user: User, dispatch_round: DispatchRound) -> DispatchRound:
    """The round again, with the count of its projects that the user may see."""
    return selectors.with_project_counts(user, DispatchRound.objects.filter(pk=dispatch_round.pk)).get()


@router.get("/rounds", response=list[RoundOut], summary="调度期列表（我的项目所在的各期）")
@paginate(Pagination, max_limit=500)
def round_list(request: HttpRequest) -> object:
    require_project_access(request.user)  # type: ignore[arg-type]
    user = api_user(request)
    return selectors.with_project_counts(user, selectors.visible_rounds(user))


@router.post("/rounds", response={201: RoundOut}, summary="开启调度期（市重点项目办）")
def round_create(request: HttpRequest, payload: RoundIn) -> Status[DispatchRound]:
    user = api_user(request)
    dispatch_round = services.round_open(user=user, **payload.model_dump())
    return Status(201, _counted(user, dispatch_round))


@router.get("/rounds/{round_id}", response=RoundDetailOut, summary="调度期详情：各县（市、区）未报、迟报")
def round_detail(request: HttpRequest, round_id: Id) -> DispatchRound:
    user = api_user(request)
    dispatch_round = _counted(user, selectors.round_access(user, round_id))
    entries = selectors.round_entries(request.user, dispatch_round)  # type: ignore[arg-type]
    dispatch_round.regions = [  # type: ignore[attr-defined]
        {
            "region": summary.region.code,
            "region_name": summary.region.name,
            "projects": len(summary.entries),
            "reported": summary.reported,
            "accepted": summary.accepted,
            "missing": [e.project for e in summary.missing],
            "late": [e.project for e in summary.late],
        }
        for summary in selectors.round_summary(entries)
    ]
    return dispatch_round


@router.get("/projects/{project_id}/reports", response=ReportListOut, summary="项目的月度报告（含各版本）")
def project_report_list(request: HttpRequest, project_id: Id) -> dict[str, Any]:
    project = project_access(request.user, project_id)  # type: ignore[arg-type]
    items = [report_row(row) for row in selectors.report_rows(selectors.project_reports(project))]
    return {"items": items, "count": len(items)}


@router.post(
    "/projects/{project_id}/reports",
    response={201: ReportOut},
    summary="填报月度报告（可带 Idempotency-Key）",
)
def report_create(
    request: HttpRequest,
    project_id: Id,
    payload: ReportIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> JsonResponse:
    data = payload.model_dump()

    def submit() -> tuple[int, dict[str, Any]]:
        fields = {k: v for k, v in data.items() if k != "month"}
        report = services.report_submit(
            user=request.user,  # type: ignore[arg-type]
            project_id=project_id,
            month=parse_month(data["month"]),
            **fields,
        )
        (row,) = selectors.report_rows(MonthlyReport.objects.filter(pk=report.pk))
        return 201, ReportOut.model_validate(report_row(row)).model_dump(mode="json")

    answer = run_once(
        user=request.user,  # type: ignore[arg-type]
        scope="reports:create",
        key=idempotency_key,
        payload={"project": project_id, **data},
        action=submit,
    )
    # The body is already the JSON of a ReportOut (first answer or replay): sent as it is.
    response = JsonResponse(answer.body, status=answer.status)
    tagged(response, version_tag(answer.body["revision"]))
    return response


@router.get("/reports", response=ReportListOut, summary="我可见的月度报告（可按状态、月份、调度期筛选）")
def report_list(request: HttpRequest, filters: Query[ReportFilter]) -> dict[str, Any]:
    require_project_access(request.user)  # type: ignore[arg-type]
    reports = selectors.visible_reports(request.user)  # type: ignore[arg-type]
    if filters.status:
        reports = reports.filter(status=filters.status)
    if filters.month:
        reports = reports.filter(month=parse_month(filters.month))
    if filters.round:
        reports = reports.filter(dispatch_round_id=filters.round)
    reports = reports.filter(project_search_q(filters.q, field="project"))
    reports = reports.order_by("-month", "project_id", "-version")
    rows = selectors.report_rows(reports)
    return {
        "items": [report_row(row) for row in rows[filters.offset : filters.offset + filters.limit]],
        "count": reports.count(),
    }


@router.post(
    "/reports/accept", response=BatchAcceptOut, summary="批量通过：每份报告仍按审核规则检查，未通过的列出原因"
)
def reports_accept(request: HttpRequest, payload: BatchAcceptIn) -> dict[str, Any]:
    result = services.reports_accept(user=request.user, report_ids=payload.reports, reason=payload.reason)  # type: ignore[arg-type]
    return {
        "accepted": [report.pk for report in result.accepted],
        "refused": [{"report": r.report_id, "message": r.message} for r in result.refused],
    }


@router.get(
    "/reports/{report_id}", response=ReportDetailOut, summary="月度报告详情（含审核记录和照片；ETag）"
)
def report_detail(request: HttpRequest, report_id: Id, response: HttpResponse) -> Row:
    return _detail(request, report_id, response)


@router.patch(
    "/reports/{report_id}", response=ReportDetailOut, summary="修改被退回的报告并重新提交（须带 If-Match）"
)
def report_resubmit(
    request: HttpRequest,
    report_id: Id,
    payload: PatchDict[ReportFieldsIn],
    response: HttpResponse,
    if_match: str | None = IfMatch,
) -> Row:
    current = selectors.report_access(request.user, report_id)  # type: ignore[arg-type]
    fields = {name: getattr(current, name) for name in FIELD_NAMES if name != "total"}
    services.report_resubmit(
        user=request.user,  # type: ignore[arg-type]
        report_id=report_id,
        revision=if_match_version(if_match),
        **{**fields, **payload},
    )
    return _detail(request, report_id, response)


@router.post(
    "/reports/{report_id}/review", response=ReportDetailOut, summary="审核：通过或退回（退回须说明原因）"
)
def report_review(request: HttpRequest, report_id: Id, payload: ReviewIn, response: HttpResponse) -> Row:
    services.report_review(user=request.user, report_id=report_id, **payload.model_dump())  # type: ignore[arg-type]
    return _detail(request, report_id, response)


@router.post(
    "/reports/{report_id}/corrections",
    response={201: ReportDetailOut},
    summary="更正已通过的报告（新版本，须说明原因）",
)
def report_correct(
    request: HttpRequest, report_id: Id, payload: CorrectionIn, response: HttpResponse
) -> Status[Row]:
    correction = services.report_correct(
        user=request.user,  # type: ignore[arg-type]
        report_id=report_id,
        **payload.model_dump(),
    )
    return Status(201, _detail(request, correction.pk, response))


@router.post(
    "/reports/{report_id}/photos",
    response={201: list[PhotoOut]},
    summary="上传现场照片（multipart，字段 photos）",
)
def report_photos(request: HttpRequest, report_id: Id, photos: File[list[UploadedFile]]) -> Status[list[Any]]:
    added = services.report_photos_add(user=request.user, report_id=report_id, photos=photos)  # type: ignore[arg-type]
    return Status(201, added)
