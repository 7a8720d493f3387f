"""Allocations from a pool to a project: what a client and an officer see, and the rules that hold."""

import datetime
from decimal import Decimal

import pytest

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.factors.models import FactorLedgerEntry, FactorPool
from keyprojects.metrics.tests.helpers import list_project
from keyprojects.notifications.models import Notification

from .helpers import demand, pool

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def project(city):
    return list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)


def allocate(user, pool_id, project_id, amount, reason="土地挂牌出让"):
    return ApiClient(user).post(
        "/factor-allocations", {"pool": pool_id, "project": project_id, "amount": amount, "reason": reason}
    )


def test_an_allocation_moves_units_from_the_pool_and_is_listed_with_decimal_strings(city, project):
    land = pool(city, supply="100")
    demand(city, project, amount="60")
    answer = allocate(city.city_admin, land.pk, project.pk, "45.5")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["amount"] == "45.500"
    pools = ApiClient(city.city_admin).get("/factor-pools").json()["items"]
    assert [
        {k: p[k] for k in ("id", "kind", "unit", "region", "year", "supply", "allocated", "remaining")}
        for p in pools
    ] == [
        {
            "id": land.pk,
            "kind": "land",
            "unit": "亩",
            "region": city.liaocheng.code,
            "year": 2026,
            "supply": "100.000",
            "allocated": "45.500",
            "remaining": "54.500",
        }
    ]


def test_a_pool_never_gives_more_than_it_has_left(city, project):
    land = pool(city, supply="50")
    demand(city, project, amount="80")
    assert allocate(city.city_admin, land.pk, project.pk, "30").status_code == 201
    refused = allocate(city.city_admin, land.pk, project.pk, "20.001")
    assert refused.status_code == 409
    assert "剩余20" in refused.json()["errors"]["amount"][0]
    assert allocate(city.city_admin, land.pk, project.pk, "20").status_code == 201
    assert FactorPool.objects.get(pk=land.pk).remaining == 0


def test_the_database_refuses_a_pool_below_zero(city):
    from django.db import IntegrityError, transaction

    land = pool(city, supply="10")
    with pytest.raises(IntegrityError), transaction.atomic():
        FactorPool.objects.filter(pk=land.pk).update(allocated=Decimal("10.001"))


def test_a_project_gets_no_more_than_its_demand_lacks_and_only_against_a_demand(city, project):
    land = pool(city, supply="100")
    no_demand = allocate(city.city_admin, land.pk, project.pk, "1")
    assert no_demand.status_code == 422
    assert "project" in no_demand.json()["errors"]
    demand(city, project, amount="10")
    too_much = allocate(city.city_admin, land.pk, project.pk, "10.5")
    assert too_much.status_code == 409
    assert "尚缺10" in too_much.json()["errors"]["amount"][0]


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-1", "必须大于0"), ("abc", "有效的数字"), ("1.0001", "最多保留3位小数"), ("0", "必须大于0")],
)
def test_a_bad_amount_is_named(city, project, amount, message):
    land = pool(city)
    demand(city, project)
    answer = allocate(city.city_admin, land.pk, project.pk, amount)
    assert answer.status_code == 422
    assert message in answer.json()["errors"]["amount"][0]


def test_every_allocation_and_release_is_a_ledger_entry_with_who_and_why(city, project):
    land = pool(city, supply="100")
    demand(city, project, amount="60")
    allocation = allocate(city.city_admin, land.pk, project.pk, "60").json()
    released = ApiClient(city.county).post(
        f"/factor-allocations/{allocation['id']}/release", {"amount": "15", "reason": "规划调整，用地减少"}
    )
    assert released.status_code == 403  # the county gives out of its own sub-pool only
    released = ApiClient(city.city_admin).post(
        f"/factor-allocations/{allocation['id']}/release", {"amount": "15", "reason": "规划调整，用地减少"}
    )
    assert released.status_code == 200
    assert released.json()["released"] == "15.000"
    entries = ApiClient(city.city_admin).get("/factor-ledger", {"pool": land.pk}).json()["items"]
    assert [(e["kind"], e["amount"], e["remaining_after"], e["actor"], e["reason"]) for e in entries] == [
        ("release", "-15.000", "55.000", "city", "规划调整，用地减少"),
        ("allocate", "60.000", "40.000", "city", "土地挂牌出让"),
        ("supply", "100.000", "100.000", "city", "市政府下达年度指标"),
    ]
    too_much = ApiClient(city.city_admin).post(
        f"/factor-allocations/{allocation['id']}/release", {"amount": "45.001", "reason": "x"}
    )
    assert too_much.status_code == 409
    demands = ApiClient(city.owner).get("/factor-demands", {"project": project.pk}).json()["items"]
    assert [(d["amount"], d["allocated"], d["lacking"]) for d in demands] == [("60.000", "45.000", "15.000")]


def test_the_ledger_is_append_only(city):
    entry = FactorLedgerEntry.objects.get(pool=pool(city))
    entry.reason = "改写"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()


