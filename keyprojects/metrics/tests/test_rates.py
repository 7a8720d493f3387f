"""The three rates through the page and the API: the worked example, as-of semantics and slices."""

import datetime
from decimal import Decimal

import pytest

from keyprojects.projects.models import Level, ListKind, Pipeline, Stage

from .helpers import bulk_projects, include, list_project, report

MARCH_31 = datetime.date(2026, 3, 31)


def metrics_api(client, **params):
    response = client.get("/api/v1/metrics", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def bulletin(city):
    """A published bulletin's figures: 131 implementation projects, 94 of them started; an annual
    plan of 10,000万元 of which 3,050 was completed by the end of March."""
    started = bulk_projects(
        94,
        region=city.guanxian,
        owner=city.enterprise,
        actual_start=datetime.date(2026, 2, 1),
        stage=Stage.NEW_START,
    )
    waiting = bulk_projects(37, region=city.guanxian, owner=city.enterprise)
    planned = list_project(
        region=city.guanxian,
        owner=city.enterprise,
        list_kind=ListKind.PREPARATION,
        annual_investment=Decimal("10000"),
    )
    for month, amount in ((1, "1000"), (2, "1000"), (3, "1050")):
        report(planned, datetime.date(2026, month, 1), amount, by=city.owner, reviewed_on=MARCH_31)
    return started, waiting, planned


def test_worked_example_from_a_bulletin(client, city, bulletin):
    client.force_login(city.city_admin)
    body = metrics_api(client, as_of="2026-03-31", time_basis="month")
    assert body == {
        "as_of": "2026-03-31",
        "start_rate": {"numerator": 94, "denominator": 131, "value": "0.718"},
        "statistics_rate": {"numerator": 0, "denominator": 94, "value": "0.000"},
        "investment_rate": {"numerator": "3050.00", "denominator": "10000.00", "value": "0.305"},
        "time_progress": "0.25",
        "vs_time_progress": "5.5",
    }
    page = client.get("/metrics/", {"as_of": "2026-03-31", "time_basis": "month"}).content.decode()
    assert "超序时进度5.5个百分点" in page
    assert "71.8%" in page
    assert "冠县" in page


def test_behind_time_progress_is_worded_as_such(client, city):
    project = list_project(
        region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 1, 5)
    )
    report(project, datetime.date(2026, 1, 1), "500", by=city.owner, reviewed_on=datetime.date(2026, 2, 3))
    client.force_login(city.city_admin)
    body = metrics_api(client, as_of="2026-03-31", time_basis="month")
    assert body["vs_time_progress"] == "-20.0"
    assert (
        "低于序时进度20.0个百分点"
        in client.get("/metrics/", {"as_of": "2026-03-31", "time_basis": "month"}).content.decode()
    )


def test_time_progress_by_days_counts_the_as_of_day(client, city):
    client.force_login(city.city_admin)
    assert metrics_api(client, as_of="2026-12-31", time_basis="day")["time_progress"] == "1"
    assert metrics_api(client, as_of="2026-07-02", time_basis="day")["time_progress"] == "0.501"  # 183/365
    assert (
        metrics_api(client, as_of="2026-03-15", time_basis="month")["time_progress"] == "0.167"
    )  # 2 whole months
    next_year = metrics_api(client, as_of="2026-03-31", year=2027)
    assert next_year["time_progress"] == "0"
    assert next_year["start_rate"] == {"numerator": 0, "denominator": 0, "value": None}
    assert next_year["vs_time_progress"] is None


