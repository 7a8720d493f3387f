"""Two cities on one install: nobody of one city reaches a record of the other (404, like a missing
one, on every page and endpoint that takes an id), and nothing of one city's lists, totals
and rates moves when the other city's data goes."""

from decimal import Decimal

import pytest
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.alerts.models import ProjectWarning
from keyprojects.factors.models import FactorAllocation, FactorDemand, FactorLedgerEntry
from keyprojects.progress.models import DispatchRound, MonthlyReport
from tests.records import tenant_records

CITY_ROLES = ["city_admin", "leader", "county", "other_county", "department_officer", "owner", "other_owner"]
OTHER_CITY_ROLES = ["city_admin", "leader", "county", "department_officer", "owner"]


@pytest.fixture
def two_cities(city, other_city):
    liaocheng = tenant_records(
        city_region=city.liaocheng,
        county=city.guanxian,
        enterprise=city.enterprise,
        department=city.department,
        owner=city.owner,
    )
    dezhou = tenant_records(
        city_region=other_city.dezhou,
        county=other_city.qihe,
        enterprise=other_city.enterprise,
        department=other_city.department,
        owner=other_city.owner,
    )
    return liaocheng, dezhou


def pages(r) -> list[str]:
    p = r.project.pk
    return [
        f"/projects/{p}/",
        f"/projects/{p}/edit/",
        f"/schedule/nodes/{r.node.pk}/edit/",
        f"/schedule/templates/{r.template.pk}/",
        f"/progress/rounds/{r.round.pk}/",
        f"/progress/reports/{r.report.pk}/",
        f"/progress/projects/{p}/2026-2/",
        f"/statistics/projects/{p}/",
        f"/metrics/projects/{p}/monthly-plan/",
        f"/supervision/{r.notice.pk}/",
    ]


def endpoints(r) -> list[str]:
    p = r.project.pk
    return [
        f"/projects/{p}",
        f"/projects/{p}/history",
        f"/projects/{p}/plan",
        f"/projects/{p}/reports",
        f"/projects/{p}/statistics",
        f"/projects/{p}/monthly-plan",
        f"/projects/{p}/warnings",
        f"/plan-nodes/{r.node.pk}",
        f"/node-templates/{r.template.pk}",
        f"/rounds/{r.round.pk}",
        f"/reports/{r.report.pk}",
        f"/supervision-notices/{r.notice.pk}",
    ]


def writes(r) -> list[tuple[str, str, dict]]:
    return [
        ("patch", f"/projects/{r.project.pk}", {"remarks": "越权"}),
        ("post", f"/projects/{r.project.pk}/transitions", {"stage": "completed"}),
        ("patch", f"/plan-nodes/{r.node.pk}", {"remarks": "越权"}),
        ("patch", f"/node-templates/{r.template.pk}", {"name": "越权"}),
        ("post", f"/reports/{r.report.pk}/review", {"decision": "accept"}),
        ("post", f"/factor-allocations/{r.allocation.pk}/release", {"reason": "越权"}),
        ("post", f"/supervision-notices/{r.notice.pk}/actions", {"action": "answer", "text": "越权"}),
        (
            "post",
            "/factor-allocations",
            {"pool": r.pool.pk, "project": r.project.pk, "amount": "1", "reason": "越权"},
        ),
    ]


def answers_of(user, r) -> dict[str, int]:
    client = Client()
    client.force_login(user)
    api = ApiClient(user)
    answers = {url: client.get(url).status_code for url in pages(r)}
    answers.update({f"GET {url}": api.get(url).status_code for url in endpoints(r)})
    for method, url, body in writes(r):
        answers[f"{method.upper()} {url}"] = getattr(api, method)(
            url, body, **{"If-Match": '"1"'}
        ).status_code
    return answers


def test_no_role_of_either_city_reaches_a_record_of_the_other(city, other_city, two_cities):
    liaocheng, dezhou = two_cities
    for role in CITY_ROLES:
        answers = answers_of(getattr(city, role), dezhou)
        assert {k: v for k, v in answers.items() if v != 404} == {}, role
    for role in OTHER_CITY_ROLES:
        answers = answers_of(getattr(other_city, role), liaocheng)
        assert {k: v for k, v in answers.items() if v != 404} == {}, role


def test_the_city_office_reaches_its_own_records(city, other_city, two_cities):
    liaocheng, dezhou = two_cities
    for user, records in ((city.city_admin, liaocheng), (other_city.city_admin, dezhou)):
        api = ApiClient(user)
        assert {url: api.get(url).status_code for url in endpoints(records)} == dict.fromkeys(
            endpoints(records), 200
        )


def test_lists_show_only_the_own_city(city, other_city, two_cities):
    liaocheng, dezhou = two_cities
    for user, mine in ((city.city_admin, liaocheng), (other_city.city_admin, dezhou)):
        api = ApiClient(user)
        assert [p["id"] for p in api.get("/projects").json()["items"]] == [mine.project.pk]
        assert [r["id"] for r in api.get("/rounds").json()["items"]] == [mine.round.pk]
        assert [t["id"] for t in api.get("/node-templates").json()] == [mine.template.pk]
        assert [r["id"] for r in api.get("/reports").json()["items"]] == [mine.report.pk]
        warnings = Client()
        warnings.force_login(user)
        page = warnings.get("/alerts/").content.decode()
        assert mine.project.name in page
        assert (liaocheng if mine is dezhou else dezhou).project.name not in page


