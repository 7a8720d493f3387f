"""Every role against every page and endpoint, with what each answer should be worked out from the
access table (`keyprojects.accounts.access`), not written out by hand: a route added to any app
without its line here fails `test_every_route_is_in_the_matrix`, so no app can be left out.

Each route says what it needs:
- ``signed_in``: any signed-in person (their own profile, tokens, notifications);
- ``projects``: a role that reads projects (lists, queues, rates);
- ``read``: the record's project visible to the user (else 404, as if missing);
- ``dictionary``: the city office of a city (its own city's dictionary; else 403);
- an action of the table (``"project.edit"``): on a record, its project visible (else 404) and in the
  scope the user changes, with the action granted (else 403); on no record, the action granted.
Answers are compared by kind: sent to sign in (302 to the login page, 401 in the API), 403, 404, or
let through (any other answer below 500: the page, a redirect after a write, a validation error).
"""

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from PIL import Image
from pypdf import PdfReader

from config.api import api as ninja_api
from keyprojects.accounts.access import may
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.blockers.models import Category
from keyprojects.projects.dictionary import can_edit_dictionary
from keyprojects.projects.models import DictionaryEntry
from keyprojects.projects.permissions import acts_on, has_project_access, visible_projects
from tests.access.roles import EVERY_ROLE
from tests.records import tenant_records


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
PUBLIC = {"", "accounts/login/", "accounts/logout/", "i18n/setlang/"}  # no record, no scope


@dataclass(frozen=True)
class Case:
    needs: str
    url: Callable[[Any], str]
    body: dict | Callable[[Any], dict] | None = None
    on_record: bool = True
    headers: Callable[[Any], dict[str, str]] | None = None
    upload: str = ""  # a multipart form with one image in this field, instead of a JSON body


def _version(record_of: Callable[[Any], Any]) -> Callable[[Any], dict[str, str]]:
    return lambda r: {"If-Match": f'"{record_of(r).version}"'}


def _p(r):
    return r.project.pk


def _entry(r):
    """An entry of the project's city's dictionary (its first category, built in)."""
    return DictionaryEntry.objects.filter(city_id=r.project.city_id).order_by("kind", "position").first().pk


