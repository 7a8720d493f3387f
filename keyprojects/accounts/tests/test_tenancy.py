"""The region tree at any depth, the city key, settings per city with province defaults, and a region
re-coded without changing any figure."""

import datetime
from decimal import Decimal

import pytest

from keyprojects.accounts.models import Organization, Region
from keyprojects.accounts.services import region_recode
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.accounts.tests.factories import OrganizationFactory, RegionFactory
from keyprojects.alerts.models import WarningRules
from keyprojects.metrics.tests.helpers import list_project, report
from keyprojects.progress.models import ProgressSettings
from keyprojects.projects.models import Project
from keyprojects.projects.tests.factories import ProjectFactory

D = datetime.date


def test_every_region_knows_its_path_and_its_city(city, other_city):
    town = RegionFactory(code="371525101", name="清泉街道", kind=Region.Kind.ZONE, parent=city.guanxian)
    assert city.province.path == "370000/"
    assert town.path == "370000/371500/371525/371525101/"
    assert (town.city, city.guanxian.city, city.liaocheng.city, city.province.city) == (
        city.liaocheng,
        city.liaocheng,
        city.liaocheng,
        None,
    )
    assert set(city.liaocheng.subtree()) == {city.liaocheng, city.guanxian, city.gaotang, town}


def test_a_moved_region_carries_its_subtree_and_its_city_key(city, other_city):
    town = RegionFactory(code="371525101", name="清泉街道", kind=Region.Kind.ZONE, parent=city.guanxian)
    city.guanxian.parent = other_city.dezhou
    city.guanxian.save()
    town.refresh_from_db()
    assert (town.path, town.city) == ("370000/371400/371525/371525101/", other_city.dezhou)


def test_a_county_sees_projects_at_any_depth_below_it_and_nothing_beside(city):
    town = RegionFactory(code="371525101", name="清泉街道", kind=Region.Kind.ZONE, parent=city.guanxian)
    village = RegionFactory(code="371525101201", name="前屯村", kind=Region.Kind.ZONE, parent=town)
    park = RegionFactory(code="3715251012", name="前屯产业园", kind=Region.Kind.ZONE, parent=village)
    deep = ProjectFactory(region=park, owner=city.enterprise)  # three levels below the county
    beside = ProjectFactory(region=city.gaotang, owner=city.other_enterprise)
    seen = [p["id"] for p in ApiClient(city.county).get("/projects").json()["items"]]
    assert seen == [deep.pk]
    assert beside.pk not in seen
    assert deep.city == city.liaocheng  # the city key follows the region, never the form


def test_names_are_unique_within_a_city_not_across_cities(city, other_city):
    OrganizationFactory(name="住房和城乡建设局", kind=Organization.Kind.DEPARTMENT, region=city.liaocheng)
    OrganizationFactory(name="住房和城乡建设局", kind=Organization.Kind.DEPARTMENT, region=other_city.dezhou)
    assert Organization.objects.filter(name="住房和城乡建设局").count() == 2


def test_the_project_code_is_unique_within_the_city(city):
    body = {
        "name": "冠县新建物流园",
        "region": "371525",
        "code": "2403-371525-04-01-52817X",
        "total_investment": "12000",
        "year": 2026,
        "owner": city.enterprise.pk,
    }
    api = ApiClient(city.city_admin)
    assert api.post("/projects", body).status_code == 201
    again = api.post("/projects", {**body, "name": "重复赋码"})
    assert again.status_code == 422
    assert again.json()["errors"] == {"code": ["该统一项目代码已被其他项目使用"]}


def test_forms_offer_only_the_own_city(client, city, other_city):
    client.force_login(other_city.city_admin)
    page = client.get("/projects/new/").content.decode()
    assert other_city.enterprise.name in page and "齐河县" in page
    assert city.enterprise.name not in page and "冠县" not in page
    refused = ApiClient(other_city.city_admin).post(
        "/projects",
        {
            "name": "跨市项目",
            "region": "371425",
            "owner": city.enterprise.pk,
            "total_investment": "100",
            "year": 2026,
        },
    )
    assert refused.status_code == 422 and "owner" in refused.json()["errors"]


def rules_of(user):
    return ApiClient(user).get("/warning-rules").json()


