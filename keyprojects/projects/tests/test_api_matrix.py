"""Every role against every endpoint: who gets 401, 403, 404 or the answer."""

import pytest
from django.utils import timezone

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.projects.models import Project
from keyprojects.projects.tests.factories import ProjectFactory
from tests.access.roles import ROLES


def statuses(city, call) -> list[int]:
    """Run `call(client, project)` once per role, each on a fresh project of 冠县 owned by 陆港."""
    results = []
    for role in ROLES:
        project = ProjectFactory(region=city.guanxian, owner=city.enterprise)
        client = ApiClient(getattr(city, role) if role else None)
        results.append(call(client, project).status_code)
    return results


def new_project(city) -> dict:
    return {
        "name": "冠县新建物流园",
        "region": "371525",
        "owner": city.enterprise.pk,
        "total_investment": "12000",
        "annual_investment": "3000",
        "year": timezone.localdate().year,
    }


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("get", "/me", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("get", "/regions", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("get", "/organizations", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("get", "/auth/tokens", [401, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("delete", "/auth/token", [401, 204, 204, 204, 204, 204, 204, 204, 204, 204]),
        ("get", "/projects", [401, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
    ],
)
def test_collection_endpoints(city, method, path, expected):
    assert statuses(city, lambda client, project: getattr(client, method)(path)) == expected


def test_create_project(city, clock):
    # Neither the other county nor an enterprise of the other county may place a project in 冠县 (a field
    # error); an owner's project is its own; the province office reads the cities' lists and writes none.
    results = statuses(city, lambda client, project: client.post("/projects", new_project(city)))
    assert results == [401, 403, 201, 403, 201, 422, 403, 201, 422, 403]


def test_read_project(city):
    results = statuses(city, lambda client, project: client.get(f"/projects/{project.pk}"))
    assert results == [401, 403, 200, 200, 200, 404, 404, 200, 404, 200]


def test_read_history(city):
    results = statuses(city, lambda client, project: client.get(f"/projects/{project.pk}/history"))
    assert results == [401, 403, 200, 200, 200, 404, 404, 200, 404, 200]


def test_edit_project(city):
    def call(client, project):
        return client.patch(f"/projects/{project.pk}", {"remarks": "已完成土地预审"}, **{"If-Match": '"1"'})

    assert statuses(city, call) == [401, 403, 200, 403, 200, 404, 404, 200, 404, 403]


def test_move_project(city, clock):
    def call(client, project):
        body = {"stage": "new_start", "actual_start": timezone.localdate().isoformat()}
        return client.post(f"/projects/{project.pk}/transitions", body, **{"If-Match": '"1"'})

    assert statuses(city, call) == [401, 403, 200, 403, 200, 404, 404, 200, 404, 403]


def test_missing_project_answers_like_a_hidden_one(city):
    hidden = ProjectFactory(region=city.gaotang, owner=city.other_enterprise)
    client = ApiClient(city.county)
    missing = client.get(f"/projects/{hidden.pk + 1000}")
    forbidden = client.get(f"/projects/{hidden.pk}")
    assert (missing.status_code, forbidden.status_code) == (404, 404)
    assert missing.json() == forbidden.json()


def test_each_role_lists_only_what_it_may_see(city):
    guan = ProjectFactory(region=city.guanxian, owner=city.enterprise)
    gao = ProjectFactory(region=city.gaotang, owner=city.other_enterprise)
    seen = {
        role: sorted(item["id"] for item in ApiClient(getattr(city, role)).get("/projects").json()["items"])
        for role in ROLES[2:]
    }
    assert seen == {
        "city_admin": sorted([guan.pk, gao.pk]),
        "leader": sorted([guan.pk, gao.pk]),
        "county": [guan.pk],
        "other_county": [gao.pk],
        "department_officer": [],
        "owner": [guan.pk],
        "other_owner": [gao.pk],
        "province_officer": sorted([guan.pk, gao.pk]),
    }


def test_organizations_are_scoped(city):
    ProjectFactory(region=city.guanxian, owner=city.enterprise)

    def names(user):
        return {item["name"] for item in ApiClient(user).get("/organizations").json()["items"]}

    offices = {city.city_office.name, city.guan_office.name, city.gao_office.name, city.department.name}
    assert names(city.city_admin) == offices | {city.enterprise.name, city.other_enterprise.name}
    assert names(city.county) == offices | {city.enterprise.name}
    assert names(city.other_county) == offices
    assert names(city.other_owner) == offices | {city.other_enterprise.name}


def test_refused_writes_change_nothing(city):
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise)
    for user in (
        city.leader,
        city.other_county,
        city.department_officer,
        city.other_owner,
        city.province_officer,
    ):
        ApiClient(user).patch(f"/projects/{project.pk}", {"name": "改名"}, **{"If-Match": '"1"'})
    project.refresh_from_db()
    assert (project.version, project.events.count()) == (1, 0)
    assert not Project.objects.filter(name="改名").exists()
