"""Dispatch rounds: who opens them, what they hold, and late and missing reports per county."""

import datetime

import pytest
from django.utils import timezone

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.progress.models import DispatchRound, MonthlyReport
from keyprojects.projects.models import Pipeline, Stage

from .report_helpers import make_project, open_round, submit, this_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # rounds open around today


def round_payload(**overrides):
    today = timezone.localdate()
    month = this_month()
    return {
        "year": month.year,
        "month": month.month,
        "opens_on": str(today - datetime.timedelta(days=3)),
        "closes_on": str(today + datetime.timedelta(days=5)),
        **overrides,
    }


def test_city_office_opens_a_round_holding_the_years_scheduled_projects(city):
    year = this_month().year
    scheduled = make_project(city)
    other_county = make_project(city, region=city.gaotang, owner=city.other_enterprise)
    make_project(city, pipeline=Pipeline.RESERVE)
    make_project(city, stage=Stage.WITHDRAWN, stage_reason="企业撤回")
    make_project(city, year=year - 1)
    response = ApiClient(city.city_admin).post("/rounds", round_payload(county_may_fill=True))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["title"] == f"{year}年第{this_month().month}期"
    assert body["county_may_fill"] is True
    assert body["project_count"] == 2
    assert set(DispatchRound.objects.get().projects.values_list("pk", flat=True)) == {
        scheduled.pk,
        other_county.pk,
    }


def test_only_the_city_office_opens_rounds(city):
    make_project(city)
    for user in (city.county, city.owner, city.leader, city.department_officer):
        assert ApiClient(user).post("/rounds", round_payload()).status_code == 403
    assert not DispatchRound.objects.exists()


def test_one_round_per_month(city):
    make_project(city)
    client = ApiClient(city.city_admin)
    assert client.post("/rounds", round_payload()).status_code == 201
    again = client.post("/rounds", round_payload())
    assert again.status_code == 422
    assert "每月只有一期" in again.json()["errors"]["month"][0]


def test_round_window_and_project_list_are_checked(city):
    project = make_project(city)
    client = ApiClient(city.city_admin)
    today = timezone.localdate()
    response = client.post("/rounds", round_payload(closes_on=str(today - datetime.timedelta(days=10))))
    assert response.status_code == 422
    assert "closes_on" in response.json()["errors"]
    response = client.post("/rounds", round_payload(project_ids=[project.pk, 999999]))
    assert response.status_code == 422
    assert "999999" in response.json()["errors"]["project_ids"][0]
    response = client.post("/rounds", round_payload(project_ids=[project.pk]))
    assert response.status_code == 201
    assert response.json()["project_count"] == 1


def test_everyone_sees_the_rounds_of_their_projects(city):
    mine = make_project(city)
    dispatch_round = open_round(city, [mine])
    for user in (city.owner, city.county, city.city_admin, city.leader):
        assert ApiClient(user).get("/rounds").json()["count"] == 1
        assert ApiClient(user).get(f"/rounds/{dispatch_round.pk}").status_code == 200
    for user in (city.other_owner, city.other_county):
        assert ApiClient(user).get("/rounds").json()["count"] == 0
        assert ApiClient(user).get(f"/rounds/{dispatch_round.pk}").status_code == 404


def test_a_rounds_project_count_counts_only_what_the_user_sees(city):
    mine = make_project(city)
    theirs = make_project(city, region=city.gaotang, owner=city.other_enterprise)
    dispatch_round = open_round(city, [mine, theirs])
    counts = {}
    for role in ("city_admin", "leader", "county", "owner", "other_owner"):
        client = ApiClient(getattr(city, role))
        listed = client.get("/rounds").json()["items"][0]["project_count"]
        detail = client.get(f"/rounds/{dispatch_round.pk}").json()["project_count"]
        counts[role] = (listed, detail)
    assert counts == {
        "city_admin": (2, 2),
        "leader": (2, 2),
        "county": (1, 1),
        "owner": (1, 1),
        "other_owner": (1, 1),
    }


def _closed_round_with_reports(city):
    """冠县: one on time, one late, one missing; 高唐县: one missing."""
    on_time, late, missing = make_project(city), make_project(city), make_project(city)
    gaotang = make_project(city, region=city.gaotang, owner=city.other_enterprise)
    dispatch_round = open_round(city, [on_time, late, missing, gaotang], opens_in=-10, closes_in=-1)
    first = submit(city.owner, on_time)
    MonthlyReport.objects.filter(pk=first.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=3))
    submit(city.owner, late)
    return dispatch_round, on_time, late, missing, gaotang


def test_late_and_missing_reports_per_county(city):
    dispatch_round, _on_time, late, missing, gaotang = _closed_round_with_reports(city)
    body = ApiClient(city.city_admin).get(f"/rounds/{dispatch_round.pk}").json()
    regions = {r["region"]: r for r in body["regions"]}
    guan = regions[city.guanxian.code]
    assert (guan["projects"], guan["reported"], guan["accepted"]) == (3, 2, 0)
    assert [p["id"] for p in guan["missing"]] == [missing.pk]
    assert [p["id"] for p in guan["late"]] == [late.pk]
    gao = regions[city.gaotang.code]
    assert [p["id"] for p in gao["missing"]] == [gaotang.pk]
    assert gao["late"] == []
    county_view = ApiClient(city.county).get(f"/rounds/{dispatch_round.pk}").json()
    assert [r["region"] for r in county_view["regions"]] == [city.guanxian.code]


def test_the_round_page_lists_late_and_missing_reports(client, city):
    dispatch_round, _on_time, late, missing, gaotang = _closed_round_with_reports(city)
    client.force_login(city.city_admin)
    response = client.get(f"/progress/rounds/{dispatch_round.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert missing.name in html and late.name in html and gaotang.name in html
    assert response.context["missing"] == 2
    assert response.context["late"] == 1
    client.force_login(city.department_officer)
    assert client.get(f"/progress/rounds/{dispatch_round.pk}/").status_code == 404
    client.force_login(city.other_county)
    assert missing.name not in client.get(f"/progress/rounds/{dispatch_round.pk}/").content.decode()


def test_the_round_list_page_opens_a_round(client, city):
    make_project(city)
    client.force_login(city.city_admin)
    assert client.get("/progress/rounds/").status_code == 200
    today = timezone.localdate()
    data = round_payload(opens_on=str(today), closes_on=str(today - datetime.timedelta(days=1)))
    refused = client.post("/progress/rounds/", data)
    assert refused.status_code == 200
    assert "填报截止日期不能早于开始日期" in refused.content.decode()
    response = client.post("/progress/rounds/", round_payload())
    dispatch_round = DispatchRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/progress/rounds/{dispatch_round.pk}/"
    client.force_login(city.county)
    assert client.post("/progress/rounds/", round_payload(month=1)).status_code == 403