def test_a_past_date_uses_only_what_was_known_then(client, city):
    project = list_project(
        region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 3, 10)
    )
    first = report(
        project, datetime.date(2026, 3, 1), "2000", by=city.owner, reviewed_on=datetime.date(2026, 3, 30)
    )
    # accepted after the as-of date: a correction of March and April's report
    report(
        project,
        datetime.date(2026, 3, 1),
        "2500",
        by=city.owner,
        reviewed_on=datetime.date(2026, 4, 5),
        version=2,
        supersedes=first,
    )
    report(project, datetime.date(2026, 4, 1), "900", by=city.owner, reviewed_on=datetime.date(2026, 5, 3))
    # submitted but never accepted
    report(project, datetime.date(2026, 5, 1), "700", by=city.owner, reviewed_on=None, status="submitted")
    include(project, datetime.date(2026, 4, 20))
    client.force_login(city.city_admin)

    march = metrics_api(client, as_of="2026-03-31")
    assert march["investment_rate"]["numerator"] == "2000.00"
    assert march["statistics_rate"] == {"numerator": 0, "denominator": 1, "value": "0.000"}
    assert metrics_api(client, as_of="2026-03-09")["start_rate"]["numerator"] == 0

    may = metrics_api(client, as_of="2026-05-31")
    assert may["investment_rate"]["numerator"] == "3400.00"
    assert may["statistics_rate"]["value"] == "1.000"
    assert may["start_rate"] == {"numerator": 1, "denominator": 1, "value": "1.000"}


def test_only_the_years_list_counts(client, city):
    list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 1, 5))
    list_project(region=city.guanxian, owner=city.enterprise, pipeline=Pipeline.RESERVE)
    list_project(region=city.guanxian, owner=city.enterprise, stage=Stage.WITHDRAWN, stage_reason="退出")
    list_project(region=city.guanxian, owner=city.enterprise, year=2025)
    client.force_login(city.city_admin)
    body = metrics_api(client, as_of="2026-06-30")
    assert body["start_rate"] == {"numerator": 1, "denominator": 1, "value": "1.000"}
    assert body["investment_rate"]["denominator"] == "10000.00"
    assert metrics_api(client, as_of="2026-06-30", year=2025)["start_rate"]["denominator"] == 1


def test_planned_start_basis_counts_only_projects_due_to_start(client, city):
    list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 2, 1))
    list_project(region=city.guanxian, owner=city.enterprise, planned_start=datetime.date(2026, 3, 1))
    list_project(region=city.guanxian, owner=city.enterprise, planned_start=datetime.date(2026, 9, 1))
    client.force_login(city.city_admin)
    assert metrics_api(client, as_of="2026-04-30")["start_rate"]["denominator"] == 3
    planned = metrics_api(client, as_of="2026-04-30", start_basis="planned")["start_rate"]
    assert planned == {"numerator": 1, "denominator": 2, "value": "0.500"}


def test_statistics_rate_counts_started_projects_above_the_threshold(client, city):
    due = list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 2, 1))
    list_project(
        region=city.guanxian,
        owner=city.enterprise,
        actual_start=datetime.date(2026, 2, 1),
        total_investment=Decimal("499"),
    )
    list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 2, 1))
    include(due, datetime.date(2026, 3, 1))
    client.force_login(city.city_admin)
    assert metrics_api(client, as_of="2026-04-30")["statistics_rate"] == {
        "numerator": 1,
        "denominator": 2,
        "value": "0.500",
    }


def test_slices_and_scoping(client, city):
    list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 2, 1))
    list_project(region=city.guanxian, owner=city.enterprise, level=Level.PROVINCIAL)
    list_project(region=city.gaotang, owner=city.other_enterprise, level=Level.PROVINCIAL, category="social")
    client.force_login(city.city_admin)
    assert metrics_api(client, as_of="2026-04-30")["start_rate"]["denominator"] == 3
    assert metrics_api(client, as_of="2026-04-30", region="371525")["start_rate"]["denominator"] == 2
    assert metrics_api(client, as_of="2026-04-30", level="provincial")["start_rate"]["denominator"] == 2
    assert metrics_api(client, as_of="2026-04-30", category="social")["start_rate"]["denominator"] == 1

    client.force_login(city.county)
    assert metrics_api(client, as_of="2026-04-30")["start_rate"] == {
        "numerator": 1,
        "denominator": 2,
        "value": "0.500",
    }
    assert metrics_api(client, as_of="2026-04-30", region="371526")["start_rate"]["denominator"] == 0
    page = client.get("/metrics/", {"as_of": "2026-04-30"}).content.decode()
    assert "冠县" in page
    assert "高唐县" not in page