PAGES: dict[str, Case] = {
    "GET accounts/profile/": Case("signed_in", lambda r: "/accounts/profile/", on_record=False),
    "GET accounts/password/": Case("signed_in", lambda r: "/accounts/password/", on_record=False),
    "POST accounts/session/": Case("signed_in", lambda r: "/accounts/session/", body={}, on_record=False),
    "GET accounts/tokens/": Case("signed_in", lambda r: "/accounts/tokens/", on_record=False),
    "POST accounts/tokens/<id:pk>/revoke/": Case(
        "absent", lambda r: "/accounts/tokens/999999/revoke/", body={}, on_record=False
    ),
    "GET accounts/two-factor/": Case("signed_in", lambda r: "/accounts/two-factor/", on_record=False),
    "POST accounts/two-factor/codes/": Case(
        "signed_in", lambda r: "/accounts/two-factor/codes/", body={}, on_record=False
    ),
    "GET accounts/two-factor/verify/": Case(
        "signed_in", lambda r: "/accounts/two-factor/verify/", on_record=False
    ),
    "GET accounts/two-factor/reset/": Case(
        "security.manage", lambda r: "/accounts/two-factor/reset/", on_record=False
    ),
    "GET accounts/two-factor/settings/": Case(
        "settings.edit", lambda r: "/accounts/two-factor/settings/", on_record=False
    ),
    "GET projects/": Case("projects", lambda r: "/projects/", on_record=False),
    "GET projects/new/": Case("project.create", lambda r: "/projects/new/", on_record=False),
    "GET projects/<id:pk>/": Case("read", lambda r: f"/projects/{_p(r)}/"),
    "GET projects/<id:pk>/edit/": Case("project.edit", lambda r: f"/projects/{_p(r)}/edit/"),
    "GET projects/<id:pk>/transition/": Case("project.edit", lambda r: f"/projects/{_p(r)}/transition/"),
    "GET projects/dictionary/": Case("dictionary", lambda r: "/projects/dictionary/", on_record=False),
    "POST projects/dictionary/": Case(
        "dictionary",
        lambda r: "/projects/dictionary/?kind=industry",
        body={"label": "新行业"},
        on_record=False,
    ),
    "POST projects/dictionary/<id:pk>/": Case(
        "dictionary", lambda r: f"/projects/dictionary/{_entry(r)}/", body={"label": "工业"}, on_record=False
    ),
    "POST projects/dictionary/<id:pk>/move/": Case(
        "dictionary", lambda r: f"/projects/dictionary/{_entry(r)}/move/", body={}, on_record=False
    ),
    "POST projects/dictionary/<id:pk>/delete/": Case(
        "dictionary", lambda r: f"/projects/dictionary/{_entry(r)}/delete/", body={}, on_record=False
    ),
    "GET schedule/queue/": Case("projects", lambda r: "/schedule/queue/", on_record=False),
    "POST schedule/projects/<id:project_id>/plan/": Case(
        "project.edit", lambda r: f"/schedule/projects/{_p(r)}/plan/", body={}
    ),
    "GET schedule/nodes/<id:pk>/edit/": Case("node", lambda r: f"/schedule/nodes/{r.node.pk}/edit/"),
    "GET schedule/nodes/<id:pk>/evidence/": Case(
        "absent", lambda r: f"/schedule/nodes/{r.node.pk}/evidence/"
    ),
    "GET schedule/templates/": Case("projects", lambda r: "/schedule/templates/", on_record=False),
    "GET schedule/templates/<id:pk>/": Case(
        "projects", lambda r: f"/schedule/templates/{r.template.pk}/", on_record=False
    ),
    "POST schedule/settings/": Case(
        "settings.edit", lambda r: "/schedule/settings/", body={}, on_record=False
    ),
    "GET progress/": Case("projects", lambda r: "/progress/", on_record=False),
    "GET progress/rounds/": Case("projects", lambda r: "/progress/rounds/", on_record=False),
    "GET progress/rounds/<id:pk>/": Case("read", lambda r: f"/progress/rounds/{r.round.pk}/"),
    "POST progress/rounds/<id:pk>/urge/": Case(
        "report.review", lambda r: f"/progress/rounds/{r.round.pk}/urge/", body={}
    ),
    "GET progress/review/": Case("report.review", lambda r: "/progress/review/", on_record=False),
    "POST progress/review/accept/": Case(
        "report.review",
        lambda r: "/progress/review/accept/",
        body=lambda r: {"reports": [r.report.pk]},
        on_record=False,
    ),
    "GET progress/projects/<id:pk>/<int:year>-<int:month>/": Case(
        "report", lambda r: f"/progress/projects/{_p(r)}/2026-3/"
    ),
    "GET progress/reports/<id:pk>/": Case("read", lambda r: f"/progress/reports/{r.report.pk}/"),
    "GET progress/reports/<id:pk>/edit/": Case("report", lambda r: f"/progress/reports/{r.report.pk}/edit/"),
    "GET progress/reports/<id:pk>/correct/": Case(
        "report", lambda r: f"/progress/reports/{r.report.pk}/correct/"
    ),
    "POST progress/reports/<id:pk>/review/": Case(
        "report.review", lambda r: f"/progress/reports/{r.report.pk}/review/", body={"decision": ""}
    ),
    "GET progress/photos/<id:pk>/": Case("absent", lambda r: "/progress/photos/999999/"),
    "POST progress/projects/<id:pk>/<int:year>-<int:month>/photos/": Case(
        "report", lambda r: f"/progress/projects/{_p(r)}/2026-3/photos/", upload="photo"
    ),
    "GET progress/draft-photos/<id:pk>/": Case("absent", lambda r: "/progress/draft-photos/999999/"),
    "POST progress/draft-photos/<id:pk>/delete/": Case(
        "absent", lambda r: "/progress/draft-photos/999999/delete/", body={}
    ),
    "GET metrics/": Case("projects", lambda r: "/metrics/", on_record=False),
    "GET metrics/export.xlsx": Case("projects", lambda r: "/metrics/export.xlsx", on_record=False),
    "GET metrics/settings/": Case("settings.edit", lambda r: "/metrics/settings/", on_record=False),
    "GET opendata/": Case("opendata.publish", lambda r: "/opendata/", on_record=False),
    "GET opendata/oc4ids.json": Case("opendata.publish", lambda r: "/opendata/oc4ids.json", on_record=False),
    "GET briefings/": Case("projects", lambda r: "/briefings/", on_record=False),
    "GET briefings/briefing.docx": Case("projects", lambda r: "/briefings/briefing.docx", on_record=False),
    "GET briefings/briefing.pdf": Case("projects", lambda r: "/briefings/briefing.pdf", on_record=False),
    "GET metrics/projects/<id:pk>/monthly-plan/": Case(
        "project.edit", lambda r: f"/metrics/projects/{_p(r)}/monthly-plan/"
    ),
    "GET alerts/": Case("projects", lambda r: "/alerts/", on_record=False),
    "GET alerts/supervision.xlsx": Case("projects", lambda r: "/alerts/supervision.xlsx", on_record=False),
    "GET alerts/rules/": Case("settings.edit", lambda r: "/alerts/rules/", on_record=False),
    "GET statistics/": Case("projects", lambda r: "/statistics/", on_record=False),
    "GET statistics/settings/": Case("settings.edit", lambda r: "/statistics/settings/", on_record=False),
    "GET statistics/projects/<id:pk>/": Case("statistics.edit", lambda r: f"/statistics/projects/{_p(r)}/"),
    "POST statistics/projects/<id:pk>/clear/": Case(
        "statistics.edit", lambda r: f"/statistics/projects/{_p(r)}/clear/", body={}
    ),
    "GET adjustments/": Case("change.list", lambda r: "/adjustments/", on_record=False),
    "GET adjustments/new/<id:project_pk>/": Case("change.request", lambda r: f"/adjustments/new/{_p(r)}/"),
    "POST adjustments/<id:pk>/decide/": Case(
        "change.decide", lambda r: f"/adjustments/{r.change.pk}/decide/", body={"decision": "approve"}
    ),
    "GET supervision/": Case("supervision.list", lambda r: "/supervision/", on_record=False),
    "GET supervision/export.xlsx": Case(
        "supervision.list", lambda r: "/supervision/export.xlsx", on_record=False
    ),
    "GET supervision/inbox/": Case("supervision.answer", lambda r: "/supervision/inbox/", on_record=False),
    "GET supervision/new/": Case(
        "supervision.issue", lambda r: f"/supervision/new/?source=warning&id={r.warning.pk}", on_record=False
    ),
    "GET supervision/<id:pk>/": Case("notice", lambda r: f"/supervision/{r.notice.pk}/"),
    "POST supervision/<id:pk>/act/": Case(
        "notice.answer",
        lambda r: f"/supervision/{r.notice.pk}/act/",
        body={"action": "answer", "text": "已整改"},
    ),
    "GET factors/": Case("factor.view", lambda r: "/factors/", on_record=False),
    "GET factors/pools/new/": Case("factor.manage", lambda r: "/factors/pools/new/", on_record=False),
    "GET factors/pools/<id:pk>/": Case(
        "factor.view", lambda r: f"/factors/pools/{r.pool.pk}/", on_record=False
    ),
    "POST factors/pools/<id:pk>/allocate/": Case(
        "factor.allocate",
        lambda r: f"/factors/pools/{r.pool.pk}/allocate/",
        body=lambda r: {"project": _p(r), "amount": "1", "reason": "土地挂牌"},
    ),
    "POST factors/allocations/<id:pk>/release/": Case(
        "factor.allocate",
        lambda r: f"/factors/allocations/{r.allocation.pk}/release/",
        body={"reason": "收回"},
    ),
    "GET factors/projects/<id:project_pk>/demands/new/": Case(
        "factor.demand", lambda r: f"/factors/projects/{_p(r)}/demands/new/"
    ),
    "POST factors/demands/<id:pk>/withdraw/": Case(
        "factor.demand", lambda r: f"/factors/demands/{r.demand.pk}/withdraw/", body={}
    ),
    "GET blockers/": Case("blocker.ledger", lambda r: "/blockers/", on_record=False),
    "GET blockers/export.xlsx": Case("blocker.ledger", lambda r: "/blockers/export.xlsx", on_record=False),
    "GET sheets/import/projects/": Case(
        "project.import", lambda r: "/sheets/import/projects/", on_record=False
    ),
    "GET sheets/import/projects/template.xlsx": Case(
        "project.import", lambda r: "/sheets/import/projects/template.xlsx", on_record=False
    ),
    "GET sheets/import/rounds/<id:pk>/reports/": Case(
        "report", lambda r: f"/sheets/import/rounds/{r.round.pk}/reports/"
    ),
    "GET sheets/import/jobs/<id:pk>/": Case(
        "absent", lambda r: "/sheets/import/jobs/999999/", on_record=False
    ),
    "GET sheets/export/projects.xlsx": Case(
        "projects", lambda r: "/sheets/export/projects.xlsx", on_record=False
    ),
    "GET sheets/export/rounds/<id:pk>/dispatch-sheet.xlsx": Case(
        "read", lambda r: f"/sheets/export/rounds/{r.round.pk}/dispatch-sheet.xlsx"
    ),
    "GET blockers/figures/": Case("blocker.ledger", lambda r: "/blockers/figures/", on_record=False),
    "GET blockers/inbox/": Case("blocker.handle", lambda r: "/blockers/inbox/", on_record=False),
    "GET blockers/settings/": Case("settings.edit", lambda r: "/blockers/settings/", on_record=False),
    "GET blockers/new/<id:project_pk>/": Case("blocker.raise", lambda r: f"/blockers/new/{_p(r)}/"),
    "GET blockers/<id:pk>/": Case("read", lambda r: f"/blockers/{r.blocker.pk}/"),
    "GET blockers/attachments/<id:pk>/": Case("absent", lambda r: "/blockers/attachments/999999/"),
    "POST blockers/<id:pk>/act/": Case(
        "blocker.accept", lambda r: f"/blockers/{r.blocker.pk}/act/", body={"action": "accept"}
    ),
    "GET blockers/meetings/": Case("meeting.manage", lambda r: "/blockers/meetings/", on_record=False),
    "GET blockers/meetings/<id:pk>/": Case(
        "meeting.manage", lambda r: f"/blockers/meetings/{r.meeting.pk}/", on_record=False
    ),
    "POST blockers/meetings/<id:pk>/agenda/": Case(
        "meeting.manage",
        lambda r: f"/blockers/meetings/{r.meeting.pk}/agenda/",
        body=lambda r: {"blocker": r.blocker.pk},
        on_record=False,
    ),
    "POST blockers/meetings/<id:pk>/decisions/": Case(
        "meeting.manage", lambda r: f"/blockers/meetings/{r.meeting.pk}/decisions/", body={}, on_record=False
    ),
    "GET blockers/meetings/<id:pk>/minutes.xlsx": Case(
        "meeting.manage", lambda r: f"/blockers/meetings/{r.meeting.pk}/minutes.xlsx", on_record=False
    ),
    "POST blockers/decisions/<id:pk>/done/": Case(
        "decision",
        lambda r: f"/blockers/decisions/{r.decision.pk}/done/",
        body={"note": "已完成"},
        on_record=False,
    ),
    "GET notifications/": Case("signed_in", lambda r: "/notifications/", on_record=False),
    "GET audit/": Case("audit.read", lambda r: "/audit/", on_record=False),
    "GET audit/export.xlsx": Case("audit.read", lambda r: "/audit/export.xlsx", on_record=False),
    "GET todo/": Case("signed_in", lambda r: "/todo/", on_record=False),
    "GET notifications/bell/": Case("signed_in", lambda r: "/notifications/bell/", on_record=False),
    "POST notifications/read-all/": Case(
        "signed_in", lambda r: "/notifications/read-all/", body={}, on_record=False
    ),
    "POST notifications/<id:pk>/read/": Case(
        "absent", lambda r: "/notifications/999999/read/", body={}, on_record=False
    ),
    "GET notifications/preferences/": Case(
        "signed_in", lambda r: "/notifications/preferences/", on_record=False
    ),
    "GET notifications/channels/": Case("robots.edit", lambda r: "/notifications/channels/", on_record=False),
    "GET leaders/": Case("leader.page", lambda r: "/leaders/", on_record=False),
    "GET leaders/task-forces/": Case("projects", lambda r: "/leaders/task-forces/", on_record=False),
    "GET leaders/task-forces/new/": Case(
        "taskforce.manage", lambda r: "/leaders/task-forces/new/", on_record=False
    ),
    "GET leaders/task-forces/<id:pk>/": Case(
        "task_force", lambda r: f"/leaders/task-forces/{r.task_force.pk}/"
    ),
    "GET leaders/task-forces/<id:pk>/edit/": Case(
        "taskforce.manage", lambda r: f"/leaders/task-forces/{r.task_force.pk}/edit/", on_record=False
    ),
    "GET dashboard/": Case("warroom.view", lambda r: "/dashboard/", on_record=False),
    "GET dashboard/wall/": Case("warroom.view", lambda r: "/dashboard/wall/", on_record=False),
    "GET batches/": Case("projects", lambda r: "/batches/", on_record=False),
    # a batch is the city's event: whoever reads projects sees it, with only the projects it may see
    "GET batches/<id:pk>/": Case("projects", lambda r: f"/batches/{r.batch.pk}/", on_record=False),
    "GET batches/new/": Case("batch.manage", lambda r: "/batches/new/", on_record=False),
    "GET batches/<id:pk>/edit/": Case(
        "batch.manage", lambda r: f"/batches/{r.batch.pk}/edit/", on_record=False
    ),
}


