"""Monthly plans and the 序时进度 they give, the city office's counting bases, the workbook of the
rates, and the chain slice."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from keyprojects.accounts.models import Region, Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.chains.models import IndustrialChain
from keyprojects.core.tests.forms import form_fields
from keyprojects.metrics.models import MetricsSettings
from keyprojects.projects.models import ProjectEvent
from keyprojects.projects.services import project_update

from .helpers import list_project, report
from .test_rates import metrics_api

MARCH_31 = datetime.date(2026, 3, 31)


def put_json(client, url, data, **headers):
    return client.put(url, data, content_type="application/json", headers=headers)


@pytest.fixture
def planned(city):
    """Two started projects of 10,000万元 a year in 冠县; 2,000 completed on each by March."""
    first = list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 1, 5))
    second = list_project(region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 1, 5))
    for project in (first, second):
        report(project, datetime.date(2026, 3, 1), "2000", by=city.owner, reviewed_on=MARCH_31)
    return first, second


def test_time_progress_is_by_whole_months_unless_the_city_says_otherwise(client, city):
    client.force_login(city.city_admin)
    assert metrics_api(client, as_of="2026-03-31")["time_progress"] == "0.25"
    assert metrics_api(client, as_of="2026-03-30")["time_progress"] == "0.167"


def test_the_monthly_plan_sets_time_progress(client, city, planned):
    first, _second = planned
    url = f"/api/v1/projects/{first.pk}/monthly-plan"
    client.force_login(city.owner)  # the owner may edit its project
    empty = client.get(url)
    assert empty.json() == {"year": 2026, "annual_plan": "10000.00", "total": "0.00", "months": []}
    months = [{"month": 1, "amount": "500"}, {"month": 2, "amount": "1500"}, {"month": 3, "amount": "2000"}]
    assert put_json(client, url, {"months": months}).status_code == 428
    saved = put_json(client, url, {"months": months}, **{"If-Match": empty["ETag"]})
    assert saved.status_code == 200, saved.content
    assert saved.json()["total"] == "4000.00"
    assert saved["ETag"] != empty["ETag"]
    assert put_json(client, url, {"months": months}, **{"If-Match": empty["ETag"]}).status_code == 412
    event = ProjectEvent.objects.get(project=first, field="monthly_plan")
    assert event.new == {
        "t": "map",
        "v": {
            "year": {"t": "int", "v": 2026},
            "plan": {
                "t": "map",
                "v": {m: {"t": "decimal", "v": v} for m, v in (("1", "500"), ("2", "1500"), ("3", "2000"))},
            },
        },
    }
    history = client.get(f"/api/v1/projects/{first.pk}/history").json()["items"][0]
    assert history["new_value"] == "2026：1月500、2月1500、3月2000"

    client.force_login(city.city_admin)
    # the first project planned 4,000 by March, the second has no plan: 10,000 × 3/12
    body = metrics_api(client, as_of="2026-03-31", time_basis="plan")
    assert body["time_progress"] == "0.325"  # (4,000 + 2,500) ÷ 20,000
    assert body["vs_time_progress"] == "-12.5"
    assert metrics_api(client, as_of="2026-03-31", time_basis="month")["time_progress"] == "0.25"
    # mid-March: only January and February are over
    assert metrics_api(client, as_of="2026-03-15", time_basis="plan")["time_progress"] == "0.183"


def test_monthly_plan_errors_and_who_may_set_it(client, city, planned):
    first, _second = planned
    url = f"/api/v1/projects/{first.pk}/monthly-plan"
    client.force_login(city.city_admin)
    etag = client.get(url)["ETag"]
    bad = put_json(client, url, {"months": [{"month": 13, "amount": "1"}]}, **{"If-Match": etag})
    assert bad.status_code == 422
    twice = [{"month": 2, "amount": "1"}, {"month": 2, "amount": "2"}]
    assert put_json(client, url, {"months": twice}, **{"If-Match": etag}).status_code == 422
    for user, status in ((city.other_county, 404), (city.other_owner, 404), (city.leader, 403)):
        client.force_login(user)
        response = put_json(client, url, {"months": []}, **{"If-Match": etag})
        assert response.status_code == status, user
    assert not first.monthly_plans.exists()


def test_the_monthly_plan_page(client, city, planned):
    first, _second = planned
    client.force_login(city.county)
    page = client.get(f"/projects/{first.pk}/").content.decode()
    assert "月度计划投资" in page
    assert "未设月度计划" in page
    form = client.get(f"/metrics/projects/{first.pk}/monthly-plan/")
    assert form.status_code == 200
    etag = form.context["form"]["etag"].value()
    refused = client.post(f"/metrics/projects/{first.pk}/monthly-plan/", {"etag": etag, "month_4": "-5"})
    assert refused.status_code == 200
    assert "is-invalid" in refused.content.decode()
    assert not first.monthly_plans.exists()
    saved = client.post(
        f"/metrics/projects/{first.pk}/monthly-plan/", {"etag": etag, "month_1": "800", "month_2": ""}
    )
    assert saved.status_code == 302
    assert list(first.monthly_plans.values_list("month", "amount")) == [(1, Decimal("800.00"))]
    assert "800.00" in client.get(f"/projects/{first.pk}/").content.decode()
    client.force_login(city.leader)
    assert client.get(f"/metrics/projects/{first.pk}/monthly-plan/").status_code == 403
    assert "编辑月度计划" not in client.get(f"/projects/{first.pk}/").content.decode()


def test_two_setting_the_counting_bases_see_who_saved_what_and_reapply_their_own(client, city):
    form = '<form method="post" class="kp-card'
    client.force_login(city.city_admin)
    mine = form_fields(client.get("/metrics/settings/").content.decode(), form)
    colleague = Client()
    colleague.force_login(
        UserFactory(
            username="city-2",
            role=Role.CITY_ADMIN,
            organization=city.city_admin.organization,
            full_name="李四",
        )
    )
    theirs = form_fields(colleague.get("/metrics/settings/").content.decode(), form)
    theirs.update(start_basis=["planned"])
    assert colleague.post("/metrics/settings/", theirs).status_code == 302
    mine.update(time_basis=["plan"])

    page = client.post("/metrics/settings/", mine).content.decode()
    saved = re.search(r'id="merge-saved">(.*?)</ul>', page, re.S).group(1)
    assert re.search(
        r"李四 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 将“开工率分母”由 年度清单实施类项目 改为 截至统计日计划开工的项目",
        saved,
    )
    rows = re.findall(r'data-merge="(\w+)">\s*<td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>', page)
    assert rows == [("time_basis", "按月", "按月度计划")]
    again = form_fields(page, form)
    assert again["keep"] == ["time_basis"]
    assert client.post("/metrics/settings/", again).status_code == 302
    settings = MetricsSettings.for_city(city.liaocheng.pk)
    assert (settings.start_basis, settings.time_basis, settings.version) == ("planned", "plan", 3)


def test_the_city_office_sets_the_counting_bases(client, city):
    for user in (city.county, city.leader, city.owner):
        client.force_login(user)
        assert client.get("/metrics/settings/").status_code == 403
        assert (
            put_json(client, "/api/v1/metrics/settings", {"time_basis": "day", "version": 1}).status_code
            == 403
        )
    client.force_login(city.city_admin)
    assert 'href="/metrics/settings/"' in client.get("/metrics/").content.decode()
    assert client.get("/metrics/settings/").status_code == 200
    response = client.post(
        "/metrics/settings/", {"start_basis": "planned", "time_basis": "plan", "version": 1}
    )
    assert response.status_code == 302
    settings = MetricsSettings.for_city(city.liaocheng.pk)
    assert (settings.start_basis, settings.time_basis, settings.version) == ("planned", "plan", 2)
    stale = client.post("/metrics/settings/", {"start_basis": "list", "time_basis": "day", "version": 1})
    assert 'id="merge"' in stale.content.decode()

    body = client.get("/api/v1/metrics/settings").json()
    assert body == {"start_basis": "planned", "time_basis": "plan", "version": 2}
    body["time_basis"] = "day"
    saved = put_json(client, "/api/v1/metrics/settings", body)
    assert saved.status_code == 200
    assert saved["ETag"] == '"3"'
    assert put_json(client, "/api/v1/metrics/settings", {"time_basis": "month"}).status_code == 428
    assert (
        put_json(
            client, "/api/v1/metrics/settings", {"time_basis": "week"}, **{"If-Match": '"3"'}
        ).status_code
        == 422
    )
    assert metrics_api(client, as_of="2026-07-02")["time_progress"] == "0.501"


def test_the_rates_as_a_workbook(client, city, planned):
    list_project(region=city.gaotang, owner=city.other_enterprise)
    client.force_login(city.city_admin)
    assert (
        'href="/metrics/export.xlsx?as_of=2026-03-31"'
        in client.get("/metrics/", {"as_of": "2026-03-31"}).content.decode()
    )
    htmx = client.get("/metrics/", {"as_of": "2026-03-31", "level": ""}, headers={"HX-Request": "true"})
    assert 'href="/metrics/export.xlsx?as_of=2026-03-31&amp;level="' in htmx.content.decode()
    response = client.get("/metrics/export.xlsx", {"as_of": "2026-03-31"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "截至2026-03-31" in rows[0][0]
    assert rows[1][:4] == ("县（市、区）", "已开工（个）", "应开工（个）", "开工率")
    assert [row[0] for row in rows[2:]] == ["冠县", "高唐县", "合计"]
    guan = rows[2]
    assert guan[1:4] == (2, 2, 1)
    assert (guan[7], guan[8], guan[9], guan[10]) == (4000, 20000, 0.2, 0.25)
    assert rows[4][1:3] == (2, 3)

    client.force_login(city.other_county)
    sheet = load_workbook(BytesIO(client.get("/metrics/export.xlsx", {"as_of": "2026-03-31"}).content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)] == ["高唐县", "合计"]
    client.logout()
    assert client.get("/metrics/export.xlsx").status_code == 302


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx"])
def test_the_rates_workbook_keeps_formula_like_names_as_text(client, city, planned, name):
    Region.objects.filter(pk=city.guanxian.pk).update(name=name)
    client.force_login(city.city_admin)
    response = client.get("/metrics/export.xlsx", {"as_of": "2026-03-31"})
    label, started, due, rate, *_rest = load_workbook(BytesIO(response.content)).active[3]
    assert (label.value, label.data_type) == (name, "s")
    assert (started.value, due.value, rate.value) == (2, 2, 1)
    assert started.data_type == rate.data_type == "n"


def test_the_chain_slice(client, city):
    bearing = IndustrialChain.objects.create(city=city.liaocheng, code="bearing", name="轴承")
    list_project(
        region=city.guanxian, owner=city.enterprise, chain=bearing, actual_start=datetime.date(2026, 2, 1)
    )
    other = list_project(region=city.guanxian, owner=city.enterprise)
    client.force_login(city.city_admin)
    assert metrics_api(client, as_of="2026-04-30")["start_rate"]["denominator"] == 2
    assert metrics_api(client, as_of="2026-04-30", chain="bearing")["start_rate"] == {
        "numerator": 1,
        "denominator": 1,
        "value": "1.000",
    }
    page = client.get("/metrics/", {"as_of": "2026-04-30", "chain": "bearing"}).content.decode()
    assert "轴承" in page
    assert 'data-total="start_rate">100.0%' in page
    # put on the chain today: not on it on 30 April
    project_update(user=city.city_admin, project_id=other.pk, data={"chain": bearing}, version=other.version)
    assert metrics_api(client, as_of="2026-04-30", chain="bearing")["start_rate"]["denominator"] == 1
    assert metrics_api(client, year=2026, chain="bearing")["start_rate"]["denominator"] == 2
