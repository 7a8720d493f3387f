"""Who may do what in monthly dispatch: every role against every page and endpoint (403 forbidden,
404 for what the role may not even see)."""

import pytest
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient
from tests.access.roles import ROLES, user_of

from .report_helpers import accept, api_payload, fields_payload, make_project, open_round, submit, this_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # rounds open around today


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
    if role:
        client.force_login(user_of(city, role))
    return getattr(client, method)(url, data or {}).status_code


def api_status(city, role, url):
    if role is None:
        return Client().get(f"/api/v1{url}").status_code
    return ApiClient(user_of(city, role)).get(url).status_code


# anonymous, admin, city_admin, leader, county, other_county, department_officer, owner, other_owner,
# province_officer (tests/access/roles.py)
PAGES = {
    "home": ("/progress/", [302, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
    "rounds": ("/progress/rounds/", [302, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
    "round": ("/progress/rounds/{round}/", [302, 403, 200, 200, 200, 404, 404, 200, 404, 200]),
    "review queue": ("/progress/review/", [302, 403, 200, 403, 200, 200, 403, 403, 403, 403]),
    "report": ("/progress/reports/{submitted}/", [302, 403, 200, 200, 200, 404, 404, 200, 404, 200]),
    "report form": (
        "/progress/projects/{fresh}/{month}/",
        [302, 403, 403, 403, 403, 404, 404, 200, 404, 403],
    ),
    # The owner filled it: only the owner corrects it (a county corrects only what it filled on behalf).
    "correction form": (
        "/progress/reports/{accepted}/correct/",
        [302, 403, 403, 403, 403, 404, 404, 200, 404, 403],
    ),
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
    seen = [200, 200, 200, 404, 404, 200, 404, 200]  # by those who see the project
    # the administrator manages accounts: no project of the city is there for it, nor projects at all
    for url, admin in (
        (f"/reports/{report.pk}", 404),
        (f"/projects/{report.project_id}/reports", 403),
        (f"/rounds/{setting['round'].pk}", 404),
    ):
        assert [api_status(city, role, url) for role in ROLES] == [401, admin, *seen], url


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