REPORT = {
    "construction": "10",
    "installation": "0",
    "equipment": "0",
    "other": "0",
    "progress_text": "主体施工",
}
API_PUBLIC = {"POST /api/v1/auth/token"}
API: dict[str, Case] = {
    "DELETE /api/v1/auth/token": Case("signed_in", lambda r: "/auth/token", on_record=False),
    "GET /api/v1/auth/tokens": Case("signed_in", lambda r: "/auth/tokens", on_record=False),
    "DELETE /api/v1/auth/tokens/{token_id}": Case("absent", lambda r: "/auth/tokens/999999", on_record=False),
    "GET /api/v1/me": Case("signed_in", lambda r: "/me", on_record=False),
    "GET /api/v1/regions": Case("signed_in", lambda r: "/regions", on_record=False),
    "GET /api/v1/organizations": Case("signed_in", lambda r: "/organizations", on_record=False),
    "GET /api/v1/chains": Case("signed_in", lambda r: "/chains", on_record=False),
    "GET /api/v1/dictionary": Case("projects", lambda r: "/dictionary", on_record=False),
    "GET /api/v1/projects": Case("projects", lambda r: "/projects", on_record=False),
    "POST /api/v1/projects": Case(
        "project.create",
        lambda r: "/projects",
        body={"name": "冠县新建物流园", "region": "371525", "total_investment": "12000", "year": 2026},
        on_record=False,
    ),
    "GET /api/v1/projects/{project_id}": Case("read", lambda r: f"/projects/{_p(r)}"),
    "PATCH /api/v1/projects/{project_id}": Case(
        "project.edit",
        lambda r: f"/projects/{_p(r)}",
        body={"remarks": "已完成土地预审"},
        headers=_version(lambda r: r.project),
    ),
    "POST /api/v1/projects/{project_id}/transitions": Case(
        "project.edit",
        lambda r: f"/projects/{_p(r)}/transitions",
        body={"stage": "completed"},
        headers=_version(lambda r: r.project),
    ),
    "GET /api/v1/projects/{project_id}/history": Case("read", lambda r: f"/projects/{_p(r)}/history"),
    "GET /api/v1/node-templates": Case("projects", lambda r: "/node-templates", on_record=False),
    "POST /api/v1/node-templates": Case(
        "template.edit",
        lambda r: "/node-templates",
        body={"name": "新模板", "approval_type": "approval", "kind": "industrial", "nodes": []},
        on_record=False,
    ),
    "GET /api/v1/node-templates/{template_id}": Case(
        "projects", lambda r: f"/node-templates/{r.template.pk}", on_record=False
    ),
    "PATCH /api/v1/node-templates/{template_id}": Case(
        "template.edit",
        lambda r: f"/node-templates/{r.template.pk}",
        body={"name": "改名"},
        on_record=False,
        headers=_version(lambda r: r.template),
    ),
    "GET /api/v1/projects/{project_id}/plan": Case("read", lambda r: f"/projects/{_p(r)}/plan"),
    "POST /api/v1/projects/{project_id}/plan": Case(
        "project.edit", lambda r: f"/projects/{_p(r)}/plan", body={}
    ),
    "GET /api/v1/plan-nodes": Case("projects", lambda r: "/plan-nodes", on_record=False),
    "GET /api/v1/plan-nodes/{node_id}": Case("read", lambda r: f"/plan-nodes/{r.node.pk}"),
    "PATCH /api/v1/plan-nodes/{node_id}": Case(
        "node",
        lambda r: f"/plan-nodes/{r.node.pk}",
        body={"remarks": "已受理"},
        headers=_version(lambda r: r.node),
    ),
    "POST /api/v1/plan-nodes/{node_id}/evidence": Case(
        "node",
        lambda r: f"/plan-nodes/{r.node.pk}/evidence",
        upload="file",
        headers=_version(lambda r: r.node),
    ),
    "GET /api/v1/plan-settings": Case("projects", lambda r: "/plan-settings", on_record=False),
    "PATCH /api/v1/plan-settings": Case(
        "settings.edit",
        lambda r: "/plan-settings",
        body={"due_soon_workdays": 6},
        on_record=False,
        headers=lambda r: {"If-Match": '"1"'},
    ),
    "GET /api/v1/metrics": Case("projects", lambda r: "/metrics", on_record=False),
    "GET /api/v1/metrics/cities": Case("projects", lambda r: "/metrics/cities", on_record=False),
    "GET /api/v1/exports/oc4ids": Case("opendata.publish", lambda r: "/exports/oc4ids", on_record=False),
    "GET /api/v1/exports/briefing.docx": Case(
        "projects", lambda r: "/exports/briefing.docx", on_record=False
    ),
    "GET /api/v1/exports/briefing.pdf": Case("projects", lambda r: "/exports/briefing.pdf", on_record=False),
    "GET /api/v1/metrics/settings": Case("projects", lambda r: "/metrics/settings", on_record=False),
    "PUT /api/v1/metrics/settings": Case(
        "settings.edit",
        lambda r: "/metrics/settings",
        body={"time_basis": "day", "version": 1},
        on_record=False,
    ),
    "GET /api/v1/projects/{project_id}/monthly-plan": Case(
        "read", lambda r: f"/projects/{_p(r)}/monthly-plan"
    ),
    "PUT /api/v1/projects/{project_id}/monthly-plan": Case(
        "project.edit",
        lambda r: f"/projects/{_p(r)}/monthly-plan",
        body={"year": 2026, "months": [{"month": 1, "amount": "100"}]},
        headers=_version(lambda r: r.project),
    ),
    "GET /api/v1/warnings": Case("projects", lambda r: "/warnings", on_record=False),
    "GET /api/v1/projects/{project_id}/warnings": Case("read", lambda r: f"/projects/{_p(r)}/warnings"),
    "GET /api/v1/warning-rules": Case("projects", lambda r: "/warning-rules", on_record=False),
    "PUT /api/v1/warning-rules": Case(
        "settings.edit",
        lambda r: "/warning-rules",
        body={"start_red_months": 4, "version": 1},
        on_record=False,
    ),
    "GET /api/v1/projects/{project_id}/statistics": Case("read", lambda r: f"/projects/{_p(r)}/statistics"),
    "PUT /api/v1/projects/{project_id}/statistics": Case(
        "statistics.edit",
        lambda r: f"/projects/{_p(r)}/statistics",
        body={"included_on": "2026-03-02"},
        headers=lambda r: {"If-Match": r.etags["statistics"]},
    ),
    "GET /api/v1/statistics": Case("projects", lambda r: "/statistics", on_record=False),
    "GET /api/v1/statistics/summary": Case("projects", lambda r: "/statistics/summary", on_record=False),
    "GET /api/v1/rounds": Case("projects", lambda r: "/rounds", on_record=False),
    "POST /api/v1/rounds": Case(
        "round.open",
        lambda r: "/rounds",
        body={"year": 2026, "month": 5, "opens_on": "2026-05-20", "closes_on": "2026-06-05"},
        on_record=False,
    ),
    "GET /api/v1/rounds/{round_id}": Case("read", lambda r: f"/rounds/{r.round.pk}"),
    "GET /api/v1/projects/{project_id}/reports": Case("read", lambda r: f"/projects/{_p(r)}/reports"),
    "POST /api/v1/projects/{project_id}/reports": Case(
        "report", lambda r: f"/projects/{_p(r)}/reports", body={**REPORT, "month": "2026-03"}
    ),
    "GET /api/v1/reports": Case("projects", lambda r: "/reports", on_record=False),
    "GET /api/v1/reports/{report_id}": Case("read", lambda r: f"/reports/{r.report.pk}"),
    "PATCH /api/v1/reports/{report_id}": Case(
        "report",
        lambda r: f"/reports/{r.report.pk}",
        body={"progress_text": "改"},
        headers=lambda r: {"If-Match": r.etags["report"]},
    ),
    "POST /api/v1/reports/accept": Case(
        "report.review",
        lambda r: "/reports/accept",
        body=lambda r: {"reports": [r.report.pk]},
        on_record=False,
    ),
    "POST /api/v1/reports/{report_id}/review": Case(
        "report.review", lambda r: f"/reports/{r.report.pk}/review", body={"decision": "accept"}
    ),
    "POST /api/v1/reports/{report_id}/corrections": Case(
        "report",
        lambda r: f"/reports/{r.report.pk}/corrections",
        body={**REPORT, "reason": "更正"},
        headers=lambda r: {"If-Match": r.etags["report"]},
    ),
    "POST /api/v1/reports/{report_id}/photos": Case(
        "report", lambda r: f"/reports/{r.report.pk}/photos", upload="photos"
    ),
    "GET /api/v1/notifications": Case("signed_in", lambda r: "/notifications", on_record=False),
    "GET /api/v1/audit": Case("audit.read", lambda r: "/audit", on_record=False),
    "POST /api/v1/notifications/read-all": Case(
        "signed_in", lambda r: "/notifications/read-all", on_record=False
    ),
    "POST /api/v1/notifications/{notification_id}/read": Case(
        "absent", lambda r: "/notifications/999999/read", on_record=False
    ),
    "GET /api/v1/factor-pools": Case("factor.view", lambda r: "/factor-pools", on_record=False),
    "POST /api/v1/factor-pools": Case(
        "factor.manage",
        lambda r: "/factor-pools",
        body={"kind": "energy", "year": 2026, "supply": "5000", "reason": "省下达能耗指标"},
        on_record=False,
    ),
    "GET /api/v1/factor-pools/{pool_id}": Case(
        "factor.view", lambda r: f"/factor-pools/{r.pool.pk}", on_record=False
    ),
    "GET /api/v1/factor-ledger": Case("factor.view", lambda r: "/factor-ledger", on_record=False),
    "GET /api/v1/factor-command-post": Case("factor.view", lambda r: "/factor-command-post", on_record=False),
    "GET /api/v1/factor-demands": Case("projects", lambda r: "/factor-demands", on_record=False),
    "POST /api/v1/factor-demands": Case(
        "factor.demand",
        lambda r: "/factor-demands",
        body=lambda r: {"project": _p(r), "kind": "water", "amount": "12", "needed_by": "2026-09-01"},
    ),
    "DELETE /api/v1/factor-demands/{demand_id}": Case(
        "factor.demand", lambda r: f"/factor-demands/{r.demand.pk}"
    ),
    "GET /api/v1/factor-allocations": Case("projects", lambda r: "/factor-allocations", on_record=False),
    "POST /api/v1/factor-allocations": Case(
        "factor.allocate",
        lambda r: "/factor-allocations",
        body=lambda r: {"pool": r.pool.pk, "project": _p(r), "amount": "1", "reason": "土地挂牌"},
    ),
    "POST /api/v1/factor-allocations/{allocation_id}/release": Case(
        "factor.allocate", lambda r: f"/factor-allocations/{r.allocation.pk}/release", body={"reason": "收回"}
    ),
    "GET /api/v1/notifications/preferences": Case(
        "signed_in", lambda r: "/notifications/preferences", on_record=False
    ),
    "PUT /api/v1/notifications/preferences": Case(
        "signed_in", lambda r: "/notifications/preferences", body={"choices": {}}, on_record=False
    ),
    "GET /api/v1/blockers": Case("projects", lambda r: "/blockers", on_record=False),
    "POST /api/v1/blockers": Case(
        "blocker.raise",
        lambda r: "/blockers",
        body=lambda r: {"project": _p(r), "category": "energy", "description": "能耗指标不足"},
    ),
    "GET /api/v1/blockers/{blocker_id}": Case("read", lambda r: f"/blockers/{r.blocker.pk}"),
    "POST /api/v1/blockers/{blocker_id}/actions": Case(
        "blocker.accept", lambda r: f"/blockers/{r.blocker.pk}/actions", body={"action": "accept"}
    ),
    "GET /api/v1/blocker-inbox": Case("blocker.handle", lambda r: "/blocker-inbox", on_record=False),
    "GET /api/v1/blocker-figures": Case("blocker.ledger", lambda r: "/blocker-figures", on_record=False),
    "GET /api/v1/blocker-settings": Case("projects", lambda r: "/blocker-settings", on_record=False),
    "PUT /api/v1/blocker-settings": Case(
        "settings.edit",
        lambda r: "/blocker-settings",
        body={
            "deadline_workdays": dict.fromkeys(Category.values, 8),
            "due_soon_workdays": 2,
            "escalate_after_workdays": 3,
            "ladder": ["county", "city", "leader"],
        },
        on_record=False,
        headers=lambda r: {"If-Match": '"1"'},
    ),
    "GET /api/v1/blocker-meetings": Case("meeting.manage", lambda r: "/blocker-meetings", on_record=False),
    "POST /api/v1/blocker-meetings": Case(
        "meeting.manage",
        lambda r: "/blocker-meetings",
        body={"title": "第二次调度会", "held_on": "2026-03-09"},
        on_record=False,
    ),
    "GET /api/v1/blocker-meetings/{meeting_id}": Case(
        "meeting.manage", lambda r: f"/blocker-meetings/{r.meeting.pk}", on_record=False
    ),
    "POST /api/v1/blocker-meetings/{meeting_id}/agenda": Case(
        "meeting.manage",
        lambda r: f"/blocker-meetings/{r.meeting.pk}/agenda",
        body=lambda r: {"blocker": r.blocker.pk},
        on_record=False,
    ),
    "POST /api/v1/blocker-meetings/{meeting_id}/decisions": Case(
        "meeting.manage",
        lambda r: f"/blocker-meetings/{r.meeting.pk}/decisions",
        body=lambda r: {"text": "限期完成", "department": r.decision.department_id, "deadline": "2026-04-30"},
        on_record=False,
    ),
    "GET /api/v1/blocker-decisions": Case("projects", lambda r: "/blocker-decisions", on_record=False),
    "POST /api/v1/blocker-decisions/{decision_id}/done": Case(
        "decision",
        lambda r: f"/blocker-decisions/{r.decision.pk}/done",
        body={"note": "已完成"},
        on_record=False,
    ),
    "GET /api/v1/supervision-notices": Case("notices", lambda r: "/supervision-notices", on_record=False),
    "POST /api/v1/supervision-notices": Case(
        "supervision.issue",
        lambda r: "/supervision-notices",
        body=lambda r: {
            "source": "warning",
            "source_id": r.warning.pk,
            "subject": "请限期整改",
            "deadline_workdays": 5,
        },
        on_record=False,
    ),
    "GET /api/v1/supervision-notices/{notice_id}": Case(
        "notice", lambda r: f"/supervision-notices/{r.notice.pk}"
    ),
    "POST /api/v1/supervision-notices/{notice_id}/actions": Case(
        "notice.answer",
        lambda r: f"/supervision-notices/{r.notice.pk}/actions",
        body={"action": "answer", "text": "已整改"},
    ),
    "GET /api/v1/adjustments": Case("change.list", lambda r: "/adjustments", on_record=False),
    "POST /api/v1/adjustments": Case(
        "change.request",
        lambda r: "/adjustments",
        body=lambda r: {"project": _p(r), "changes": {"total_investment": "60000"}, "reason": "扩大规模"},
    ),
    "GET /api/v1/adjustments/{request_id}": Case("read", lambda r: f"/adjustments/{r.change.pk}"),
    "POST /api/v1/adjustments/{request_id}/approve": Case(
        "change.decide", lambda r: f"/adjustments/{r.change.pk}/approve", body={}
    ),
    "POST /api/v1/adjustments/{request_id}/refuse": Case(
        "change.decide", lambda r: f"/adjustments/{r.change.pk}/refuse", body={"reason": "不符合调整条件"}
    ),
    "POST /api/v1/imports/projects": Case(
        "project.import", lambda r: "/imports/projects", upload="file", on_record=False
    ),
    "GET /api/v1/exports/projects.xlsx": Case(
        "projects", lambda r: "/exports/projects.xlsx", on_record=False
    ),
    "GET /api/v1/exports/dispatch-sheet.xlsx": Case(
        "read", lambda r: f"/exports/dispatch-sheet.xlsx?round={r.round.pk}"
    ),
    "GET /api/v1/leaders/me": Case("leader.page", lambda r: "/leaders/me", on_record=False),
    "GET /api/v1/dashboard": Case("warroom.view", lambda r: "/dashboard", on_record=False),
    "GET /api/v1/batches": Case("projects", lambda r: "/batches", on_record=False),
    "GET /api/v1/task-forces": Case("projects", lambda r: "/task-forces", on_record=False),
    "POST /api/v1/task-forces": Case(
        "taskforce.manage",
        lambda r: "/task-forces",
        body=lambda r: {"name": "新组专班", "lead_organization": r.task_force.lead_organization_id},
        on_record=False,
    ),
    "GET /api/v1/task-forces/{task_force_id}": Case(
        "task_force", lambda r: f"/task-forces/{r.task_force.pk}"
    ),
    "PUT /api/v1/task-forces/{task_force_id}": Case(
        "taskforce.manage",
        lambda r: f"/task-forces/{r.task_force.pk}",
        body=lambda r: {"name": "更名专班", "lead_organization": r.task_force.lead_organization_id},
        on_record=False,
    ),
    "POST /api/v1/task-forces/{task_force_id}/members": Case(
        "taskforce.manage",
        lambda r: f"/task-forces/{r.task_force.pk}/members",
        body=lambda r: {"user": r.member.pk},
        on_record=False,
    ),
    "DELETE /api/v1/task-forces/{task_force_id}/members/{user_id}": Case(
        "taskforce.manage", lambda r: f"/task-forces/{r.task_force.pk}/members/{r.member.pk}", on_record=False
    ),
    "POST /api/v1/task-forces/{task_force_id}/projects": Case(
        "taskforce.manage",
        lambda r: f"/task-forces/{r.task_force.pk}/projects",
        body=lambda r: {"project": _p(r)},
        on_record=False,
    ),
    "DELETE /api/v1/task-forces/{task_force_id}/projects/{project_id}": Case(
        "taskforce.manage", lambda r: f"/task-forces/{r.task_force.pk}/projects/{_p(r)}", on_record=False
    ),
}


