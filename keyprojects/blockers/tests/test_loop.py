"""The blocker's closed loop over the API: every state transition, who may make it (403 otherwise),
and what the state refuses (409)."""

import datetime

import pytest

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.blockers.models import Blocker, BlockerSettings
from keyprojects.notifications.models import Notification

from .helpers import act, ok, raise_blocker, walk

pytestmark = pytest.mark.django_db

ACTIONS = ["accept", "return", "assign", "answer", "resolve", "rate", "escalate", "instruct"]
FIELDS = {
    "return": {"text": "请补充材料"},
    "answer": {"text": "正在办理"},
    "resolve": {"text": "已办结"},
    "rate": {"rating": "satisfied"},
    "escalate": {"text": "县级无法协调"},
    "instruct": {"text": "请自然资源和规划局三日内办结"},
}
# state → the actions it allows
ALLOWED = {
    "raised": {"accept", "return"},
    "accepted": {"return", "assign", "escalate"},
    "assigned": {"assign", "answer", "resolve", "escalate"},
    "in_progress": {"assign", "answer", "resolve", "escalate"},
    "resolved": {"rate"},
    "closed": set(),
    "returned": set(),
}
UNASSIGNED = {"raised", "accepted", "returned"}
# action → the role of the `city` fixture that may take it on a county-level blocker of 冠县
TAKES = {
    "accept": "county",
    "return": "county",
    "assign": "county",
    "answer": "department_officer",
    "resolve": "department_officer",
    "rate": "owner",
    "escalate": "county",
}


def _fields(city, action):
    return {"department": city.department.pk} if action == "assign" else FIELDS.get(action, {})


@pytest.mark.parametrize("state", list(ALLOWED))
def test_each_state_allows_its_actions_and_answers_409_to_the_others(city, project, state):
    for action in ACTIONS:
        if action == "instruct":
            continue
        pk = walk(city, project, state)
        user = getattr(city, TAKES[action])
        response = act(user, pk, action, **_fields(city, action))
        expected = {200} if action in ALLOWED[state] else {409}
        if state in UNASSIGNED and action in ("answer", "resolve"):
            expected = {403, 404}  # no department has it yet: none may answer it
        assert response.status_code in expected, (state, action, response.json())
        if expected == {409}:
            assert Blocker.objects.get(pk=pk).status == state


@pytest.mark.parametrize("action", list(TAKES))
def test_only_who_may_take_an_action_takes_it(city, project, action):
    """Everyone else hears 403 (or 404 when the blocker's project is hidden from them), whatever the
    state, and the blocker does not change."""
    state = {"accept": "raised", "return": "raised", "rate": "resolved"}.get(action, "assigned")
    pk = walk(city, project, state)
    may = {TAKES[action]}
    if action in {"accept", "return", "assign", "escalate"}:
        may.add("city_admin")
    for role in [
        "city_admin",
        "leader",
        "county",
        "other_county",
        "department_officer",
        "owner",
        "other_owner",
        "province_officer",
    ]:
        if role in may:
            continue
        response = act(getattr(city, role), pk, action, **_fields(city, action))
        assert response.status_code in (403, 404), (role, action, response.status_code)
        assert Blocker.objects.get(pk=pk).status == state


def test_the_city_office_may_take_the_countys_steps(city, project):
    pk = raise_blocker(city.owner, project)
    ok(city.city_admin, pk, "accept")
    body = ok(city.city_admin, pk, "assign", department=city.department.pk, deadline_workdays=5)
    assert body["status"] == "assigned"


def test_a_department_of_another_blocker_may_not_answer(city, project):
    from keyprojects.accounts.tests.factories import OrganizationFactory

    other = OrganizationFactory(name="聊城市生态环境局", kind="department", region=city.liaocheng)
    officer = UserFactory(username="shengtai", role=Role.DEPARTMENT_OFFICER, organization=other)
    pk = walk(city, project, "assigned")
    assert act(officer, pk, "answer", text="我来答").status_code in (403, 404)


def test_a_co_handling_department_answers_but_does_not_resolve(city, project):
    from keyprojects.accounts.tests.factories import OrganizationFactory

    other = OrganizationFactory(name="聊城市生态环境局", kind="department", region=city.liaocheng)
    officer = UserFactory(username="shengtai", role=Role.DEPARTMENT_OFFICER, organization=other)
    pk = raise_blocker(city.owner, project)
    ok(city.county, pk, "accept")
    ok(city.county, pk, "assign", department=city.department.pk, co_departments=[other.pk])
    assert act(officer, pk, "answer", text="环评批复已排期").status_code == 200
    assert act(officer, pk, "resolve", text="办完了").status_code == 403