def test_settings_are_the_citys_else_the_provinces_else_the_defaults(city, other_city):
    assert rules_of(city.city_admin)["start_red_months"] == 3  # built-in default
    province = ApiClient(city.province_officer)
    answer = province.put(
        "/warning-rules",
        {**rules_of(city.province_officer), "start_red_months": 4},
        **{"If-Match": '"1"'},
    )
    assert answer.status_code == 200
    assert rules_of(city.city_admin)["start_red_months"] == 4  # the province's default
    assert rules_of(other_city.city_admin)["start_red_months"] == 4
    mine = rules_of(city.city_admin)
    changed = ApiClient(city.city_admin).put(
        "/warning-rules", {**mine, "start_red_months": 6}, **{"If-Match": f'"{mine["version"]}"'}
    )
    assert changed.status_code == 200
    assert rules_of(city.city_admin)["start_red_months"] == 6  # 聊城 overrides
    assert rules_of(other_city.city_admin)["start_red_months"] == 4  # 德州 still inherits
    assert WarningRules.objects.filter(city=None).get().start_red_months == 4
    assert WarningRules.objects.get(city=city.liaocheng).start_red_months == 6


def test_a_citys_inclusion_threshold_counts_for_its_projects_only(city, other_city):
    ProgressSettings.objects.create(city=other_city.dezhou, inclusion_threshold=Decimal(100000))
    mine = list_project(region=city.guanxian, owner=city.enterprise, actual_start=D(2026, 2, 1))
    theirs = list_project(region=other_city.qihe, owner=other_city.enterprise, actual_start=D(2026, 2, 1))
    query = {"as_of": "2026-06-30", "year": 2026}
    assert ApiClient(city.city_admin).get("/metrics", query).json()["statistics_rate"]["denominator"] == 1
    assert (
        ApiClient(other_city.city_admin).get("/metrics", query).json()["statistics_rate"]["denominator"] == 0
    )
    assert (mine.city, theirs.city) == (city.liaocheng, other_city.dezhou)


@pytest.fixture
def chiping(city):
    """茌平县 as it was before 2019, with a project coded under 371523 and a report of last year."""
    county = RegionFactory(code="371523", name="茌平县", kind=Region.Kind.COUNTY, parent=city.liaocheng)
    project = list_project(
        region=county,
        owner=city.enterprise,
        code="2018-371523-04-01-10001X",
        actual_start=D(2026, 2, 1),
    )
    report(project, D(2026, 2, 1), "2500", by=city.owner, reviewed_on=D(2026, 3, 5))
    return county, project


def test_a_recoded_region_keeps_every_figure_export_and_code(client, city, chiping):
    county, project = chiping
    api = ApiClient(city.city_admin)
    query = {"as_of": "2026-03-31", "year": 2026, "region": "371523"}
    before = api.get("/metrics", query).json()
    region_recode(region_id=county.pk, code="371503", name="茌平区")
    county.refresh_from_db()
    assert (county.path, county.former_codes, county.former_names) == (
        "370000/371500/371503/",
        ["371523"],
        ["茌平县"],
    )
    assert api.get("/metrics", {**query, "region": "371503"}).json() == before
    assert Project.objects.get(pk=project.pk).region == county
    edited = api.patch(f"/projects/{project.pk}", {"remarks": "区划调整后核对"}, **{"If-Match": '"1"'})
    assert edited.status_code == 200  # the code minted under 371523 is still valid
    fresh = api.post(
        "/projects",
        {
            "name": "茌平新项目",
            "region": "371503",
            "code": "2403-371523-04-01-20002X",
            "total_investment": "900",
            "year": 2026,
        },
    )
    assert fresh.status_code == 201
    client.force_login(city.city_admin)
    assert "茌平区" in client.get("/metrics/", {"as_of": "2026-03-31"}).content.decode()


def test_every_unique_key_of_a_citys_table_includes_the_city():
    """The keys a distributed PostgreSQL needs: no unique key of a city's table spans two cities."""
    from django.apps import apps

    from keyprojects.accounts.city_settings import CitySettings
    from keyprojects.accounts.tenancy import CityOwned

    tables = [m for m in apps.get_models() if issubclass(m, CityOwned | CitySettings)]
    assert len(tables) > 10
    for model in tables:
        for constraint in model._meta.constraints:
            fields = getattr(constraint, "fields", ())
            assert not fields or "city" in fields, (model.__name__, constraint.name)
        singles = [f.name for f in model._meta.fields if f.unique and not f.primary_key]
        assert not singles, (model.__name__, singles)