def _route_keys() -> set[str]:
    """Every page route of the platform, as ``METHOD pattern`` (the method the matrix uses)."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    routes = {r for r in walk(get_resolver().url_patterns) if not r.startswith(("admin/", "api/v1/"))}
    return routes - PUBLIC


def _expected(user, case: Case, records) -> str:
    if user is None:
        return "login"
    if case.needs == "signed_in":
        return "ok"
    if case.needs == "absent" and not case.on_record:  # a record of the user's own that is not there
        return "404"
    if case.needs in ("audit.read", "security.manage"):  # an administrator's, who reads no project
        return "ok" if may(user, case.needs) else "403"
    if not has_project_access(user):  # no registry at all: refused, or told the record is not there
        return "403|404" if case.on_record else "403"
    if case.needs == "projects":
        return "ok"
    if case.needs == "dictionary":  # the city office, of its own city
        return "ok" if can_edit_dictionary(user) else "403"
    if case.needs in ("notices", "notice", "notice.answer"):
        return _notice_expected(user, case, records)
    if case.needs == "task_force":  # the city office and the leaders, or a member
        member = records.task_force.members.filter(pk=user.pk).exists()
        return "ok" if may(user, "taskforce.view_all") or member else "404"
    if case.needs == "decision":  # the city office, or the department the decision charges
        charged = user.organization_id == records.decision.department_id
        return "ok" if may(user, "meeting.manage") or charged else "403|404"
    if case.needs == "absent":
        return "404"
    if not case.on_record:
        return "ok" if case.needs == "read" or may(user, case.needs) else "403"
    project = records.project
    if not visible_projects(user).filter(pk=project.pk).exists():
        # a role without the action at all may be refused before the record is looked up: both tell
        # nothing of the record
        return "404" if case.needs in {"read", "node", "report"} or may(user, case.needs) else "403|404"
    if case.needs in ("read", "blocker.raise"):  # a blocker is raised on any project one works on
        return "ok" if case.needs == "read" or may(user, case.needs) else "403"
    if case.needs == "node":
        assigned = records.node.department_id == user.organization_id
        allowed = (may(user, "node.plan") and acts_on(user, project)) or (
            may(user, "node.outcome_assigned") and assigned
        )
        return "ok" if allowed else "403"
    if case.needs == "report":  # the round does not let the county fill on an owner's behalf
        return "ok" if may(user, "report.fill") and acts_on(user, project) else "403"
    return "ok" if may(user, case.needs) and acts_on(user, project) else "403"


def _notice_expected(user, case: Case, records) -> str:
    """A notice is read by those who read every notice, and by a county or a department when it is sent to
    it or its project is one they see; only its receiver answers it."""
    reads = may(user, "supervision.list") or may(user, "supervision.answer")
    if case.needs == "notices":
        return "ok" if reads else "403"
    if not reads:
        return "404"
    notice = records.notice
    receiver = user.organization_id == notice.receiver_id
    sees = (
        may(user, "supervision.list")
        or receiver
        or visible_projects(user).filter(pk=notice.project_id).exists()
    )
    if not sees:
        return "404"
    if case.needs == "notice":
        return "ok"
    return "ok" if may(user, "supervision.answer") and receiver else "403"


def _kind(response) -> str:
    assert response.status_code < 500, response
    if response.status_code == 401 or (
        response.status_code == 302 and "/accounts/login/" in response.get("Location", "")
    ):
        return "login"
    if response.status_code in (403, 404):
        return str(response.status_code)
    return "ok"


def test_every_route_is_in_the_matrix():
    declared = {key.split(" ", 1)[1] for key in PAGES}
    assert _route_keys() == declared
    operations = {
        f"{method.upper()} {path}"
        for path, methods in ninja_api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    assert operations - API_PUBLIC == set(API)


@pytest.fixture
def records(city):
    made = tenant_records(
        city_region=city.liaocheng,
        county=city.guanxian,
        enterprise=city.enterprise,
        department=city.department,
        owner=city.owner,
    )
    office = ApiClient(city.city_admin)
    made.etags = {
        "statistics": office.get(f"/projects/{made.project.pk}/statistics")["ETag"],
        "report": office.get(f"/reports/{made.report.pk}")["ETag"],
    }
    return made


def _text(response) -> str:
    """What an answer shows, whatever its format: a page, JSON, a workbook or document (zipped XML), a PDF."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "".join(
                archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")
            )
    if body.startswith(b"%PDF"):
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    text = body.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(json.loads(text), ensure_ascii=False)
    return text


