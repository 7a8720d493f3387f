"""The war room as a client and a reader see it: the city's figures from its data, a county's slice, the
province comparing its cities, nothing of another city, the cache dropped by the domain events, and a
fixed number of queries whatever the number of projects."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.alerts.models import Color, ProjectWarning, Rule
from keyprojects.alerts.services import warnings_refresh
from keyprojects.blockers.models import Blocker
from keyprojects.core.events import ProjectChanged, publish
from keyprojects.core.history import encode
from keyprojects.metrics.tests.helpers import include, list_project, report
from keyprojects.projects.models import Project
from keyprojects.warroom.cache import invalidate

D = datetime.date
pytestmark = pytest.mark.today("2026-06-15")


@pytest.fixture
def projects(city, clock):
    lugang = list_project(
        name="冠州国际陆港", region=city.guanxian, owner=city.enterprise, actual_start=D(2026, 2, 1),
        total_investment=Decimal("1020000"), annual_investment=Decimal("200000"),
        latitude=Decimal("36.48"), longitude=Decimal("115.44"),
    )  # fmt: skip
    aobo = list_project(
        name="奥博生物新型糖醇及氨基酸智造项目", region=city.gaotang, owner=city.other_enterprise,
        total_investment=Decimal("516000"), annual_investment=Decimal("100000"),
    )  # fmt: skip
    include(lugang, D(2026, 3, 1))
    report(lugang, D(2026, 3, 1), "50000", by=city.county, reviewed_on=D(2026, 4, 5))
    report(lugang, D(2026, 4, 1), "30000", by=city.county, reviewed_on=D(2026, 5, 5))
    ProjectWarning.objects.update_or_create(
        project=aobo, rule=Rule.START_DELAY, subject="",
        defaults={"color": Color.RED, "since": D(2026, 4, 1), "facts": encode({"planned_start": D(2026, 3, 1), "days": 90})},
    )  # fmt: skip
    Blocker.objects.create(
        project=lugang, category="land", description="二期用地指标缺口320亩", raised_by=city.owner,
        status="in_progress", department=city.department, deadline=D(2026, 6, 1),
    )  # fmt: skip
    return lugang, aobo


def test_the_city_dashboard_answers_its_figures(city, projects):
    lugang, aobo = projects
    body = ApiClient(city.city_admin).get("/dashboard").json()
    assert body["scope"] == {
        "level": "city", "code": "371500", "name": "聊城市", "city_code": "371500", "city_name": "聊城市",
    }  # fmt: skip
    assert (body["projects"], body["total_investment"], body["annual_plan"]) == (2, "1536000.00", "300000.00")
    assert body["completed"] == "80000.00"
    rates = body["rates"]
    assert rates["start_rate"] == {"numerator": 1, "denominator": 2, "value": "0.500"}
    assert rates["statistics_rate"] == {"numerator": 1, "denominator": 1, "value": "1.000"}
    assert rates["investment_rate"]["numerator"] == "80000.00"
    assert rates["investment_rate"]["denominator"] == "300000.00"
    regions = {row["code"]: row for row in body["regions"]}
    assert regions["371525"]["projects"] == 1 and regions["371525"]["rates"]["start_rate"]["value"] == "1.000"
    assert regions["371526"]["red"] == 1
    assert [m["completed"] for m in body["trend"]] == ["0.00", "0.00", "50000.00", "30000.00", "0.00", "0.00"]
    assert [m["started"] for m in body["trend"]] == [0, 1, 0, 0, 0, 0]
    assert body["trend"][5]["plan_cumulative"] == "150000.00"  # half the annual plan by the end of June
    assert (body["warnings"]["red"], body["warnings"]["rows"][0]["project"]) == (1, aobo.pk)
    assert (body["blockers"]["open"], body["blockers"]["overdue"]) == (1, 1)
    assert body["blockers"]["rows"][0]["overdue"] is True
    assert body["points"] == [
        {
            "project": lugang.pk, "name": "冠州国际陆港", "region": "371525", "latitude": "36.480000",
            "longitude": "115.440000", "total_investment": "1020000.00", "color": "green",
        }
    ]  # fmt: skip


def test_a_county_sees_its_own_dashboard_and_the_city_a_county_s(city, projects):
    own = ApiClient(city.county).get("/dashboard").json()
    assert own["projects"] == 1 and [row["code"] for row in own["regions"]] == ["371525"]
    assert (own["scope"]["level"], own["scope"]["name"]) == ("county", "冠县")
    county = ApiClient(city.city_admin).get("/dashboard", {"region": "371525"}).json()
    assert county["scope"]["level"] == "county" and county["scope"]["name"] == "冠县"
    assert county["projects"] == 1 and county["warnings"]["red"] == 0


def test_another_city_sees_nothing_of_this_one(city, other_city, projects):
    body = ApiClient(other_city.city_admin).get("/dashboard").json()
    assert body["projects"] == 0 and body["points"] == [] and body["blockers"]["open"] == 0
    assert "371525" not in {row["code"] for row in body["regions"]}


def test_the_province_compares_its_cities(city, other_city, projects):
    list_project(region=other_city.qihe, owner=other_city.enterprise)
    body = ApiClient(city.province_officer).get("/dashboard").json()
    assert body["scope"]["level"] == "province"
    assert {row["code"]: row["projects"] for row in body["regions"]} == {"371500": 2, "371400": 1}


def test_the_cache_is_dropped_when_a_project_changes(city, projects, django_capture_on_commit_callbacks):
    lugang, _aobo = projects
    client = ApiClient(city.city_admin)
    assert client.get("/dashboard").json()["projects"] == 2
    Project.objects.filter(pk=lugang.pk).update(stage="withdrawn")
    assert client.get("/dashboard").json()["projects"] == 2  # cached
    with django_capture_on_commit_callbacks(execute=True):
        publish(ProjectChanged(project_id=lugang.pk, city_id=lugang.city_id))
    assert client.get("/dashboard").json()["projects"] == 1


def test_the_cache_is_dropped_by_a_blocker_s_step_and_a_warnings_refresh(
    city, projects, django_capture_on_commit_callbacks
):
    lugang, aobo = projects
    client = ApiClient(city.city_admin)
    assert client.get("/dashboard").json()["blockers"]["open"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        raised = ApiClient(city.owner).post(
            "/blockers", {"project": lugang.pk, "category": "funds", "description": "专项债资金未到位"}
        )
    assert raised.status_code == 201
    assert client.get("/dashboard").json()["blockers"]["open"] == 2
    ProjectWarning.objects.filter(project=aobo).update(color=Color.YELLOW)  # stale: the refresh reddens it
    invalidate(aobo.city_id)
    assert client.get("/dashboard").json()["warnings"]["red"] == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert warnings_refresh(project_ids=[aobo.pk]).updated == 1
    assert client.get("/dashboard").json()["warnings"]["red"] == 1


def test_the_pages_show_the_figures_and_link_to_the_lists(city, projects):
    client = Client()
    client.force_login(city.city_admin)
    page = client.get("/dashboard/").content.decode()
    assert "聊城市重点项目挂图作战" in page and "已开工1个 / 应开工2个" in page
    assert "/projects/?year=2026&amp;pipeline=scheduled" in page
    assert 'href="?region=371525"' in page
    county = client.get("/dashboard/?region=371525").content.decode()
    assert "冠县重点项目挂图作战" in county
    march = client.get("/dashboard/?as_of=2026-03-31").content.decode()
    assert "数据截至2026-03-31" in march
    assert "数据截至2026-06-15" in client.get("/dashboard/?as_of=2026-02-30").content.decode()
    wall = client.get("/dashboard/wall/").content.decode()
    assert "wr-wall" in wall and "/api/v1/dashboard" in wall


def _queries(client: ApiClient) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/dashboard").status_code == 200
    return len(captured)


def test_the_dashboard_takes_as_many_queries_for_many_projects_as_for_few(city, projects):
    client = ApiClient(city.city_admin)
    _queries(client)  # the token's first use of the day is recorded once
    few = _queries(client)
    for i in range(20):
        project = list_project(
            name=f"项目{i}", region=city.guanxian if i % 2 else city.gaotang, owner=city.enterprise,
            actual_start=D(2026, 3, 1), latitude=Decimal("36.4"), longitude=Decimal("115.9"),
        )  # fmt: skip
        report(project, D(2026, 3, 1), "100", by=city.county, reviewed_on=D(2026, 4, 5))
    assert _queries(client) == few
    assert few == 23


def test_the_answer_is_in_the_shape_of_its_schema(city, projects):
    from keyprojects.warroom.schemas import DashboardOut

    body = ApiClient(city.city_admin).get("/dashboard").json()
    assert DashboardOut.model_validate(body).model_dump(mode="json") == body


def test_an_enterprise_has_no_war_room(city, projects):
    assert ApiClient(city.owner).get("/dashboard").status_code == 403
    client = Client()
    client.force_login(city.owner)
    assert client.get("/dashboard/").status_code == 403
    assert "挂图作战" not in client.get("/projects/").content.decode()
    client.force_login(city.leader)
    assert client.get("/dashboard/").status_code == 200


def test_the_province_drills_down_to_a_city_and_its_counties(city, other_city, projects):
    list_project(region=other_city.qihe, owner=other_city.enterprise)
    province = ApiClient(city.province_officer)
    body = province.get("/dashboard", {"city": "371500"}).json()
    assert body["scope"] == {
        "level": "city", "code": "371500", "name": "聊城市", "city_code": "371500", "city_name": "聊城市",
    }  # fmt: skip
    assert body["projects"] == 2 and body["rates"]["start_rate"]["value"] == "0.500"
    regions = {row["code"]: row["projects"] for row in body["regions"]}
    assert regions["371525"] == 1 and "371400" not in regions and len(body["points"]) == 1
    county = province.get("/dashboard", {"city": "371500", "region": "371525"}).json()
    assert (county["scope"]["level"], county["scope"]["city_code"], county["projects"]) == (
        "county",
        "371500",
        1,
    )
    reader = Client()
    reader.force_login(city.province_officer)
    whole = reader.get("/dashboard/").content.decode()
    assert 'href="?city=371500"' in whole
    page = reader.get("/dashboard/?city=371500").content.decode()
    assert "全省" in page and 'href="?city=371500&amp;region=371525"' in page
    assert "projects/?year=2026&amp;pipeline=scheduled&amp;city=371500" in page
    # a city office cannot look into another city through `city`
    other = ApiClient(other_city.city_admin).get("/dashboard", {"city": "371500"}).json()
    assert other["projects"] == 0 and other["scope"]["code"] == "371400"


def test_the_project_list_takes_a_city(city, other_city, projects):
    list_project(region=other_city.qihe, owner=other_city.enterprise)
    province = ApiClient(city.province_officer)
    assert province.get("/projects", {"city": "371400"}).json()["count"] == 1
    assert province.get("/projects", {"city": "371500"}).json()["count"] == 2
