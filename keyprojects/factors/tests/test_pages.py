"""The factor pages as officers and owners use them: the command post, a pool with its ledger, the forms
that set a pool, state a demand, allocate and release, and the project page's section."""

import datetime

import pytest
from django.test import Client

from keyprojects.factors.models import FactorAllocation, FactorDemand, FactorPool
from keyprojects.metrics.tests.helpers import list_project

from .helpers import demand, pool

pytestmark = pytest.mark.django_db
D = datetime.date


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def project(city):
    return list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)


def test_the_city_office_sets_a_pool_and_a_county_share_from_the_form(city):
    office = browser(city.city_admin)
    form = office.get("/factors/pools/new/")
    assert "核定要素指标" in form.content.decode()
    answer = office.post(
        "/factors/pools/new/",
        {
            "kind": "energy",
            "year": 2026,
            "region": city.liaocheng.code,
            "supply": "20000",
            "reason": "省下达",
        },
    )
    city_pool = FactorPool.objects.get(kind="energy", parent=None)
    assert answer.status_code == 302 and answer["Location"] == f"/factors/pools/{city_pool.pk}/"
    refused = office.post(
        "/factors/pools/new/",
        {"kind": "energy", "year": 2026, "region": city.guanxian.code, "supply": "20000.5", "reason": "下达"},
    )
    assert refused.status_code == 200
    assert "剩余20,000" in refused.content.decode() or "剩余20000" in refused.content.decode()
    office.post(
        "/factors/pools/new/",
        {"kind": "energy", "year": 2026, "region": city.guanxian.code, "supply": "5000", "reason": "下达"},
    )
    page = office.get(f"/factors/pools/{city_pool.pk}/").content.decode()
    assert "冠县" in page and "下达县区" in page and "15,000" in page


def test_an_owner_states_a_demand_on_the_project_page_and_sees_what_it_lacks(city, project):
    owner = browser(city.owner)
    page = owner.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="project-factors"' in page and "填报要素需求" in page
    answer = owner.post(
        f"/factors/projects/{project.pk}/demands/new/",
        {"kind": "land", "amount": "3207", "needed_by": "2026-08-01", "note": "一期用地"},
    )
    assert answer.status_code == 302
    bad = owner.post(
        f"/factors/projects/{project.pk}/demands/new/",
        {"kind": "land", "amount": "-1", "needed_by": "2026-08-01"},
    )
    assert "必须大于0" in bad.content.decode()
    page = owner.get(f"/projects/{project.pk}/").content.decode()
    assert "3,207" in page and "一期用地" in page
    assert owner.get("/factors/").status_code == 403  # the command post is the offices'


def test_an_officer_allocates_and_releases_on_the_pool_page(city, project):
    land = pool(city, supply="100")
    demand(city, project, amount="40")
    office = browser(city.city_admin)
    page = office.get(f"/factors/pools/{land.pk}/").content.decode()
    assert "冠州国际陆港" in page  # offered: it waits on land
    too_much = office.post(
        f"/factors/pools/{land.pk}/allocate/", {"project": project.pk, "amount": "41", "reason": "x"}
    )
    assert too_much.status_code == 200 and "尚缺40" in too_much.content.decode()
    done = office.post(
        f"/factors/pools/{land.pk}/allocate/",
        {"project": project.pk, "amount": "40", "reason": "土地挂牌出让"},
    )
    assert done.status_code == 302
    allocation = FactorAllocation.objects.get()
    office.post(f"/factors/allocations/{allocation.pk}/release/", {"amount": "10", "reason": "规划调整"})
    land.refresh_from_db()
    assert land.allocated == 30
    ledger = office.get(f"/factors/pools/{land.pk}/").content.decode()
    assert "土地挂牌出让" in ledger and "规划调整" in ledger and "收回" in ledger


def test_the_command_post_shows_each_kind_and_the_projects_waiting_soonest_first(city, project, clock):
    pool(city, supply="100")
    later = list_project(name="奥博生物", region=city.gaotang, owner=city.other_enterprise)
    demand(city, later, amount="20", needed_by=clock.today + datetime.timedelta(days=40))
    demand(city, project, amount="80", needed_by=clock.today - datetime.timedelta(days=2))
    page = browser(city.city_admin).get("/factors/").content.decode()
    assert "要素保障指挥部" in page and "建设用地" in page
    assert page.index("冠州国际陆港") < page.index("奥博生物")
    assert "已逾期" in page
    county = browser(city.county).get("/factors/").content.decode()
    assert "冠州国际陆港" in county and "奥博生物" not in county


def test_a_demand_without_allocations_is_withdrawn_and_one_with_them_is_kept(city, project):
    land = pool(city)
    kept = demand(city, project, amount="10")
    gone = demand(city, project, kind="water", amount="3")
    FactorAllocation.objects.create(
        pool=land, project=project, demand=kept, amount=1, allocated_by=city.city_admin
    )
    owner = browser(city.owner)
    owner.post(f"/factors/demands/{gone.pk}/withdraw/")
    owner.post(f"/factors/demands/{kept.pk}/withdraw/")
    assert list(FactorDemand.objects.values_list("pk", flat=True)) == [kept.pk]


def test_the_pages_speak_english(city, project):
    pool(city)
    demand(city, project)
    office = browser(city.city_admin)
    office.post("/i18n/setlang/", {"language": "en"})
    page = office.get("/factors/", headers={"accept-language": "en"}).content.decode()
    assert "Factor guarantee command post" in page and "Construction land" in page
