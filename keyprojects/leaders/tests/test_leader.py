"""A project's 包保 leader is a city leader's account: linked by the city office, kept in the history,
reached by escalations; its page lists its projects, escalated blockers, pending instructions,
warnings and rates."""

import datetime
from dataclasses import replace

import pytest
from django.test import Client

from keyprojects.accounts import access
from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.alerts.models import Color, ProjectWarning, Rule
from keyprojects.blockers.models import Blocker
from keyprojects.core.history import encode
from keyprojects.metrics.tests.helpers import list_project
from keyprojects.projects.permissions import visible_projects

D = datetime.date


def _patch(user, project, data):
    return ApiClient(user).patch(f"/projects/{project.pk}", data, **{"If-Match": f'"{project.version}"'})


def test_the_city_office_links_a_leader_account_and_the_history_keeps_it(city, other_leader):
    project = list_project(region=city.guanxian, owner=city.enterprise, leader_name="张三")
    answer = _patch(city.city_admin, project, {"leader": other_leader.pk})
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    # the name shown is the account's
    assert (body["leader"], body["leader_name"]) == (other_leader.pk, "王立新")
    history = {
        row["field"]: row
        for row in ApiClient(city.city_admin).get(f"/projects/{project.pk}/history").json()["items"]
    }
    assert history["leader"]["new_value"] == "王立新"
    assert history["leader"]["new"] == {
        "t": "ref",
        "m": "accounts.user",
        "v": other_leader.pk,
        "name": "王立新",
    }
    assert (history["leader_name"]["old_value"], history["leader_name"]["new_value"]) == ("张三", "王立新")


def test_naming_another_leader_unlinks_the_account(city, other_leader):
    """A change request approved for another leader's name leaves no escalation going to the former one."""
    project = list_project(
        region=city.guanxian, owner=city.enterprise, leader=other_leader, leader_name="王立新"
    )
    answer = _patch(city.city_admin, project, {"leader_name": "李四"})
    assert answer.status_code == 200
    assert (answer.json()["leader"], answer.json()["leader_name"]) == (None, "李四")
    project.refresh_from_db()
    assert (
        _patch(city.city_admin, project, {"leader": other_leader.pk, "leader_name": "别名"}).json()[
            "leader_name"
        ]
        == "王立新"
    )  # the account's name is the one shown


def test_only_a_leader_account_of_the_projects_city_may_be_linked(city, other_city):
    project = list_project(region=city.guanxian, owner=city.enterprise)
    refused = _patch(city.city_admin, project, {"leader": city.county.pk})
    assert refused.status_code == 422 and "leader" in refused.json()["errors"]
    elsewhere = _patch(city.city_admin, project, {"leader": other_city.leader.pk})
    assert elsewhere.status_code == 422 and "leader" in elsewhere.json()["errors"]
    # a county officer or an owner does not choose the leader's account, on a listed project or any other
    assert _patch(city.county, project, {"leader": city.leader.pk}).status_code == 403
    assert _patch(city.owner, project, {"leader": city.leader.pk}).status_code == 403


def test_the_project_form_offers_the_city_leaders_to_the_city_office_alone(city, other_leader):
    project = list_project(region=city.guanxian, owner=city.enterprise)
    office = Client()
    office.force_login(city.city_admin)
    page = office.get(f"/projects/{project.pk}/edit/").content.decode()
    assert 'name="leader"' in page and "王立新" in page
    county = Client()
    county.force_login(city.county)
    assert 'name="leader"' not in county.get(f"/projects/{project.pk}/edit/").content.decode()


@pytest.mark.today("2026-06-15")
def test_the_leaders_page_and_api_read_its_own_projects(city, other_leader, clock):
    mine = list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise, leader=city.leader,
                        actual_start=D(2026, 2, 1))  # fmt: skip
    also = list_project(name="奥博生物", region=city.gaotang, owner=city.other_enterprise, leader=city.leader)
    theirs = list_project(name="浪潮智能生产基地", region=city.gaotang, owner=city.other_enterprise,
                          leader=other_leader)  # fmt: skip
    escalated = Blocker.objects.create(
        project=mine, category="land", description="用地指标缺口", raised_by=city.owner, status="assigned",
        level="leader", department=city.department, deadline=D(2026, 6, 30), instruction_pending=True,
        leader=city.leader,
    )  # fmt: skip
    Blocker.objects.create(
        project=theirs, category="funds", description="专项债未拨付", raised_by=city.owner, status="assigned",
        level="leader", department=city.department, leader=other_leader,
    )  # fmt: skip
    Blocker.objects.create(
        project=also, category="planning", description="县级协调中", raised_by=city.owner, status="assigned",
        level="county", department=city.department,
    )  # fmt: skip
    ProjectWarning.objects.create(
        project=also, rule=Rule.START_DELAY, color=Color.RED, since=D(2026, 4, 1),
        facts=encode({"planned_start": D(2026, 3, 1), "days": 90}),
    )  # fmt: skip
    ProjectWarning.objects.create(
        project=theirs, rule=Rule.START_DELAY, color=Color.YELLOW, since=D(2026, 4, 1),
        facts=encode({"planned_start": D(2026, 3, 1), "days": 30}),
    )  # fmt: skip

    client = Client()
    client.force_login(city.leader)
    page = client.get("/leaders/").content.decode()
    assert "冠州国际陆港" in page and "奥博生物" in page and "浪潮智能生产基地" not in page
    assert "用地指标缺口" in page and "专项债未拨付" not in page and "县级协调中" not in page

    client.post("/i18n/setlang/", {"language": "en"})
    english = client.get("/leaders/", headers={"accept-language": "en"}).content.decode()
    assert "Blockers escalated to the leaders" in english and "Instructions awaiting an answer" in english
    body = ApiClient(city.leader).get("/leaders/me").json()
    assert body["project_count"] == 2
    assert {p["name"] for p in body["projects"]} == {"冠州国际陆港", "奥博生物"}
    assert [b["id"] for b in body["escalated"]] == [escalated.pk]
    assert [b["id"] for b in body["instructions"]] == [escalated.pk]
    assert [w["project"] for w in body["warnings"]] == [also.pk]
    assert (body["red"], body["yellow"]) == (1, 0)
    # the rates of its two projects alone: one started of the two planned to start
    assert body["rates"]["start_rate"] == "0.500"
    assert ApiClient(other_leader).get("/leaders/me").json()["project_count"] == 1


def test_the_project_list_filters_by_leader(city, other_leader):
    list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise, leader=city.leader)
    list_project(name="奥博生物", region=city.gaotang, owner=city.other_enterprise, leader=other_leader)
    names = [
        p["name"]
        for p in ApiClient(city.city_admin).get("/projects", {"leader": city.leader.pk}).json()["items"]
    ]
    assert names == ["冠州国际陆港"]


def test_a_leader_sees_its_own_projects_through_the_led_scope(city, other_leader, monkeypatch):
    """The role reads the whole city besides; without it, the scope `led` alone holds its own projects."""
    assert "led" in access.role_access(city.leader).sees
    mine = list_project(region=city.guanxian, owner=city.enterprise, leader=city.leader)
    list_project(region=city.gaotang, owner=city.other_enterprise, leader=other_leader)
    monkeypatch.setitem(access.ACCESS, Role.LEADER, replace(access.ACCESS[Role.LEADER], sees=("led",)))
    assert list(visible_projects(city.leader)) == [mine]
    assert ApiClient(city.leader).get(f"/projects/{mine.pk}").status_code == 200
