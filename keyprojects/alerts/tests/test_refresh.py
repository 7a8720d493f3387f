"""The refresh: since-dates kept, warnings cleared, the command, and refreshes triggered by changes."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.alerts.models import Color, ProjectWarning, Rule
from keyprojects.alerts.services import warnings_refresh
from keyprojects.metrics.models import MetricsSettings
from keyprojects.metrics.tests.helpers import include, list_project, report
from keyprojects.projects.models import Stage

D = datetime.date


def test_a_warning_keeps_its_since_date_while_it_stays_and_is_cleared_when_its_cause_goes(city):
    MetricsSettings.objects.update_or_create(pk=1, defaults={"time_basis": "month"})
    project = list_project(
        region=city.guanxian,
        owner=city.enterprise,
        actual_start=D(2026, 1, 10),
        annual_investment=Decimal("10000"),
    )
    include(project, D(2026, 1, 20))
    report(project, D(2026, 4, 1), "3000", by=city.owner, reviewed_on=D(2026, 5, 5))
    warnings_refresh(today=D(2026, 5, 31))  # 30% done, 41.7% elapsed: 11.7 points behind
    first = ProjectWarning.objects.get(project=project, is_active=True)
    assert (first.rule, first.color, first.since) == (Rule.INVESTMENT_LAG, Color.YELLOW, D(2026, 5, 31))

    warnings_refresh(today=D(2026, 9, 30))  # 75% elapsed: 45 points behind
    again = ProjectWarning.objects.get(project=project, is_active=True)
    assert again.pk == first.pk
    assert (again.color, again.since) == (Color.RED, D(2026, 5, 31))
    assert "45.0个百分点" in again.message

    report(project, D(2026, 9, 1), "5000", by=city.owner, reviewed_on=D(2026, 10, 3))
    warnings_refresh(today=D(2026, 10, 3))
    cleared = ProjectWarning.objects.get(pk=first.pk)
    assert not cleared.is_active
    assert cleared.cleared_at is not None
    assert not ProjectWarning.objects.filter(project=project, is_active=True).exists()

    warnings_refresh(today=D(2026, 12, 31))  # behind again: a new warning, since the new date
    renewed = ProjectWarning.objects.get(project=project, is_active=True)
    assert renewed.pk != first.pk
    assert renewed.since == D(2026, 12, 31)


def test_refreshing_only_some_projects_leaves_the_others_alone(city):
    one = list_project(region=city.guanxian, owner=city.enterprise, annual_investment=Decimal("0"))
    other = list_project(region=city.guanxian, owner=city.enterprise, annual_investment=Decimal("0"))
    warnings_refresh(today=D(2026, 4, 1))
    other.actual_start, other.stage = D(2026, 3, 2), Stage.NEW_START
    other.save()
    one.actual_start, one.stage = D(2026, 3, 2), Stage.NEW_START
    one.save()
    warnings_refresh(today=D(2026, 4, 1), project_ids=[one.pk])
    assert not ProjectWarning.objects.filter(project=one, is_active=True).exists()
    assert ProjectWarning.objects.filter(project=other, is_active=True).exists()


def test_the_refresh_takes_a_handful_of_queries_whatever_the_number_of_projects(city):
    def add_projects(count):
        for _ in range(count):
            project = list_project(
                region=city.guanxian,
                owner=city.enterprise,
                actual_start=D(2026, 1, 10),
                planned_start=D(2026, 1, 5),
            )
            report(project, D(2026, 2, 1), "100", by=city.owner, reviewed_on=D(2026, 3, 1))

    def queries_of_a_fresh_refresh():
        ProjectWarning.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            warnings_refresh(today=D(2026, 6, 30))
        return len(queries)

    add_projects(2)
    warnings_refresh(today=D(2026, 6, 30))  # creates the settings rows
    few = queries_of_a_fresh_refresh()
    add_projects(30)
    assert queries_of_a_fresh_refresh() == few <= 16
    assert ProjectWarning.objects.filter(is_active=True).count() == 64  # investment and statistics, each


def test_the_command_refreshes_for_a_date(city, capsys):
    project = list_project(region=city.guanxian, owner=city.enterprise)
    call_command("refreshwarnings", "--date", "2026-06-01")
    assert ProjectWarning.objects.get(project=project).color == Color.RED
    assert "新增1条" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("refreshwarnings", "--date", "2026-13-01")


@pytest.mark.today("2026-06-30")
def test_changes_trigger_a_refresh_of_their_project(city, clock, django_capture_on_commit_callbacks):
    # the tasks run on commit, for today (the demo year's list)
    year = clock.year
    with django_capture_on_commit_callbacks(execute=True):
        project = list_project(
            region=city.guanxian,
            owner=city.enterprise,
            year=year,
            planned_start=D(year, 1, 5),
            annual_investment=Decimal("0"),
        )
    assert ProjectWarning.objects.get(project=project, is_active=True).rule == Rule.START_DELAY

    with django_capture_on_commit_callbacks(execute=True):
        project.actual_start, project.stage = D(year, 1, 6), Stage.NEW_START
        project.save()
    assert ProjectWarning.objects.get(project=project, is_active=True).rule == Rule.STATISTICS_MISSING

    with django_capture_on_commit_callbacks(execute=True):
        include(project, D(year, 1, 20))
    assert not ProjectWarning.objects.filter(project=project, is_active=True).exists()
