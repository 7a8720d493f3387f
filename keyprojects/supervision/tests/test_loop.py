"""A notice's loop over the API: issued from a red warning, an overdue blocker or a meeting decision past
its date; answered by its receiver; accepted or sent back by the city office; who may take each step
(403), what each state allows (409), the deadline in working days or as a date, and who is told."""

import datetime

import pytest

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.alerts.models import Color
from keyprojects.blockers.models import Decision, Meeting
from keyprojects.blockers.tests.helpers import ok as blocker_ok
from keyprojects.blockers.tests.helpers import walk
from keyprojects.notifications.models import Notification
from keyprojects.supervision.models import NoticeEvent

from .conftest import make_warning
from .helpers import act, issue, issued, ok

pytestmark = pytest.mark.django_db
D = datetime.date


def _told(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.mark.today("2026-06-01")
def test_the_whole_loop_from_a_red_warning(city, red_warning, clock):
    notice = issued(city.city_admin, "warning", red_warning.pk)
    assert notice["receiver"] == city.guan_office.pk  # the county of the warning's project
    assert notice["status"] == "issued" and notice["deadline"] == "2026-06-08"
    assert notice["warning"] == red_warning.pk and notice["project"] == red_warning.project_id
    assert _told(city.county, "supervision.issued") == 1
    assert _told(city.other_county, "supervision.issued") == 0

    assert ok(city.county, notice["id"], "answer", "已约谈企业")["status"] == "answered"
    assert _told(city.city_admin, "supervision.answered") == 1
    assert ok(city.city_admin, notice["id"], "return", "未说明完成时间")["status"] == "returned"
    assert _told(city.county, "supervision.returned") == 1
    ok(city.county, notice["id"], "answer", "6月底前开工")
    done = ok(city.city_admin, notice["id"], "accept")
    assert done["status"] == "accepted" and done["accepted_on"] == "2026-06-01"
    assert done["answer"] == "6月底前开工"
    assert [e["kind"] for e in done["events"]] == [
        "issued", "answered", "returned", "answered", "accepted",
    ]  # fmt: skip
    assert done["events"][0]["values"]["督办对象"] == "冠县发展和改革局"
    assert done["actions"] == []


@pytest.mark.today("2026-06-01")
def test_each_state_allows_its_actions_and_answers_409_to_the_others(city, red_warning, clock):
    pk = issued(city.city_admin, "warning", red_warning.pk)["id"]
    assert act(city.city_admin, pk, "accept").status_code == 409
    assert act(city.city_admin, pk, "return", "x").status_code == 409
    ok(city.county, pk, "answer", "已整改")
    assert act(city.county, pk, "answer", "再答复").status_code == 409
    ok(city.city_admin, pk, "accept")
    for user, action in ((city.county, "answer"), (city.city_admin, "accept"), (city.city_admin, "return")):
        assert act(user, pk, action, "x").status_code == 409


@pytest.mark.today("2026-06-01")
def test_only_the_receiver_answers_and_only_the_city_office_accepts_or_returns(city, red_warning, clock):
    pk = issued(city.city_admin, "warning", red_warning.pk)["id"]
    assert act(city.department_officer, pk, "answer", "x").status_code == 404  # not its notice or project
    assert act(city.city_admin, pk, "answer", "x").status_code == 403
    assert act(city.leader, pk, "answer", "x").status_code == 403
    assert act(city.other_county, pk, "answer", "x").status_code == 404
    ok(city.county, pk, "answer", "已整改")
    for user in (city.county, city.leader, city.province_officer):
        assert act(user, pk, "accept").status_code == 403
    assert act(city.owner, pk, "accept").status_code == 404  # owners read no notice


@pytest.mark.today("2026-06-01")
def test_answering_and_returning_need_a_text(city, red_warning, clock):
    pk = issued(city.city_admin, "warning", red_warning.pk)["id"]
    response = act(city.county, pk, "answer", "  ")
    assert response.status_code == 422 and "text" in response.json()["errors"]
    ok(city.county, pk, "answer", "已整改")
    response = act(city.city_admin, pk, "return")
    assert response.status_code == 422 and "text" in response.json()["errors"]


@pytest.mark.today("2026-06-01")
def test_only_the_city_office_issues(city, red_warning, clock):
    for user in (city.county, city.department_officer, city.leader, city.owner):
        assert issue(user, "warning", red_warning.pk).status_code == 403


@pytest.mark.today("2026-06-01")
def test_a_notice_comes_from_a_red_warning_in_force_only(city, project, clock):
    yellow = make_warning(project, color=Color.YELLOW, subject="y")
    cleared = make_warning(project, subject="c")
    cleared.is_active = False
    cleared.save()
    for warning in (yellow, cleared):
        response = issue(city.city_admin, "warning", warning.pk)
        assert response.status_code == 422 and "source_id" in response.json()["errors"]


@pytest.mark.today("2026-06-01")
def test_a_notice_comes_from_an_overdue_blocker_to_its_department(city, project, clock):
    pk = walk(city, project, "accepted")
    blocker_ok(city.county, pk, "assign", department=city.department.pk, deadline_workdays=3)
    response = issue(city.city_admin, "blocker", pk)
    assert response.status_code == 422 and "source_id" in response.json()["errors"]  # not overdue yet
    clock.move_to(D(2026, 6, 10))
    notice = issued(city.city_admin, "blocker", pk)
    assert notice["receiver"] == city.department.pk and notice["blocker"] == pk
    assert _told(city.department_officer, "supervision.issued") == 1
    ok(city.department_officer, notice["id"], "answer", "已完成组卷")


@pytest.mark.today("2026-06-01")
def test_a_notice_comes_from_a_meeting_decision_past_its_date(city, clock):
    meeting = Meeting.objects.create(
        city=city.liaocheng, title="协调调度会", held_on=D(2026, 5, 1), created_by=city.city_admin
    )
    late = Decision.objects.create(
        meeting=meeting, text="完成组卷", department=city.department, deadline=D(2026, 5, 20)
    )
    early = Decision.objects.create(
        meeting=meeting, text="完成摸底", department=city.department, deadline=D(2026, 6, 20)
    )
    assert issue(city.city_admin, "decision", early.pk).status_code == 422
    notice = issued(city.city_admin, "decision", late.pk)
    assert notice["receiver"] == city.department.pk and notice["project"] is None
    assert "完成组卷" in notice["origin"]
    # the department reads and answers the notice though it names no project
    assert ApiClient(city.department_officer).get(f"/supervision-notices/{notice['id']}").status_code == 200
    assert ApiClient(city.county).get(f"/supervision-notices/{notice['id']}").status_code == 404


@pytest.mark.today("2025-09-26")
def test_the_deadline_counts_working_days_across_the_national_day(city, red_warning, clock):
    """Friday 26 September 2025 + 5 working days: Sunday the 28th is an adjusted workday (调休), 1–8
    October are the holiday: the deadline is Friday 10 October."""
    notice = issued(city.city_admin, "warning", red_warning.pk, deadline_workdays=5)
    assert notice["deadline"] == "2025-10-10" and notice["deadline_workdays"] == 5


@pytest.mark.today("2026-06-01")
def test_the_deadline_as_a_date_and_the_bad_ones(city, red_warning, clock):
    notice = issued(city.city_admin, "warning", red_warning.pk, deadline="2026-06-15")
    assert notice["deadline"] == "2026-06-15" and notice["deadline_workdays"] is None
    for fields, field in (
        ({"deadline": "2026-06-01"}, "deadline"),
        ({"deadline": "2026-06-15", "deadline_workdays": 3}, "deadline"),
        ({"deadline_workdays": None}, "deadline"),
    ):
        response = issue(city.city_admin, "warning", red_warning.pk, **fields)
        assert response.status_code == 422 and field in response.json()["errors"], response.json()


@pytest.mark.today("2026-06-01")
def test_the_receiver_must_be_a_county_office_or_department_of_the_city(city, other_city, red_warning, clock):
    for org in (city.enterprise, city.city_office, other_city.department):
        response = issue(city.city_admin, "warning", red_warning.pk, receiver=org.pk)
        assert response.status_code == 422 and "receiver" in response.json()["errors"]
    notice = issued(city.city_admin, "warning", red_warning.pk, receiver=city.department.pk)
    assert notice["receiver"] == city.department.pk


@pytest.mark.today("2026-06-01")
def test_the_list_filters_and_the_inbox_puts_the_overdue_first(city, project, clock):
    first = issued(city.city_admin, "warning", make_warning(project, subject="a").pk, deadline_workdays=10)
    clock.move_to(D(2026, 6, 2))
    second = issued(city.city_admin, "warning", make_warning(project, subject="b").pk, deadline_workdays=1)
    clock.move_to(D(2026, 6, 5))  # the second is overdue
    office = ApiClient(city.city_admin)
    assert office.get("/supervision-notices").json()["count"] == 2
    overdue = office.get("/supervision-notices?overdue=true").json()
    assert [n["id"] for n in overdue["items"]] == [second["id"]] and overdue["items"][0]["overdue"]
    by_receiver = office.get(f"/supervision-notices?receiver={city.department.pk}").json()
    assert by_receiver["count"] == 0
    inbox = ApiClient(city.county).get("/supervision-notices?inbox=true").json()
    assert [n["id"] for n in inbox["items"]] == [second["id"], first["id"]]
    assert ApiClient(city.other_county).get("/supervision-notices").json()["count"] == 0
    assert ApiClient(city.owner).get("/supervision-notices").status_code == 403


def test_a_city_never_sees_another_citys_notices(city, other_city, red_warning, clock):
    notice = issued(city.city_admin, "warning", red_warning.pk)
    other = ApiClient(other_city.city_admin)
    assert other.get("/supervision-notices").json()["count"] == 0
    assert other.get(f"/supervision-notices/{notice['id']}").status_code == 404
    assert other.post(f"/supervision-notices/{notice['id']}/actions", {"action": "accept"}).status_code == 404


@pytest.mark.today("2026-06-01")
def test_the_daily_watch_tells_of_due_soon_and_overdue_notices_once(city, red_warning, clock):
    from django.core.management import call_command

    pk = issued(city.city_admin, "warning", red_warning.pk, deadline_workdays=3)["id"]  # due 2026-06-04
    call_command("supervisionwatch", "--date", "2026-06-03")
    call_command("supervisionwatch", "--date", "2026-06-03")
    assert _told(city.county, "supervision.due_soon") == 1
    call_command("supervisionwatch", "--date", "2026-06-05")
    call_command("supervisionwatch", "--date", "2026-06-08")
    assert _told(city.county, "supervision.overdue") == 1
    assert NoticeEvent.objects.filter(notice_id=pk, kind="overdue").count() == 1
    ok(city.county, pk, "answer", "已整改")
    call_command("supervisionwatch", "--date", "2026-06-09")
    assert _told(city.county, "supervision.overdue") == 1