def _assert_matrix(city, records, cases: dict[str, Case], call) -> None:
    """Call every case as every role, each call rolled back (so every role meets the same records),
    and compare each answer's kind with what the access table says. A leak is an answer let through
    where the table says 403 or 404, or a list, page or export on no record that shows the records'
    project to a role that does not see it; they are counted, and there must be none."""
    mismatches: dict[str, dict] = {}
    calls = leaks = 0
    name = records.project.name
    for key, case in cases.items():
        method = key.split(" ", 1)[0].lower()
        for role in EVERY_ROLE:
            user = getattr(city, role) if role else None
            body = case.body(records) if callable(case.body) else case.body
            with transaction.atomic():
                response = call(user, method, case, body)
                transaction.set_rollback(True)
            calls += 1
            answer, expected = _kind(response), _expected(user, case, records)
            if answer not in expected.split("|"):
                mismatches.setdefault(key, {})[role] = (answer, expected)
                leaks += answer == "ok"
            elif (
                answer == "ok"
                and method == "get"
                and not case.on_record
                and user is not None
                and not visible_projects(user).filter(pk=records.project.pk).exists()
                and name in _text(response)
            ):
                mismatches.setdefault(key, {})[role] = ("shows the project", expected)
                leaks += 1
    print(f"access matrix: {len(cases)} routes × {len(EVERY_ROLE)} roles = {calls} calls, {leaks} leaks")
    assert (leaks, mismatches) == (0, {}), f"{leaks} leaks in {calls} calls:\n" + "\n".join(
        f"{k}: {v}" for k, v in mismatches.items()
    )


def test_pages(city, records):
    def call(user, method, case, body):
        client = Client()
        if user is not None:
            client.force_login(user)
        return getattr(client, method)(case.url(records), body or {})

    _assert_matrix(city, records, PAGES, call)


@pytest.mark.parametrize("versioned", [True, False], ids=["with its version", "without a version"])
def test_api(city, records, versioned):
    """Without If-Match, an update answers 428 only to those who may make it: one who may not hears
    403 (or 404) as with it, before being asked for a version."""

    def call(user, method, case, body):
        headers = case.headers(records) if case.headers and versioned else {}
        client = ApiClient(user)
        if case.upload:
            image = SimpleUploadedFile("site.png", PNG, content_type="image/png")
            return client.client.post(
                f"/api/v1{case.url(records)}", {case.upload: image}, headers={**client.headers, **headers}
            )
        if method in ("get", "delete"):
            return getattr(client, method)(case.url(records), **headers)
        return getattr(client, method)(case.url(records), body, **headers)

    cases = API if versioned else {key: case for key, case in API.items() if case.headers}
    _assert_matrix(city, records, cases, call)