def test_the_page_has_one_row_per_county_and_a_total(client, city):
    list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 2, 1))
    list_project(region=city.gaotang, owner=city.other_enterprise)
    client.force_login(city.leader)
    page = client.get("/metrics/", {"as_of": "2026-04-30"}).content.decode()
    assert 'data-row="冠县"' in page
    assert 'data-row="高唐县"' in page
    assert 'data-row="合计"' in page
    assert "1/2" in page  # the total: one of two started
    htmx = client.get("/metrics/", {"as_of": "2026-04-30"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in htmx
    assert 'id="metrics-table"' in htmx


def test_who_may_read_the_rates(client, city):
    for user, status in (
        (city.admin, 403),
        (city.owner, 200),
        (city.city_admin, 200),
        (city.department_officer, 200),
    ):
        client.force_login(user)
        assert client.get("/metrics/").status_code == status
        assert client.get("/api/v1/metrics").status_code == status
    client.logout()
    assert client.get("/metrics/").status_code == 302
    assert client.get("/api/v1/metrics").status_code == 401


def test_bad_parameters_answer_422(client, city):
    client.force_login(city.city_admin)
    response = client.get("/api/v1/metrics", {"as_of": "2026-13-01"})
    assert response.status_code == 422
    assert "as_of" in response.json()["errors"]


def test_the_rates_take_a_fixed_number_of_queries(city, bulletin, django_assert_num_queries):
    from keyprojects.metrics.selectors import MetricsQuery, metrics, metrics_by_county

    query = MetricsQuery.build(as_of=MARCH_31, start_basis="list", time_basis="month")
    metrics(user=city.city_admin, query=query)  # creates the settings row on first use
    # the inclusion threshold, the projects' aggregate (with their investment), the changes since
    # the date (+ the regions)
    with django_assert_num_queries(3):
        metrics(user=city.city_admin, query=query)
    with django_assert_num_queries(4):
        table = metrics_by_county(user=city.city_admin, query=query)
    assert [row.region.name for row in table.rows] == ["冠县"]
    assert table.total.start_rate.value == Decimal("0.718")


def test_the_page_shows_the_date_it_counts_to(client, city, clock):
    client.force_login(city.city_admin)
    today = clock.today.isoformat()
    assert f'value="{today}"' in client.get("/metrics/").content.decode()
    assert 'value="2026-03-31"' in client.get("/metrics/", {"as_of": "2026-03-31"}).content.decode()


def test_a_citys_investment_is_read_through_its_own_projects(city, other_city, bulletin):
    """The completed investment of a city's rates is read project by project from the city's own projects
    (found by their city key), never by scanning every city's figures in force: a city's rates must not
    grow with the others'."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keyprojects.metrics.selectors import MetricsQuery, metrics

    theirs = list_project(
        region=other_city.qihe, owner=other_city.enterprise, annual_investment=Decimal("500")
    )
    report(theirs, datetime.date(2026, 2, 1), "400", by=other_city.owner, reviewed_on=MARCH_31)
    query = MetricsQuery.build(as_of=MARCH_31, start_basis="list", time_basis="month")
    with CaptureQueriesContext(connection) as queries:
        mine = metrics(user=city.city_admin, query=query)
    assert mine.investment_rate.numerator == Decimal("3050.00")
    assert not [q["sql"] for q in queries if '"progress_monthlyreport"' in q["sql"]]
    from_figures = [q["sql"] for q in queries if 'FROM "progress_figureinforce"' in q["sql"]]
    assert from_figures
    for sql in from_figures:
        assert f'"projects_project"."city_id" = {city.liaocheng.pk}' in sql
        assert '"project_id" = ("projects_project"."id")' in sql
