"""The city's side of blockers over the API: a department's inbox, the figures, the settings, and the
coordination meetings with their decisions, with the same rules and scoping as the pages."""

import pytest

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.blockers.models import BlockerSettings, Category

from .helpers import ok, raise_blocker, walk

pytestmark = pytest.mark.django_db


@pytest.mark.today("2026-03-02")
def test_the_inbox_puts_the_overdue_first_and_is_the_departments_alone(city, project, clock):
    later = walk(city, project, "assigned")
    clock.move_to("2026-02-02")
    first = walk(city, project, "in_progress")
    clock.move_to("2026-03-02")
    answer = ApiClient(city.department_officer).get("/blocker-inbox")
    assert answer.status_code == 200
    body = answer.json()
    assert [row["id"] for row in body["items"]] == [first, later] and body["count"] == 2
    assert body["items"][0]["urgency"] == "overdue" and body["items"][0]["overdue"] is True
    assert body["items"][1]["urgency"] in ("new", "due_soon") and body["items"][1]["co_handling"] is False
    assert ApiClient(city.county).get("/blocker-inbox").status_code == 403


@pytest.mark.today("2026-03-02")
def test_the_figures_count_per_department_county_and_category(city, other_city, project, clock):
    walk(city, project, "closed")
    walk(city, project, "returned")
    figures = ApiClient(city.city_admin).get("/blocker-figures").json()
    department = {row["name"]: row for row in figures["department"]}[city.department.name]
    assert (department["raised"], department["resolved"], department["on_time"]) == (1, 1, 1)
    assert department["satisfaction"] == 100.0 and department["average_workdays"] == 0.0
    assert {row["name"]: row["raised"] for row in figures["category"]} == {"土地": 2}
    assert [row["raised"] for row in figures["county"]] == [2]
    assert ApiClient(other_city.city_admin).get("/blocker-figures").json()["category"] == []
    assert ApiClient(city.owner).get("/blocker-figures").status_code == 403


def settings_body(**changes):
    return {
        "deadline_workdays": dict.fromkeys(Category.values, 10),
        "due_soon_workdays": 2,
        "escalate_after_workdays": 3,
        "ladder": ["county", "city", "leader"],
        **changes,
    }


@pytest.mark.today("2026-03-02")
def test_the_city_sets_its_blocker_rules_through_the_api(city, other_city, project, clock):
    office = ApiClient(city.city_admin)
    current = office.get("/blocker-settings")
    assert current.status_code == 200 and current["ETag"] == '"1"'
    assert current.json()["ladder"] == ["county", "city", "leader"]
    body = settings_body(
        deadline_workdays={**dict.fromkeys(Category.values, 10), "land": 4}, ladder=["county", "leader"]
    )
    answer = office.put("/blocker-settings", body, **{"If-Match": '"1"'})
    assert answer.status_code == 200, answer.json()
    assert answer["ETag"] == '"2"' and answer.json()["deadline_workdays"]["land"] == 4
    assert BlockerSettings.for_city(other_city.dezhou.pk).deadline_for("land") == 15
    pk = raise_blocker(city.owner, project)
    ok(city.county, pk, "accept")
    assert ok(city.county, pk, "assign", department=city.department.pk)["deadline"] == "2026-03-06"
    assert ok(city.county, pk, "escalate", text="县级无法协调")["level"] == "leader"


