"""Who may do what in monthly dispatch: every role against every page and endpoint (403 forbidden,
404 for what the role may not even see)."""

import pytest
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient

from .report_helpers import accept, api_payload, fields_payload, make_project, open_round, submit, this_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # rounds open around today

ROLES = [
    "city_admin", "leader", "county", "other_county", "department_officer", "owner", "other_owner", "province_officer",
]  # fmt: skip


@pytest.fixture
def setting(city):
    project = make_project(city)
    dispatch_round = open_round(city, [project])
    submitted = submit(city.owner, project)
    accepted_project = make_project(city)
    dispatch_round.projects.add(accepted_project)
    accepted = accept(city.county, submit(city.owner, accepted_project))
    fresh = make_project(city)
    dispatch_round.projects.add(fresh)
    return {"round": dispatch_round, "submitted": submitted, "accepted": accepted, "fresh": fresh}


def page_status(city, role, url, method="get", data=None):
    client = Client()
    client.force_login(getattr(city, role))
    return getattr(client, method)(url, data or {}).status_code


PAGES = {
    "home": ("/progress/", [200, 200, 200, 200, 200, 200, 200, 200]),
    "rounds": ("/progress/rounds/", [200, 200, 200, 200, 200, 200, 200, 200]),
    "round": ("/progress/rounds/{round}/", [200, 200, 200, 404, 404, 200, 404, 200]),
    "review queue": ("/progress/review/", [200, 403, 200, 200, 403, 403, 403, 403]),
    "report": ("/progress/reports/{submitted}/", [200, 200, 200, 404, 404, 200, 404, 200]),
    "report form": ("/progress/projects/{fresh}/{month}/", [403, 403, 403, 404, 404, 200, 404, 403]),
    # The owner filled it: only the owner corrects it (a county corrects only what it filled on behalf).
    "correction form": ("/progress/reports/{accepted}/correct/", [403, 403, 403, 404, 404, 200, 404, 403]),
}


@pytest.mark.parametrize("page", PAGES)
def test_pages(city, setting, page):
    url, expected = PAGES[page]
    month = this_month()
    url = url.format(
        round=setting["round"].pk,
        submitted=setting["submitted"].pk,
        accepted=setting["accepted"].pk,
        fresh=setting["fresh"].pk,
        month=f"{month.year}-{month.month}",
    )
    assert [page_status(city, role, url) for role in ROLES] == expected


def test_api_reads(city, setting):
    report = setting["submitted"]
    expected = [200, 200, 200, 404, 404, 200, 404, 200]
    assert [ApiClient(getattr(city, r)).get(f"/reports/{report.pk}").status_code for r in ROLES] == expected
    assert [
        ApiClient(getattr(city, r)).get(f"/projects/{report.project_id}/reports").status_code for r in ROLES
    ] == expected
    assert [
        ApiClient(getattr(city, r)).get(f"/rounds/{setting['round'].pk}").status_code for r in ROLES
    ] == expected
    assert Client().get(f"/api/v1/reports/{report.pk}").status_code == 401


def test_api_writes(city, setting):
    fresh = setting["fresh"]
    submit_statuses = [
        ApiClient(getattr(city, r))
        .post(f"/projects/{fresh.pk}/reports", api_payload(this_month()))
        .status_code
        for r in [
            "city_admin",
            "leader",
            "county",
            "other_county",
            "department_officer",
            "other_owner",
            "province_officer",
        ]
    ]
    assert submit_statuses == [403, 403, 403, 404, 404, 404, 403]
    review = [
        ApiClient(getattr(city, r))
        .post(f"/reports/{setting['submitted'].pk}/review", {"decision": "return", "reason": "x"})
        .status_code
        for r in ["leader", "other_county", "department_officer", "owner", "other_owner", "province_officer"]
    ]
    assert review == [403, 404, 404, 403, 404, 403]
    correct = [
        ApiClient(getattr(city, r))
        .post(f"/reports/{setting['accepted'].pk}/corrections", fields_payload(reason="更正"))
        .status_code
        for r in [
            "city_admin",
            "leader",
            "county",
            "other_county",
            "department_officer",
            "other_owner",
            "province_officer",
        ]
    ]
    assert correct == [403, 403, 403, 404, 404, 404, 403]