def test_unsatisfied_reopens_and_satisfied_closes(city, project):
    pk = walk(city, project, "resolved")
    assert act(city.owner, pk, "rate", rating="unsatisfied").status_code == 422  # a reason is required
    body = ok(city.owner, pk, "rate", rating="unsatisfied", text="土地证仍未发放")
    assert body["status"] == "in_progress"
    ok(city.department_officer, pk, "resolve", text="土地证已发放")
    body = ok(city.owner, pk, "rate", rating="basic")
    assert body["status"] == "closed"
    kinds = [e["kind"] for e in body["events"]]
    assert kinds == [
        "raised", "accepted", "assigned", "resolved", "rated", "reopened", "resolved", "rated", "closed"
    ]  # fmt: skip


def test_return_needs_a_reason_and_tells_the_raiser(city, project):
    pk = raise_blocker(city.owner, project)
    response = act(city.county, pk, "return")
    assert response.status_code == 422 and "text" in response.json()["errors"]
    ok(city.county, pk, "return", text="属企业内部事务")
    assert Notification.objects.filter(recipient=city.owner, kind="blocker.returned").exists()


@pytest.mark.today("2025-09-26")
def test_the_deadline_counts_working_days_across_the_national_day_and_its_adjusted_workday(
    city, project, clock
):
    """Friday 26 September 2025 + 5 working days: Sunday the 28th is an adjusted workday (调休), 1–8
    October are the holiday: the deadline is Friday 10 October, not Friday 3 October."""
    pk = raise_blocker(city.owner, project)
    ok(city.county, pk, "accept")
    body = ok(city.county, pk, "assign", department=city.department.pk, deadline_workdays=5)
    assert body["deadline"] == "2025-10-10"
    assert body["deadline_workdays"] == 5


@pytest.mark.today("2026-03-02")
def test_the_deadline_defaults_to_the_citys_days_for_the_category(city, project, clock):
    BlockerSettings.objects.create(city=city.liaocheng, deadline_workdays={"approval": 3})
    pk = raise_blocker(city.owner, project, category="approval")
    ok(city.county, pk, "accept")
    body = ok(city.county, pk, "assign", department=city.department.pk)
    assert body["deadline_workdays"] == 3 and body["deadline"] == "2026-03-05"


def test_assign_refuses_an_organisation_that_is_not_a_department_of_the_city(city, other_city, project):
    pk = walk(city, project, "accepted")
    for org in (city.enterprise, other_city.department):
        response = act(city.county, pk, "assign", department=org.pk)
        assert response.status_code == 422 and "department" in response.json()["errors"]


def test_bad_input_names_the_field(city, project):
    client = ApiClient(city.owner)
    response = client.post("/blockers", {"project": project.pk, "category": "weather", "description": "x"})
    assert response.status_code == 422 and "category" in response.json()["errors"]
    response = client.post("/blockers", {"project": project.pk, "category": "land", "description": " "})
    assert response.status_code == 422 and "description" in response.json()["errors"]
    pk = walk(city, project, "resolved")
    response = act(city.owner, pk, "rate", rating="great")
    assert response.status_code == 422 and "rating" in response.json()["errors"]
    response = act(city.owner, pk, "fly")
    assert response.status_code == 422 and "action" in response.json()["errors"]


def test_a_hidden_project_or_blocker_answers_404(city, project):
    client = ApiClient(city.other_owner)
    assert (
        client.post("/blockers", {"project": project.pk, "category": "land", "description": "x"}).status_code
        == 404
    )
    pk = raise_blocker(city.owner, project)
    assert client.get(f"/blockers/{pk}").status_code == 404
    assert ApiClient(city.other_county).get(f"/blockers/{pk}").status_code == 404


def test_the_list_filters(city, project, clock):
    from keyprojects.projects.tests.factories import ProjectFactory

    other = ProjectFactory(name="奥博生物", region=city.gaotang, owner=city.other_enterprise)
    overdue = walk(city, project, "assigned")
    Blocker.objects.filter(pk=overdue).update(deadline=clock.today - datetime.timedelta(days=1))
    raised = raise_blocker(city.other_owner, other, category="funds")
    client = ApiClient(city.city_admin)

    def ids(**query):
        return sorted(row["id"] for row in client.get("/blockers", query).json()["items"])

    assert ids() == sorted([overdue, raised])
    assert ids(status="raised") == [raised]
    assert ids(project=project.pk) == [overdue]
    assert ids(department=city.department.pk) == [overdue]
    assert ids(region="371526") == [raised]
    assert ids(region="371500") == sorted([overdue, raised])
    assert ids(overdue="true") == [overdue]
    assert ids(overdue="false") == [raised]
    assert ApiClient(city.county).get("/blockers").json()["count"] == 1


def test_the_answer_carries_status_level_deadline_and_events(city, project):
    pk = walk(city, project, "assigned")
    body = ApiClient(city.owner).get(f"/blockers/{pk}").json()
    assert body["status"] == "assigned" and body["level"] == "county" and body["deadline"]
    assigned = body["events"][-1]
    assert assigned["kind"] == "assigned" and assigned["actor"] == city.county.display_name
    assert assigned["values"]["责任单位"] == city.department.name
    assert body["actions"] == []  # the owner has nothing to do while it is being handled
