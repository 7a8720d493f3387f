"""Batches as readers and clients see them: the announced totals and those of the projects one may see,
the latest on the dashboard, nothing of another city."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.batches.models import Batch
from keyprojects.batches.services import batch_record
from keyprojects.core.errors import ApplicationError
from keyprojects.metrics.tests.helpers import list_project

D = datetime.date


@pytest.fixture
def autumn(city):
    lugang = list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)
    aobo = list_project(name="奥博生物", region=city.gaotang, owner=city.other_enterprise)
    return batch_record(
        user=city.city_admin, kind=Batch.Kind.START, name="秋季重点项目集中开工", held_on=D(2026, 9, 26),
        venue="高新区鲁西化工项目现场", venue_project_id=lugang.pk, announced_count=194,
        announced_investment=Decimal("10430000"), project_ids=[aobo.pk],
    )  # fmt: skip


def test_the_city_lists_its_batches_with_their_totals(city, autumn):
    rows = ApiClient(city.city_admin).get("/batches").json()
    assert [(r["name"], r["announced_count"], r["project_count"], r["total_investment"]) for r in rows] == [
        ("秋季重点项目集中开工", 194, 2, "100000.00")
    ]
    assert rows[0]["announced_investment"] == "10430000.00" and rows[0]["region_name"] == "冠县"


def test_a_county_counts_only_the_projects_it_sees(city, autumn):
    rows = ApiClient(city.county).get("/batches").json()
    assert rows[0]["project_count"] == 1
    client = Client()
    client.force_login(city.county)
    page = client.get(f"/batches/{autumn.pk}/").content.decode()
    assert "冠州国际陆港" in page and "奥博生物" not in page


def test_another_city_sees_no_batch(city, other_city, autumn):
    assert ApiClient(other_city.city_admin).get("/batches").json() == []
    client = Client()
    client.force_login(other_city.city_admin)
    assert client.get(f"/batches/{autumn.pk}/").status_code == 404


def test_a_batch_takes_only_projects_of_its_city(city, other_city):
    foreign = list_project(region=other_city.qihe, owner=other_city.enterprise)
    with pytest.raises(ApplicationError):
        batch_record(
            user=city.city_admin, kind=Batch.Kind.TOUR, name="观摩", held_on=D(2026, 8, 31),
            project_ids=[foreign.pk],
        )  # fmt: skip
    assert not Batch.objects.exists()


def test_the_list_page_shows_the_announced_totals(city, autumn):
    client = Client()
    client.force_login(city.city_admin)
    page = client.get("/batches/").content.decode()
    assert "秋季重点项目集中开工" in page and "1,043.00亿元" in page


def test_the_city_office_records_a_batch_and_changes_it(city):
    lugang = list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)
    client = Client()
    client.force_login(city.city_admin)
    form = {
        "kind": "tour", "name": "上半年重点项目现场观摩", "held_on": "2026-08-31", "venue": "冠县",
        "venue_project": str(lugang.pk), "announced_count": "", "announced_investment": "", "projects": [],
    }  # fmt: skip
    response = client.post("/batches/new/", form)
    batch = Batch.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/batches/{batch.pk}/"
    assert list(batch.projects.all()) == [lugang] and batch.region == city.guanxian
    client.post(
        f"/batches/{batch.pk}/edit/", {**form, "name": "全市重点项目现场观摩", "announced_count": "6"}
    )
    batch.refresh_from_db()
    assert (batch.name, batch.announced_count) == ("全市重点项目现场观摩", 6)


def test_a_batch_name_is_used_once_and_counties_record_none(city):
    client = Client()
    client.force_login(city.city_admin)
    form = {"kind": "start", "name": "集中开工", "held_on": "2026-03-18"}
    client.post("/batches/new/", form)
    page = client.post("/batches/new/", form).content.decode()
    assert "本市已有同名的批次" in page and Batch.objects.count() == 1
    client.force_login(city.county)
    assert client.post("/batches/new/", {**form, "name": "县里的"}).status_code == 403
    with pytest.raises(PermissionDenied):
        batch_record(user=city.county, kind="start", name="县里的", held_on=D(2026, 3, 18))
