"""The ladder: the county escalates to the coordination meeting, the city office to a city leader, an
overdue blocker climbs by itself; a leader's instruction must be answered; the daily watch is
idempotent and tells the department when a deadline is near or past."""

import pytest
from django.core.management import call_command

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.blockers.models import Blocker
from keyprojects.blockers.reminders import watch_blockers
from keyprojects.notifications.models import Notification

from .helpers import act, ok, raise_blocker

pytestmark = pytest.mark.django_db


def _assigned(city, project, days=5):
    pk = raise_blocker(city.owner, project)
    ok(city.county, pk, "accept")
    ok(city.county, pk, "assign", department=city.department.pk, deadline_workdays=days)
    return pk


@pytest.mark.today("2026-03-02")
def test_the_ladder_by_hand_and_the_leaders_instruction(city, project, clock):
    baozhang = UserFactory(
        username="zhang", full_name="张副市长", role=Role.LEADER, organization=city.city_office
    )
    project.leader = baozhang
    project.save()
    pk = _assigned(city, project)
    assert act(city.leader, pk, "instruct", text="尽快办").status_code == 409  # not at the leaders yet
    assert act(city.county, pk, "escalate").status_code == 422  # why, is required
    body = ok(city.county, pk, "escalate", text="涉及市级用地指标，县级无法协调")
    assert body["level"] == "city"
    assert Notification.objects.filter(recipient=city.city_admin, kind="blocker.escalated").exists()
    assert (
        act(city.county, pk, "escalate", text="再提").status_code == 403
    )  # the city's step, not the county's
    body = ok(city.city_admin, pk, "escalate", text="协调调度会未能解决")
    assert body["level"] == "leader"
    assert act(city.city_admin, pk, "escalate", text="再提").status_code == 409  # the top of the ladder
    # the project's 包保 leader has an account: it is the one told, and named on the blocker
    assert Blocker.objects.get(pk=pk).leader == baozhang
    assert Notification.objects.filter(recipient=baozhang, kind="blocker.escalated").exists()
    assert not Notification.objects.filter(recipient=city.leader, kind="blocker.escalated").exists()
    assert act(city.department_officer, pk, "instruct", text="x").status_code == 403
    body = ok(baozhang, pk, "instruct", text="请自然资源和规划局3个工作日内拿出方案")
    assert body["instruction_pending"] is True
    assert Notification.objects.filter(recipient=city.department_officer, kind="blocker.instructed").exists()
    body = ok(city.department_officer, pk, "answer", text="已拟定用地指标调剂方案")
    assert body["instruction_pending"] is False
    assert Notification.objects.filter(recipient=baozhang, kind="blocker.answered").exists()
    escalations = [e for e in body["events"] if e["kind"] == "escalated"]
    assert [e["values"]["协调层级"] for e in escalations] == ["市协调调度会", "市领导"]
    assert escalations[0]["actor"] == city.county.display_name and escalations[0]["text"]


@pytest.mark.today("2026-03-02")
def test_without_an_account_for_the_baozhang_leader_every_city_leader_hears_it(city, project, clock):
    # a leader's account carrying the 包保 leader's name is not the link: only `Project.leader` is
    UserFactory(username="zhang", full_name="张副市长", role=Role.LEADER, organization=city.city_office)
    pk = _assigned(city, project)
    ok(city.county, pk, "escalate", text="县级无法协调")
    ok(city.city_admin, pk, "escalate", text="会议未解决")
    assert Notification.objects.filter(recipient=city.leader, kind="blocker.escalated").exists()
    assert ok(city.leader, pk, "instruct", text="抓紧办理")["instruction_pending"]


@pytest.mark.today("2026-03-02")
def test_an_overdue_blocker_climbs_by_itself_once_per_level(city, project, clock):
    pk = _assigned(city, project, days=5)  # due Monday 9 March
    clock.move_to("2026-03-06")  # Friday: one working day left
    run = watch_blockers()
    assert (run.due_soon, run.overdue, run.escalated) == (1, 0, 0)
    assert (
        Notification.objects.filter(recipient=city.department_officer, kind="blocker.due_soon").count() == 1
    )
    assert watch_blockers().notified == 0  # the same day again: nothing new
    clock.move_to("2026-03-10")
    run = watch_blockers()
    assert (run.overdue, run.escalated) == (1, 0)  # overdue for 1 working day: not yet climbing
    assert Notification.objects.filter(recipient=city.county, kind="blocker.overdue").count() == 1
    clock.move_to("2026-03-12")  # 3 working days past the deadline
    call_command("blockerwatch")
    blocker = Blocker.objects.get(pk=pk)
    assert blocker.level == "city"
    events = list(blocker.events.values_list("kind", "actor"))
    assert events[-2:] == [("overdue", None), ("escalated", None)]
    assert Notification.objects.filter(recipient=city.city_admin, kind="blocker.escalated").count() == 1
    assert watch_blockers().escalated == 0  # not again the same day
    clock.move_to("2026-03-17")  # 3 more working days at the city level
    assert watch_blockers().escalated == 1
    assert Blocker.objects.get(pk=pk).level == "leader"
    clock.move_to("2026-03-30")
    assert watch_blockers().escalated == 0  # the top of the ladder


@pytest.mark.today("2026-03-02")
def test_a_resolved_blocker_is_not_watched(city, project, clock):
    pk = _assigned(city, project, days=1)
    ok(city.department_officer, pk, "resolve", text="已办结")
    clock.move_to("2026-03-20")
    run = watch_blockers()
    assert (run.due_soon, run.overdue, run.escalated) == (0, 0, 0)


def test_nobody_is_told_of_their_own_step(city, project):
    pk = raise_blocker(city.county, project)  # the county raises it and would accept it itself
    assert not Notification.objects.filter(recipient=city.county, kind="blocker.raised").exists()
    assert Notification.objects.filter(recipient=city.city_admin).count() == 0
    ok(city.county, pk, "accept")
    assert not Notification.objects.filter(recipient=city.county, kind="blocker.accepted").exists()
    assert Notification.objects.filter(recipient=city.owner, kind="blocker.accepted").exists()


@pytest.mark.today("2026-03-02")
def test_an_overdue_meeting_decision_is_told_to_its_department_once(city, project, clock):
    import datetime

    from keyprojects.blockers.models import Meeting
    from keyprojects.blockers.services import decision_add, decision_done

    meeting = Meeting.objects.create(
        city=city.liaocheng,
        title="第一次协调调度会",
        held_on=datetime.date(2026, 3, 2),
        created_by=city.city_admin,
    )
    decision = decision_add(
        user=city.city_admin,
        meeting_id=meeting.pk,
        text="完成用地组卷",
        department_id=city.department.pk,
        deadline=datetime.date(2026, 3, 10),
    )
    assert watch_blockers().decisions_overdue == 0
    clock.move_to("2026-03-11")
    run = watch_blockers()
    assert (run.decisions_overdue, run.notified) == (1, 1)
    assert watch_blockers().notified == 0
    decision_done(user=city.department_officer, decision_id=decision.pk, note="已完成")
    clock.move_to("2026-03-12")
    assert watch_blockers().decisions_overdue == 0