def test_bad_stale_or_unallowed_settings_are_refused_by_field(city):
    office = ApiClient(city.city_admin)
    wrong_ladder = office.put(
        "/blocker-settings", settings_body(ladder=["city", "county"]), **{"If-Match": '"1"'}
    )
    assert wrong_ladder.status_code == 422 and "ladder" in wrong_ladder.json()["errors"]
    english = ApiClient(city.city_admin, language="en").put(
        "/blocker-settings", settings_body(ladder=["county", "leader", "city"]), **{"If-Match": '"1"'}
    )
    assert english.json()["errors"]["ladder"] == [
        "The ladder starts at the county, then may go to the city coordination meeting and to the city "
        "leaders, in that order"
    ]
    too_long = settings_body(deadline_workdays=dict.fromkeys(Category.values, 10) | {"land": 0})
    answer = office.put("/blocker-settings", too_long, **{"If-Match": '"1"'})
    assert answer.status_code == 422 and "deadline_land" in answer.json()["errors"]
    missing = settings_body(deadline_workdays={"land": 5})
    assert office.put("/blocker-settings", missing, **{"If-Match": '"1"'}).status_code == 422
    assert office.put("/blocker-settings", settings_body(), **{"If-Match": '"1"'}).status_code == 200
    stale = office.put("/blocker-settings", settings_body(), **{"If-Match": '"1"'})
    assert stale.status_code in (409, 412) and "已被他人修改" in stale.json()["detail"]
    assert (
        ApiClient(city.county).put("/blocker-settings", settings_body(), **{"If-Match": '"2"'}).status_code
        == 403
    )
    assert BlockerSettings.for_city(city.liaocheng.pk).version == 2


@pytest.mark.today("2026-03-02")
def test_a_meeting_takes_blockers_on_its_agenda_and_follows_its_decisions(city, other_city, project, clock):
    office = ApiClient(city.city_admin)
    created = office.post(
        "/blocker-meetings",
        {"title": "第3次市重点项目协调调度会", "held_on": "2026-03-02", "chair": "王市长"},
    )
    assert created.status_code == 201, created.json()
    meeting = created.json()["id"]
    pk = walk(city, project, "assigned")
    agenda = office.post(f"/blocker-meetings/{meeting}/agenda", {"blocker": pk})
    assert agenda.status_code == 200 and [item["blocker"] for item in agenda.json()["agenda"]] == [pk]
    closed = walk(city, project, "closed")
    assert office.post(f"/blocker-meetings/{meeting}/agenda", {"blocker": closed}).status_code == 409
    decision = office.post(
        f"/blocker-meetings/{meeting}/decisions",
        {
            "text": "自然资源和规划局3月底前完成组卷",
            "department": city.department.pk,
            "deadline": "2026-03-31",
            "blocker": pk,
        },
    )
    assert decision.status_code == 201, decision.json()
    decision_id = decision.json()["id"]
    foreign = office.post(
        f"/blocker-meetings/{meeting}/decisions",
        {"text": "x", "department": other_city.department.pk, "deadline": "2026-03-31"},
    )
    assert foreign.status_code == 422 and "department" in foreign.json()["errors"]
    assert [m["id"] for m in office.get("/blocker-meetings").json()] == [meeting]
    assert office.get(f"/blocker-meetings/{meeting}").json()["decisions"][0]["blocker"] == pk

    department = ApiClient(city.department_officer)
    clock.move_to("2026-04-01")
    mine = department.get("/blocker-decisions", {"status": "open"}).json()
    assert [(d["id"], d["overdue"]) for d in mine] == [(decision_id, True)]
    assert department.post(f"/blocker-decisions/{decision_id}/done", {"note": ""}).status_code == 422
    done = department.post(f"/blocker-decisions/{decision_id}/done", {"note": "已组卷上报省厅"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert department.post(f"/blocker-decisions/{decision_id}/done", {"note": "再报"}).status_code == 409
    assert department.get("/blocker-decisions", {"status": "open"}).json() == []

    assert department.get("/blocker-meetings").status_code == 403
    assert ApiClient(other_city.city_admin).get(f"/blocker-meetings/{meeting}").status_code == 404
    assert ApiClient(other_city.city_admin).get("/blocker-decisions").json() == []
    assert (
        ApiClient(other_city.department_officer)
        .post(f"/blocker-decisions/{decision_id}/done", {"note": "x"})
        .status_code
        == 404
    )


def test_only_the_city_office_sees_every_decision(city, project):
    office = ApiClient(city.city_admin)
    meeting = office.post("/blocker-meetings", {"title": "调度会", "held_on": "2026-03-02"}).json()["id"]
    office.post(
        f"/blocker-meetings/{meeting}/decisions",
        {"text": "落实用地", "department": city.department.pk, "deadline": "2026-03-31"},
    )
    assert len(office.get("/blocker-decisions").json()) == 1
    assert ApiClient(city.county).get("/blocker-decisions").json() == []