def rates_and_totals(user) -> dict:
    api = ApiClient(user)
    metrics = api.get("/metrics", {"as_of": "2026-06-30", "year": 2026}).json()
    return {
        "metrics": metrics,
        "projects": api.get("/projects").json(),
        "statistics": api.get("/statistics/summary", {"year": 2026, "as_of": "2026-06-30"}).json(),
        "rounds": api.get("/rounds").json(),
    }


def test_deleting_the_other_city_changes_nothing_of_one_city(city, other_city, two_cities):
    _liaocheng, dezhou = two_cities
    before = {user.username: rates_and_totals(user) for user in (city.city_admin, city.county, city.owner)}
    assert before["city"]["metrics"]["investment_rate"]["numerator"] == "300.00"
    ProjectWarning.objects.filter(city=other_city.dezhou).delete()
    MonthlyReport.objects.filter(city=other_city.dezhou).delete()
    DispatchRound.objects.filter(city=other_city.dezhou).delete()
    for factor_rows in (
        FactorLedgerEntry,
        FactorAllocation,
        FactorDemand,
    ):  # what the ledger keeps is protected
        factor_rows.objects.filter(city=other_city.dezhou).delete()
    dezhou.project.delete()
    after = {user.username: rates_and_totals(user) for user in (city.city_admin, city.county, city.owner)}
    assert after == before


def test_the_province_office_reads_every_city_and_changes_none(city, other_city, two_cities):
    liaocheng, dezhou = two_cities
    api = ApiClient(city.province_officer)
    assert sorted(p["id"] for p in api.get("/projects").json()["items"]) == sorted(
        [liaocheng.project.pk, dezhou.project.pk]
    )
    for records in two_cities:
        assert {url: api.get(url).status_code for url in endpoints(records)} == dict.fromkeys(
            endpoints(records), 200
        )
        refused = {
            url: getattr(api, method)(url, body, **{"If-Match": '"1"'}).status_code
            for method, url, body in writes(records)
        }
        assert set(refused.values()) == {403}, refused
    pages = Client()
    pages.force_login(city.province_officer)
    for records in two_cities:
        p = records.project.pk
        refused_pages = [
            f"/projects/{p}/edit/",
            f"/metrics/projects/{p}/monthly-plan/",
            f"/statistics/projects/{p}/",
        ]
        assert {url: pages.get(url).status_code for url in refused_pages} == dict.fromkeys(refused_pages, 403)
    assert pages.get("/projects/new/").status_code == 403
    assert (
        api.post(
            "/projects", {"name": "省里新建", "region": "371525", "total_investment": "100", "year": 2026}
        ).status_code
        == 403
    )
    assert (
        api.post(
            "/rounds", {"year": 2026, "month": 5, "opens_on": "2026-05-20", "closes_on": "2026-06-05"}
        ).status_code
        == 403
    )


def test_the_province_office_compares_the_rates_of_its_cities(city, other_city, two_cities):
    rows = (
        ApiClient(city.province_officer).get("/metrics/cities", {"as_of": "2026-06-30", "year": 2026}).json()
    )
    assert [(row["city"], row["city_name"]) for row in rows] == [("371400", "德州市"), ("371500", "聊城市")]
    assert all(row["investment_rate"]["numerator"] == "300.00" for row in rows)
    page = Client()
    page.force_login(city.province_officer)
    html = page.get("/metrics/", {"as_of": "2026-06-30"}).content.decode()
    assert "德州市" in html and "聊城市" in html
    city_rows = (
        ApiClient(city.city_admin).get("/metrics/cities", {"as_of": "2026-06-30", "year": 2026}).json()
    )
    assert [row["city"] for row in city_rows] == ["371500"]
    assert Decimal(rows[0]["start_rate"]["value"]) == Decimal("1.000")


def test_no_write_takes_an_id_of_the_other_city(city, other_city, two_cities):
    """An id of the other city, given where an organisation, a region, a project or a chain is named,
    is refused like an unknown one, naming the field."""
    liaocheng, dezhou = two_cities
    api = ApiClient(city.city_admin)
    created = api.post(
        "/projects",
        {
            "name": "越界项目",
            "region": other_city.qihe.code,
            "owner": other_city.enterprise.pk,
            "total_investment": "100",
            "year": 2026,
        },
    )
    assert created.status_code == 422
    assert {"region", "owner"} <= set(created.json()["errors"]), created.json()
    node = api.patch(
        f"/plan-nodes/{liaocheng.node.pk}",
        {"department": other_city.department.pk},
        **{"If-Match": f'"{liaocheng.node.version}"'},
    )
    assert node.status_code == 422 and "department" in node.json()["errors"]
    opened = api.post(
        "/rounds",
        {
            "year": 2026,
            "month": 5,
            "opens_on": "2026-05-20",
            "closes_on": "2026-06-05",
            "project_ids": [dezhou.project.pk],
        },
    )
    assert opened.status_code == 422 and "project_ids" in opened.json()["errors"]
    asked = ApiClient(city.owner).post(
        "/adjustments", {"project": dezhou.project.pk, "changes": {"annual_investment": "1"}, "reason": "x"}
    )
    assert asked.status_code == 404