def test_a_county_sub_pool_is_carved_from_the_city_pool_and_never_counted_twice(city, project):
    land = pool(city, supply="100")
    guan = pool(city, supply="30", region=city.guanxian.code)
    assert guan.parent_id == land.pk
    land.refresh_from_db()
    assert (land.carved, land.remaining) == (Decimal("30"), Decimal("70"))
    over = ApiClient(city.city_admin).post(
        "/factor-pools",
        {"kind": "land", "year": 2026, "region": city.gaotang.code, "supply": "70.5", "reason": "下达"},
    )
    assert over.status_code == 409
    demand(city, project, amount="20")
    assert allocate(city.county, guan.pk, project.pk, "20").status_code == 201
    assert allocate(city.county, land.pk, project.pk, "1").status_code == 403  # the city's own pool
    post = ApiClient(city.city_admin).get("/factor-command-post", {"year": 2026}).json()
    (row,) = post["kinds"]
    assert (row["supply"], row["allocated"], row["remaining"]) == ("100.000", "20.000", "80.000")
    shrink = ApiClient(city.city_admin).post(
        "/factor-pools",
        {"kind": "land", "year": 2026, "region": city.guanxian.code, "supply": "19", "reason": "收回"},
    )
    assert shrink.status_code == 409  # 20 are already given to projects


def test_an_other_city_pool_is_not_there(city, other_city, project):
    land = pool(city)
    assert ApiClient(other_city.city_admin).get(f"/factor-pools/{land.pk}").status_code == 404
    assert ApiClient(other_city.city_admin).get("/factor-pools").json()["count"] == 0


def test_the_owners_are_notified_of_an_allocation(city, project):
    land = pool(city)
    demand(city, project, amount="10")
    allocate(city.city_admin, land.pk, project.pk, "10")
    (note,) = Notification.objects.filter(recipient=city.owner)
    assert note.kind == "factor.allocated"
    assert "冠州国际陆港" in note.title and "10亩" in note.title
    assert note.url == f"/projects/{project.pk}/#project-factors"
    assert not Notification.objects.filter(recipient=city.other_owner).exists()


def test_the_command_post_lists_the_waiting_projects_soonest_first(city, clock):
    first = list_project(name="先要地的项目", region=city.guanxian, owner=city.enterprise)
    later = list_project(name="后要地的项目", region=city.gaotang, owner=city.other_enterprise)
    today = clock.today
    demand(city, later, amount="5", needed_by=today + datetime.timedelta(days=30))
    demand(city, first, amount="8", needed_by=today - datetime.timedelta(days=3))
    post = ApiClient(city.city_admin).get("/factor-command-post").json()
    (land,) = post["kinds"]
    assert [(w["project_name"], w["lacking"], w["overdue"]) for w in land["waiting"]] == [
        ("先要地的项目", "8.000", True),
        ("后要地的项目", "5.000", False),
    ]
    assert [p["project_name"] for p in post["projects"]] == ["先要地的项目", "后要地的项目"]
    county = ApiClient(city.county).get("/factor-command-post").json()
    assert [p["project_name"] for p in county["projects"]] == ["先要地的项目"]


def test_an_owner_states_a_demand_of_its_own_project_only(city, project):
    mine = ApiClient(city.owner).post(
        "/factor-demands",
        {"project": project.pk, "kind": "energy", "amount": "1200", "needed_by": "2026-10-01"},
    )
    assert mine.status_code == 201
    assert mine.json()["unit"] == "吨标准煤"
    other = ApiClient(city.other_owner).post(
        "/factor-demands", {"project": project.pk, "kind": "energy", "amount": "1", "needed_by": "2026-10-01"}
    )
    assert other.status_code == 404
    assert ApiClient(city.owner).delete(f"/factor-demands/{mine.json()['id']}").status_code == 204


def test_a_pool_can_be_opened_empty_and_filled_later(city):
    opened = ApiClient(city.city_admin).post(
        "/factor-pools", {"kind": "vocs", "year": 2026, "supply": "0", "reason": "待省厅下达"}
    )
    assert opened.status_code == 201 and opened.json()["supply"] == "0.000"
    filled = ApiClient(city.city_admin).post(
        "/factor-pools", {"kind": "vocs", "year": 2026, "supply": "12.125", "reason": "省厅下达"}
    )
    assert filled.status_code == 200 and filled.json()["remaining"] == "12.125"
    assert (
        ApiClient(city.county)
        .post("/factor-pools", {"kind": "vocs", "year": 2026, "supply": "1", "reason": "x"})
        .status_code
        == 403
    )


def test_a_county_reads_the_ledger_of_its_own_projects_only(city, project):
    land = pool(city, supply="100")
    other = list_project(name="奥博生物", region=city.gaotang, owner=city.other_enterprise)
    for each in (project, other):
        demand(city, each, amount="10")
        allocate(city.city_admin, land.pk, each.pk, "10")
    seen = ApiClient(city.county).get("/factor-ledger").json()["items"]
    assert [(e["kind"], e["project"]) for e in seen] == [("allocate", project.pk), ("supply", None)]
    assert len(ApiClient(city.city_admin).get("/factor-ledger").json()["items"]) == 3
