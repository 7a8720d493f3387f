"""Node reminders: a node assigned to a department tells its officers once when it comes due soon and
once when it is overdue (counted in working days across the National Day holiday); a node moved to a
new date is announced again; nodes of no department, done nodes and other departments tell no one."""

import datetime

import pytest
from django.core.management import call_command

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.notifications.models import Notification
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.schedule.models import NodeCode, PlanNode
from keyprojects.schedule.reminders import send_node_reminders

FRIDAY = datetime.date(2024, 9, 27)  # five working days on: Thu 10 Oct, after the holiday


def node(project, planned, department, actual=None, order=1):
    return PlanNode.objects.create(
        project=project,
        order=order,
        code=NodeCode.OTHER,
        name=f"节点{order}",
        planned_date=planned,
        actual_date=actual,
        department=department,
    )


def told(kind):
    return sorted((n.recipient.username, n.url) for n in Notification.objects.filter(kind=kind))


@pytest.mark.django_db
def test_due_soon_and_overdue_nodes_tell_their_departments_officers_once(city):
    project = ProjectFactory(name="冠州国际陆港", region=city.guanxian)
    due = node(project, datetime.date(2024, 10, 10), city.department, order=1)
    late = node(project, datetime.date(2024, 9, 26), city.department, order=2)
    node(project, datetime.date(2024, 10, 11), city.department, order=3)  # on time
    node(project, datetime.date(2024, 9, 1), city.department, actual=datetime.date(2024, 9, 2), order=4)
    node(project, datetime.date(2024, 9, 20), None, order=5)  # no department
    run = send_node_reminders(today=FRIDAY)
    assert (run.due_soon, run.overdue, run.notified) == (1, 1, 2)
    assert told("node_due_soon") == [("ziranziyuan", f"/schedule/nodes/{due.pk}/edit/")]
    assert told("node_overdue") == [("ziranziyuan", f"/schedule/nodes/{late.pk}/edit/")]
    assert Notification.objects.get(kind="node_overdue").title == "冠州国际陆港「节点2」已逾期"
    assert send_node_reminders(today=FRIDAY).notified == 0

    due.planned_date = datetime.date(2024, 10, 9)
    due.save()
    assert send_node_reminders(today=FRIDAY).notified == 1  # a new date is news
    # 节点1 now overdue, 节点3 now due soon; 节点2 was told already
    assert send_node_reminders(today=datetime.date(2024, 10, 10)).notified == 2


@pytest.mark.django_db
def test_only_the_assigned_departments_active_officers_are_told(city, other_city):
    UserFactory(
        username="ziranziyuan-off",
        role=Role.DEPARTMENT_OFFICER,
        organization=city.department,
        is_active=False,
    )
    node(ProjectFactory(region=city.guanxian), datetime.date(2024, 9, 26), city.department)
    node(ProjectFactory(region=other_city.qihe), datetime.date(2024, 9, 26), other_city.department)
    call_command("sendnodereminders", "--date", "2024-09-27")
    assert sorted((n.recipient.username, n.city_id) for n in Notification.objects.all()) == [
        ("ziranziyuan", city.liaocheng.pk),
        ("ziranziyuan-dezhou", other_city.dezhou.pk),
    ]
