"""Every role against every page and endpoint, with what each answer should be worked out from the
access table (`keyprojects.accounts.access`), not written out by hand: a route added to any app
without its line here fails `test_every_route_is_in_the_matrix`, so no app can be left out.

Each route says what it needs:
- ``signed_in``: any signed-in person (their own profile, tokens, notifications);
- ``projects``: a role that reads projects (lists, queues, rates);
- ``read``: the record's project visible to the user (else 404, as if missing);
- an action of the table (``"project.edit"``): on a record, its project visible (else 404) and in the
  scope the user changes, with the action granted (else 403); on no record, the action granted.
Answers are compared by kind: sent to sign in (302 to the login page, 401 in the API), 403, 404, or
let through (any other answer below 500: the page, a redirect after a write, a validation error).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from keyprojects.accounts.access import may
from keyprojects.projects.permissions import acts_on, has_project_access, visible_projects
from tests.access.roles import ROLES
from tests.records import tenant_records

PUBLIC = {"", "accounts/login/", "accounts/logout/", "i18n/setlang/"}  # no record, no scope


@dataclass(frozen=True)
class Case:
    needs: str
    url: Callable[[Any], str]
    body: dict | None = None
    on_record: bool = True


def _p(r):
    return r.project.pk


PAGES: dict[str, Case] = {
    "GET projects/": Case("projects", lambda r: "/projects/", on_record=False),
    "GET projects/new/": Case("project.create", lambda r: "/projects/new/", on_record=False),
    "GET projects/<int:pk>/": Case("read", lambda r: f"/projects/{_p(r)}/"),
    "GET projects/<int:pk>/edit/": Case("project.edit", lambda r: f"/projects/{_p(r)}/edit/"),
    "GET projects/<int:pk>/transition/": Case("project.edit", lambda r: f"/projects/{_p(r)}/transition/"),
    "GET schedule/queue/": Case("projects", lambda r: "/schedule/queue/", on_record=False),
    "POST schedule/projects/<int:project_id>/plan/": Case(
        "project.edit", lambda r: f"/schedule/projects/{_p(r)}/plan/", body={}
    ),
    "GET schedule/nodes/<int:pk>/edit/": Case("node", lambda r: f"/schedule/nodes/{r.node.pk}/edit/"),
    "GET schedule/nodes/<int:pk>/evidence/": Case(
        "absent", lambda r: f"/schedule/nodes/{r.node.pk}/evidence/"
    ),
    "GET schedule/templates/": Case("projects", lambda r: "/schedule/templates/", on_record=False),
    "GET schedule/templates/<int:pk>/": Case(
        "projects", lambda r: f"/schedule/templates/{r.template.pk}/", on_record=False
    ),
    "POST schedule/settings/": Case(
        "settings.edit", lambda r: "/schedule/settings/", body={}, on_record=False
    ),
    "GET progress/": Case("projects", lambda r: "/progress/", on_record=False),
    "GET progress/rounds/": Case("projects", lambda r: "/progress/rounds/", on_record=False),
    "GET progress/rounds/<int:pk>/": Case("read", lambda r: f"/progress/rounds/{r.round.pk}/"),
    "GET progress/review/": Case("report.review", lambda r: "/progress/review/", on_record=False),
    "GET progress/projects/<int:pk>/<int:year>-<int:month>/": Case(
        "report", lambda r: f"/progress/projects/{_p(r)}/2026-3/"
    ),
    "GET progress/reports/<int:pk>/": Case("read", lambda r: f"/progress/reports/{r.report.pk}/"),
    "GET progress/reports/<int:pk>/edit/": Case("report", lambda r: f"/progress/reports/{r.report.pk}/edit/"),
    "GET progress/reports/<int:pk>/correct/": Case(
        "report", lambda r: f"/progress/reports/{r.report.pk}/correct/"
    ),
    "POST progress/reports/<int:pk>/review/": Case(
        "report.review", lambda r: f"/progress/reports/{r.report.pk}/review/", body={"decision": ""}
    ),
    "GET progress/photos/<int:pk>/": Case("absent", lambda r: "/progress/photos/999999/"),
    "GET metrics/": Case("projects", lambda r: "/metrics/", on_record=False),
    "GET metrics/export.xlsx": Case("projects", lambda r: "/metrics/export.xlsx", on_record=False),
    "GET metrics/settings/": Case("settings.edit", lambda r: "/metrics/settings/", on_record=False),
    "GET metrics/projects/<int:pk>/monthly-plan/": Case(
        "project.edit", lambda r: f"/metrics/projects/{_p(r)}/monthly-plan/"
    ),
    "GET alerts/": Case("projects", lambda r: "/alerts/", on_record=False),
    "GET alerts/supervision.xlsx": Case("projects", lambda r: "/alerts/supervision.xlsx", on_record=False),
    "GET alerts/rules/": Case("settings.edit", lambda r: "/alerts/rules/", on_record=False),
    "GET statistics/": Case("projects", lambda r: "/statistics/", on_record=False),
    "GET statistics/settings/": Case("settings.edit", lambda r: "/statistics/settings/", on_record=False),
    "GET statistics/projects/<int:pk>/": Case("statistics.edit", lambda r: f"/statistics/projects/{_p(r)}/"),
    "POST statistics/projects/<int:pk>/clear/": Case(
        "statistics.edit", lambda r: f"/statistics/projects/{_p(r)}/clear/", body={}
    ),
    "GET adjustments/": Case("change.list", lambda r: "/adjustments/", on_record=False),
    "GET adjustments/new/<int:project_pk>/": Case("change.request", lambda r: f"/adjustments/new/{_p(r)}/"),
    "POST adjustments/<int:pk>/decide/": Case(
        "change.decide", lambda r: f"/adjustments/{r.change.pk}/decide/", body={"decision": "approve"}
    ),
    "GET notifications/": Case("signed_in", lambda r: "/notifications/", on_record=False),
    "GET notifications/bell/": Case("signed_in", lambda r: "/notifications/bell/", on_record=False),
    "POST notifications/read-all/": Case(
        "signed_in", lambda r: "/notifications/read-all/", body={}, on_record=False
    ),
    "POST notifications/<int:pk>/read/": Case(
        "absent", lambda r: "/notifications/999999/read/", body={}, on_record=False
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
    if not has_project_access(user):
        return "403"
    if case.needs == "projects":
        return "ok"
    if case.needs == "absent":
        return "404"
    if not case.on_record:
        return "ok" if case.needs == "read" or may(user, case.needs) else "403"
    project = records.project
    if not visible_projects(user).filter(pk=project.pk).exists():
        # a role without the action at all may be refused before the record is looked up: both tell
        # nothing of the record
        return "404" if case.needs in {"read", "node", "report"} or may(user, case.needs) else "403|404"
    if case.needs == "read":
        return "ok"
    if case.needs == "node":
        assigned = records.node.department_id == user.organization_id
        allowed = (may(user, "node.plan") and acts_on(user, project)) or (
            may(user, "node.outcome_assigned") and assigned
        )
        return "ok" if allowed else "403"
    if case.needs == "report":  # the round does not let the county fill on an owner's behalf
        return "ok" if may(user, "report.fill") and acts_on(user, project) else "403"
    return "ok" if may(user, case.needs) and acts_on(user, project) else "403"


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


@pytest.fixture
def records(city):
    return tenant_records(
        city_region=city.liaocheng,
        county=city.guanxian,
        enterprise=city.enterprise,
        department=city.department,
        owner=city.owner,
    )


def _answers(city, records, case: Case, method: str, call) -> dict[str, tuple[str, str]]:
    """Each role's answer and expected answer where they differ; each call is rolled back, so every
    role meets the same records."""
    mismatches = {}
    for role in ROLES:
        user = getattr(city, role) if role else None
        with transaction.atomic():
            response = call(user, method, case)
            transaction.set_rollback(True)
        answer, expected = _kind(response), _expected(user, case, records)
        if answer not in expected.split("|"):
            mismatches[role] = (answer, expected)
    return mismatches


def test_pages(city, records):
    def call(user, method, case):
        client = Client()
        if user is not None:
            client.force_login(user)
        return getattr(client, method)(case.url(records), case.body or {})

    mismatches = {}
    for key, case in PAGES.items():
        found = _answers(city, records, case, key.split(" ", 1)[0].lower(), call)
        if found:
            mismatches[key] = found
    assert mismatches == {}
