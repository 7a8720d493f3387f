import datetime

import pytest

from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.schedule.models import NodeCode, PlanNode, ScheduleSettings
from keyprojects.schedule.selectors import NodeStatus, StatusClock, node_status, open_nodes

# Friday 27 Sep 2024: five working days on are Sun 29 Sep (worked), Mon 30 Sep, then — after the National
# Day holiday of 1–7 Oct — Tue 8, Wed 9 and Thu 10 Oct.
FRIDAY = datetime.date(2024, 9, 27)


def plan_node(project, planned, actual=None, order=1):
    return PlanNode.objects.create(
        project=project,
        order=order,
        code=NodeCode.OTHER,
        name=f"节点{order}",
        planned_date=planned,
        actual_date=actual,
    )


@pytest.mark.parametrize(
    ("planned", "actual", "expected"),
    [
        (datetime.date(2024, 9, 26), None, NodeStatus.OVERDUE),
        (FRIDAY, None, NodeStatus.DUE_SOON),
        (datetime.date(2024, 10, 5), None, NodeStatus.DUE_SOON),
        (datetime.date(2024, 10, 10), None, NodeStatus.DUE_SOON),
        (datetime.date(2024, 10, 11), None, NodeStatus.ON_TIME),
        (datetime.date(2024, 9, 1), datetime.date(2024, 9, 20), NodeStatus.DONE),
        (datetime.date(2024, 12, 1), datetime.date(2024, 9, 20), NodeStatus.DONE),
    ],
)
def test_status_colours_at_the_boundaries_across_a_holiday(city, planned, actual, expected):
    node = plan_node(ProjectFactory(region=city.guanxian), planned, actual)
    assert node_status(node, FRIDAY) == expected
    clock = StatusClock.on(FRIDAY)
    assert clock.due_soon_until == datetime.date(2024, 10, 10)
    assert PlanNode.objects.filter(clock.q(expected)).get() == node


def test_the_due_soon_window_follows_the_city_setting(city):
    node = plan_node(ProjectFactory(region=city.guanxian), datetime.date(2024, 10, 8))
    ScheduleSettings.objects.update_or_create(pk=1, defaults={"due_soon_workdays": 2})
    assert node_status(node, FRIDAY) == NodeStatus.ON_TIME
    ScheduleSettings.objects.filter(pk=1).update(due_soon_workdays=3)
    assert node_status(node, FRIDAY) == NodeStatus.DUE_SOON


def test_overdue_and_due_soon_nodes_are_found_in_one_query(city, django_assert_num_queries):
    project = ProjectFactory(region=city.guanxian)
    late = plan_node(project, datetime.date(2024, 9, 20), order=1)
    soon = plan_node(project, datetime.date(2024, 10, 9), order=2)
    plan_node(project, datetime.date(2024, 9, 10), datetime.date(2024, 9, 10), order=3)
    plan_node(project, datetime.date(2024, 12, 1), order=4)
    clock = StatusClock.on(FRIDAY, workdays=5)
    with django_assert_num_queries(1):
        assert list(open_nodes(status=NodeStatus.OVERDUE, clock=clock)) == [late]
    with django_assert_num_queries(1):
        assert list(open_nodes(status=NodeStatus.DUE_SOON, clock=clock)) == [soon]
