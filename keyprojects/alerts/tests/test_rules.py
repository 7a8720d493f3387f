"""Each warning rule at its yellow and red boundaries, and green when nothing is wrong."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from keyprojects.alerts.models import ProjectWarning, Rule, WarningRules
from keyprojects.alerts.services import warnings_refresh
from keyprojects.metrics.models import MetricsSettings, MonthlyPlan
from keyprojects.metrics.tests.helpers import dispatch_round, include, list_project, report
from keyprojects.projects.models import Stage
from keyprojects.schedule.models import PlanNode

D = datetime.date


def lights(project, rule, today):
    """The colours of the project's active warnings of `rule` after a refresh on `today`."""
    warnings_refresh(today=today)
    return [w.color for w in ProjectWarning.objects.filter(project=project, rule=rule, is_active=True)]


@pytest.fixture
def project(city):
    return list_project(region=city.guanxian, owner=city.enterprise, planned_start=D(2026, 3, 1))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 2, 28), []),
        (D(2026, 3, 1), ["yellow"]),
        (D(2026, 5, 31), ["yellow"]),
        (D(2026, 6, 1), ["red"]),
    ],
)
def test_planned_start_not_started(project, today, expected):
    assert lights(project, Rule.START_DELAY, today) == expected


def test_a_started_project_or_a_later_year_has_no_start_warning(city, project):
    project.actual_start = D(2026, 3, 20)
    project.stage = Stage.NEW_START
    project.save()
    assert lights(project, Rule.START_DELAY, D(2026, 7, 1)) == []
    next_year = list_project(
        region=city.guanxian, owner=city.enterprise, planned_start=D(2027, 1, 10), year=2026
    )
    assert lights(next_year, Rule.START_DELAY, D(2026, 7, 1)) == []


def test_a_project_planned_to_start_in_an_earlier_year_still_warns(city):
    late = list_project(region=city.guanxian, owner=city.enterprise, planned_start=D(2025, 9, 1))
    assert lights(late, Rule.START_DELAY, D(2026, 1, 15)) == ["red"]
    recent = list_project(region=city.guanxian, owner=city.enterprise, planned_start=D(2025, 12, 20))
    assert lights(recent, Rule.START_DELAY, D(2026, 1, 15)) == ["yellow"]


def test_start_red_months_is_the_citys_setting(project):
    WarningRules.objects.update_or_create(pk=1, defaults={"start_red_months": 1})
    assert lights(project, Rule.START_DELAY, D(2026, 4, 1)) == ["red"]


@pytest.fixture
def started(city):
    MetricsSettings.objects.update_or_create(pk=1, defaults={"time_basis": "month"})  # end of June = 0.5
    return list_project(
        region=city.guanxian,
        owner=city.enterprise,
        actual_start=D(2026, 1, 10),
        annual_investment=Decimal("10000"),
    )


@pytest.mark.parametrize(
    ("completed", "expected"),
    [("4010", []), ("4000", ["yellow"]), ("2000", ["yellow"]), ("1990", ["red"])],
)
def test_investment_behind_time_progress(city, started, completed, expected):
    report(started, D(2026, 5, 1), completed, by=city.owner, reviewed_on=D(2026, 6, 5))
    assert lights(started, Rule.INVESTMENT_LAG, D(2026, 6, 30)) == expected


def test_investment_is_read_against_the_monthly_plan_under_the_plan_basis(city, started):
    MonthlyPlan.objects.bulk_create(
        MonthlyPlan(project=started, year=2026, month=month, amount=Decimal("400")) for month in range(1, 7)
    )
    report(started, D(2026, 5, 1), "2000", by=city.owner, reviewed_on=D(2026, 6, 5))
    assert lights(started, Rule.INVESTMENT_LAG, D(2026, 6, 30)) == ["yellow"]  # 20% against 6/12
    MetricsSettings.objects.filter(pk=1).update(time_basis="plan")
    assert lights(started, Rule.INVESTMENT_LAG, D(2026, 6, 30)) == []  # 20% against 2,400 of 10,000


def test_investment_warning_says_why(city, started):
    report(started, D(2026, 5, 1), "1000", by=city.owner, reviewed_on=D(2026, 6, 5))
    warnings_refresh(today=D(2026, 6, 30))
    warning = ProjectWarning.objects.get(project=started, rule=Rule.INVESTMENT_LAG)
    assert (
        warning.message == "本年完成投资1000.00万元，为年度计划10000.00万元的10.0%，低于序时进度40.0个百分点"
    )


def test_investment_rule_skips_unstarted_projects_and_projects_without_a_plan(city, project):
    MetricsSettings.objects.update_or_create(pk=1, defaults={"time_basis": "month"})
    no_plan = list_project(
        region=city.guanxian,
        owner=city.enterprise,
        actual_start=D(2026, 1, 10),
        annual_investment=Decimal("0"),
    )
    assert lights(project, Rule.INVESTMENT_LAG, D(2026, 6, 30)) == []
    assert lights(no_plan, Rule.INVESTMENT_LAG, D(2026, 6, 30)) == []


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 4, 14), []),
        (D(2026, 4, 15), ["yellow"]),
        (D(2026, 5, 14), ["yellow"]),
        (D(2026, 5, 15), ["red"]),
    ],
)
def test_started_but_not_in_the_statistics(city, today, expected):
    project = list_project(region=city.guanxian, owner=city.enterprise, actual_start=D(2026, 3, 15))
    assert lights(project, Rule.STATISTICS_MISSING, today) == expected


