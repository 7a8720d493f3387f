"""Rates for a past date stay what they were on that date, whatever changed since (the reviewer's
repro: raise a plan, withdraw a project, move it, take it out of the statistics, create one today)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from keyprojects.inclusion.selectors import inclusion_etag
from keyprojects.inclusion.services import inclusion_clear
from keyprojects.metrics import selectors
from keyprojects.projects.models import Pipeline, Project, Stage
from keyprojects.projects.services import project_create, project_transition, project_update

from .helpers import include, list_project, report
from .test_rates import metrics_api

MARCH_31 = datetime.date(2026, 3, 31)


@pytest.fixture
def guan(city):
    """Two started projects in 冠县 with 10,000万元 plans each; one is in the statistics."""
    first = list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 2, 1))
    second = list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 2, 1))
    include(first, datetime.date(2026, 3, 1))
    report(first, datetime.date(2026, 3, 1), "3000", by=city.owner, reviewed_on=MARCH_31)
    return first, second


def march(client, **params):
    return metrics_api(client, as_of="2026-03-31", region="371525", **params)


def fresh(project: Project) -> Project:
    return Project.objects.get(pk=project.pk)


@pytest.mark.parametrize("listed", [500, 0], ids=["changed projects listed by id", "more than are listed"])
def test_changes_made_today_do_not_move_a_past_date(client, city, guan, monkeypatch, listed):
    """Also when more projects changed than are listed by id: their history is then read through a
    subquery, with the same result."""
    monkeypatch.setattr(selectors, "MAX_LISTED_IDS", listed)
    first, second = guan
    client.force_login(city.city_admin)
    before = march(client)
    assert before["investment_rate"] == {
        "numerator": "3000.00",
        "denominator": "20000.00",
        "value": "0.150",
    }
    assert before["start_rate"] == {"numerator": 2, "denominator": 2, "value": "1.000"}
    assert before["statistics_rate"] == {"numerator": 1, "denominator": 2, "value": "0.500"}

    project_update(
        user=city.city_admin,
        project_id=first.pk,
        data={"annual_investment": Decimal("30000")},
        version=first.version,
    )
    assert march(client) == before
    today = metrics_api(client, region="371525", year=2026)
    assert today["investment_rate"]["denominator"] == "40000.00"

    project_transition(
        user=city.city_admin,
        project_id=first.pk,
        version=fresh(first).version,
        stage=Stage.WITHDRAWN,
        reason="企业投资计划调整，退出清单",
    )
    assert march(client) == before
    assert metrics_api(client, region="371525", year=2026)["start_rate"]["denominator"] == 1

    inclusion_clear(
        user=city.city_admin,
        project_id=first.pk,
        reason="误登记",
        etag=inclusion_etag(first.statistics.get()),
    )
    project_update(
        user=city.city_admin,
        project_id=second.pk,
        data={"region": city.gaotang, "actual_start": datetime.date(2026, 4, 10)},
        version=second.version,
    )
    assert march(client) == before
    assert march(client, pipeline="scheduled") == before
    page = client.get("/metrics/", {"as_of": "2026-03-31"}).content.decode()
    assert "高唐县" not in page  # the project moved there today: it was in 冠县 on 31 March


def test_a_project_created_today_does_not_count_for_yesterday(client, city, guan, clock):
    client.force_login(city.city_admin)
    today = clock.today
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    before = metrics_api(client, as_of=yesterday, year=today.year)
    project_create(
        user=city.city_admin,
        data={
            "name": "今天新建的调度库项目",
            "owner": city.enterprise,
            "region": city.guanxian,
            "year": today.year,
            "pipeline": Pipeline.SCHEDULED,
            "stage": Stage.PREPARATION,
            "total_investment": Decimal("8000"),
            "annual_investment": Decimal("5000"),
        },
    )
    assert metrics_api(client, as_of=yesterday, year=today.year) == before
    now = metrics_api(client, as_of=today.isoformat(), year=today.year)
    plan = Decimal(before["investment_rate"]["denominator"]) + 5000
    assert Decimal(now["investment_rate"]["denominator"]) == plan


def test_past_rates_survive_a_region_rename_and_the_english_language(client, city, guan):
    """The as-of correction reads the typed history (region ids, dates, decimals), never its text:
    renaming the counties a project moved between, and writing and reading in English, change no
    rate of any past date."""
    first, second = guan
    client.force_login(city.city_admin)
    dates = ("2026-02-28", "2026-03-31", "2026-04-30")
    before = {day: metrics_api(client, as_of=day, region="371525") for day in dates}
    with translation.override("en"):
        project_update(
            user=city.city_admin,
            project_id=second.pk,
            data={"region": city.gaotang, "annual_investment": Decimal("25000")},
            version=second.version,
        )
        inclusion_clear(
            user=city.city_admin,
            project_id=first.pk,
            reason="wrong entry",
            etag=inclusion_etag(first.statistics.get()),
        )
    for region, name in ((city.guanxian, "冠县（更名）"), (city.gaotang, "高唐县（更名）")):
        region.name = name
        region.save()
    for day in dates:
        assert metrics_api(client, as_of=day, region="371525") == before[day]
        english = client.get(
            "/api/v1/metrics", {"as_of": day, "region": "371525"}, headers={"Accept-Language": "en"}
        )
        assert english.json() == before[day]
    page = client.get("/metrics/", {"as_of": "2026-03-31"}).content.decode()
    assert "高唐县（更名）" not in page and "冠县（更名）" in page
