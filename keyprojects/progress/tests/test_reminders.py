"""Reminders of monthly dispatch: N days before a round closes and once it has closed, to the owners
and county officers with unreported projects; sent once per round, phase and user."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.notifications.models import Notification
from keyprojects.progress.models import DispatchRound, MonthlyReport, ProgressSettings
from keyprojects.progress.reminders import send_reminders, send_reminders_task
from keyprojects.projects.tests.factories import ProjectFactory

CLOSES = datetime.date(2026, 12, 5)
# the round of the fixture below is November 2026's: today is a day of its window
pytestmark = [pytest.mark.today("2026-12-01"), pytest.mark.usefixtures("clock")]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):  # messages are asserted in the source language
        yield


@pytest.fixture
def dispatch(city):
    """November's round (window 11-20 … 12-05): 冠县 has two projects of 陆港 and one of another owner,
    高唐 one of 奥博; one 冠县 project has reported."""
    lugang = [ProjectFactory(region=city.guanxian, owner=city.enterprise) for _ in range(2)]
    reported = ProjectFactory(region=city.guanxian, owner=city.enterprise)
    aobo = ProjectFactory(region=city.gaotang, owner=city.other_enterprise)
    dispatch_round = DispatchRound.objects.create(
        city=city.liaocheng,
        year=2026,
        month=11,
        title="2026年第11期",
        opens_on=datetime.date(2026, 11, 20),
        closes_on=CLOSES,
    )
    dispatch_round.projects.set([*lugang, reported, aobo])
    MonthlyReport.objects.create(
        project=reported,
        dispatch_round=dispatch_round,
        month=datetime.date(2026, 11, 1),
        construction=Decimal(10),
        total=Decimal(10),
        progress_text="主体施工",
        submitted_by=city.owner,
        submitted_at=timezone.now(),
    )
    return dispatch_round


def bodies(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("body", flat=True))


@pytest.mark.django_db
def test_nothing_before_the_reminder_day(city, dispatch):
    assert ProgressSettings.for_city(city.liaocheng.pk).remind_days_before_close == 3
    runs = send_reminders(today=datetime.date(2026, 12, 1))
    assert [run.phase for run in runs] == []
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_before_close_owners_and_counties_hear_of_their_own_missing_projects(city, dispatch):
    runs = send_reminders(today=datetime.date(2026, 12, 2))
    assert [(run.phase, run.missing, run.notified) for run in runs] == [("before_close", 3, 4)]
    assert bodies(city.owner) == ["本期月报将于12月5日截止，尚有2个项目未报"]
    assert bodies(city.other_owner) == ["本期月报将于12月5日截止，尚有1个项目未报"]
    assert bodies(city.county) == ["本期月报将于12月5日截止，尚有2个项目未报"]
    assert bodies(city.other_county) == ["本期月报将于12月5日截止，尚有1个项目未报"]
    for user in (city.city_admin, city.leader, city.department_officer, city.admin):
        assert bodies(user) == []
    notification = Notification.objects.get(recipient=city.owner)
    assert notification.kind == "report_due" and str(dispatch.pk) in notification.url


@pytest.mark.django_db
def test_running_twice_or_daily_sends_nothing_new(city, dispatch):
    send_reminders(today=datetime.date(2026, 12, 2))
    again = send_reminders(today=datetime.date(2026, 12, 2))
    next_day = send_reminders(today=datetime.date(2026, 12, 3))
    assert [run.notified for run in again + next_day] == [0, 0]
    assert Notification.objects.count() == 4


@pytest.mark.django_db
def test_after_close_notifies_again_about_the_still_missing(city, dispatch):
    send_reminders(today=datetime.date(2026, 12, 2))
    MonthlyReport.objects.create(
        project=dispatch.projects.filter(region=city.gaotang).get(),
        dispatch_round=dispatch,
        month=datetime.date(2026, 11, 1),
        progress_text="设备安装",
        submitted_by=city.other_owner,
        submitted_at=timezone.now(),
    )
    runs = send_reminders(today=datetime.date(2026, 12, 6))
    assert [(run.phase, run.missing, run.notified) for run in runs] == [("closed", 2, 2)]
    assert bodies(city.owner)[0] == "本期月报已于12月5日截止，仍有2个项目未报，请尽快补报"
    assert len(bodies(city.other_owner)) == 1  # reported in time for the second reminder
    assert send_reminders(today=datetime.date(2026, 12, 7))[0].notified == 0


@pytest.mark.django_db
def test_inactive_users_and_other_enterprises_are_not_notified(city, dispatch):
    colleague = UserFactory(username="owner-lugang-2", role=Role.PROJECT_OWNER, organization=city.enterprise)
    UserFactory(username="gone", role=Role.PROJECT_OWNER, organization=city.enterprise, is_active=False)
    send_reminders(today=datetime.date(2026, 12, 2))
    assert bodies(colleague) == ["本期月报将于12月5日截止，尚有2个项目未报"]
    assert not Notification.objects.filter(recipient__username="gone").exists()


@pytest.mark.django_db
def test_command_and_task(city, dispatch):
    out = StringIO()
    call_command("sendreminders", "--date", "2026-12-02", stdout=out)
    assert "2026年第11期 截止前提醒：未报项目 3 个，发送通知 4 条" in out.getvalue()
    out = StringIO()
    call_command("sendreminders", "--date", "2026-12-02", stdout=out)
    assert "发送通知 0 条" in out.getvalue()
    assert send_reminders_task.call("2026-12-06") == 4


@pytest.mark.django_db
def test_command_rejects_a_bad_date(city):
    with pytest.raises(Exception, match="YYYY-MM-DD"):
        call_command("sendreminders", "--date", "12/02/2026")