def test_no_statistics_warning_when_included_or_below_the_threshold(city):
    included = list_project(region=city.guanxian, owner=city.enterprise, actual_start=D(2026, 3, 15))
    include(included, D(2026, 4, 1))
    small = list_project(
        region=city.guanxian,
        owner=city.enterprise,
        actual_start=D(2026, 3, 15),
        total_investment=Decimal("499"),
    )
    assert lights(included, Rule.STATISTICS_MISSING, D(2026, 6, 1)) == []
    assert lights(small, Rule.STATISTICS_MISSING, D(2026, 6, 1)) == []


def node(project, planned, **fields):
    return PlanNode.objects.create(
        project=project, order=1, code="land_supply", name="土地供应", planned_date=planned, **fields
    )


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 6, 1), []),  # Monday; 5 working days ahead is 8 June
        (D(2026, 6, 3), ["yellow"]),  # due within 5 working days
        (D(2026, 6, 10), ["yellow"]),  # due today
        (D(2026, 6, 11), ["red"]),  # overdue
    ],
)
def test_plan_nodes_due_soon_and_overdue(project, today, expected):
    node(project, D(2026, 6, 10))
    assert lights(project, Rule.NODE_OVERDUE, today) == expected


def test_overdue_nodes_turn_red_after_the_citys_grace_and_done_nodes_are_green(city, project):
    WarningRules.objects.update_or_create(pk=1, defaults={"node_red_workdays": 2})
    late = node(project, D(2026, 6, 10), department=city.department)
    assert lights(project, Rule.NODE_OVERDUE, D(2026, 6, 11)) == ["yellow"]
    assert lights(project, Rule.NODE_OVERDUE, D(2026, 6, 12)) == ["yellow"]
    assert lights(project, Rule.NODE_OVERDUE, D(2026, 6, 15)) == ["red"]
    warning = ProjectWarning.objects.get(project=project, rule=Rule.NODE_OVERDUE, is_active=True)
    assert "土地供应" in warning.message
    assert city.department.name in warning.message
    late.actual_date = D(2026, 6, 14)
    late.save()
    assert lights(project, Rule.NODE_OVERDUE, D(2026, 6, 15)) == []


def test_overdue_counted_in_a_year_without_the_official_calendar_keeps_the_years(city, project):
    """Working days of a year whose holidays are not published are counted Monday to Friday: the warning
    keeps those years for the page's one notice, and its message does not repeat it."""
    node(project, D(2026, 12, 21))
    assert lights(project, Rule.NODE_OVERDUE, D(2026, 12, 28))
    warning = ProjectWarning.objects.get(project=project, rule=Rule.NODE_OVERDUE, is_active=True)
    assert "estimated_years" not in warning.facts["v"]  # 2026 is known
    next_year = list_project(region=city.guanxian, owner=city.enterprise, year=2027)
    node(next_year, D(2026, 12, 21))
    assert lights(next_year, Rule.NODE_OVERDUE, D(2027, 1, 12))
    warning = ProjectWarning.objects.get(project=next_year, rule=Rule.NODE_OVERDUE, is_active=True)
    assert warning.facts["v"]["estimated_years"] == {"t": "list", "v": [{"t": "int", "v": 2027}]}
    assert "节假日数据缺失" not in warning.message
    assert warning.message.endswith("已逾期16个工作日（责任部门：未指定）")
    with translation.override("en"):
        assert "Monday to Friday" not in warning.message


@pytest.fixture
def rounds(project):
    made = [dispatch_round(2026, month, closes_on=D(2026, month, 28)) for month in (1, 2, 3, 4)]
    for round_ in made:
        round_.projects.add(project)
    return made


def test_missing_reports(city, project, rounds):
    for month in (1, 2):
        report(project, D(2026, month, 1), "100", by=city.owner, reviewed_on=D(2026, month, 27))
    assert lights(project, Rule.REPORT_MISSING, D(2026, 3, 28)) == []  # the March round closes at day's end
    assert lights(project, Rule.REPORT_MISSING, D(2026, 3, 29)) == ["yellow"]
    assert lights(project, Rule.REPORT_MISSING, D(2026, 4, 29)) == ["red"]  # two rounds in a row
    warning = ProjectWarning.objects.get(project=project, rule=Rule.REPORT_MISSING, is_active=True)
    assert warning.message == "2026年第3期、2026年第4期未报送月报（连续2期未报）"
    assert warning.since == D(2026, 3, 29)


def test_a_late_report_ends_the_streak(city, project, rounds):
    for month in (1, 2, 4):
        report(project, D(2026, month, 1), "100", by=city.owner, reviewed_on=None, status="submitted")
    assert lights(project, Rule.REPORT_MISSING, D(2026, 4, 29)) == ["yellow"]
    report(project, D(2026, 3, 1), "100", by=city.owner, reviewed_on=None, status="submitted")
    assert lights(project, Rule.REPORT_MISSING, D(2026, 4, 29)) == []


def test_withdrawn_and_unlisted_projects_carry_no_warnings(city):
    withdrawn = list_project(region=city.guanxian, owner=city.enterprise, stage=Stage.WITHDRAWN)
    reserve = list_project(region=city.guanxian, owner=city.enterprise, pipeline="reserve")
    warnings_refresh(today=D(2026, 9, 1))
    assert not ProjectWarning.objects.filter(project__in=[withdrawn, reserve]).exists()
