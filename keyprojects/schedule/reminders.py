"""Reminders of plan nodes: each node assigned to a department tells the department's officers once
when it comes due soon (within the city's due-soon working days) and once when it is overdue.

Run daily (`keyprojects sendnodereminders`, or the `send_node_reminders_task` task); every notification
is keyed by the node, its phase and its planned date, so running it again sends nothing new, and a node
moved to a new date is announced again when that date nears."""

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from keyprojects.accounts.access import ACCESS
from keyprojects.accounts.models import User
from keyprojects.notifications.kinds import NotificationKind, register_kind
from keyprojects.notifications.models import Channel
from keyprojects.notifications.services import notify

from .models import PlanNode, ScheduleSettings
from .selectors import NodeStatus, StatusClock

KIND_DUE_SOON = "node_due_soon"
KIND_OVERDUE = "node_overdue"
PHASES = {NodeStatus.DUE_SOON: KIND_DUE_SOON, NodeStatus.OVERDUE: KIND_OVERDUE}


def register_kinds() -> None:
    register_kind(NotificationKind(KIND_DUE_SOON, gettext_lazy("节点临期"), (Channel.EMAIL,), order=20))
    register_kind(
        NotificationKind(
            KIND_OVERDUE, gettext_lazy("节点逾期"), (Channel.EMAIL, Channel.WECOM, Channel.DINGTALK), order=21
        )
    )


@dataclass(frozen=True)
class NodeReminderRun:
    due_soon: int  # nodes due soon with a department
    overdue: int
    notified: int  # notifications sent by this run


def _department_officers(department_ids: set[int]) -> dict[int, list[User]]:
    roles = [role for role, access in ACCESS.items() if "node.outcome_assigned" in access.may]
    officers: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(role__in=roles, is_active=True, organization_id__in=department_ids):
        officers[user.organization_id or 0].append(user)
    return officers


def _message(node: PlanNode, status: str) -> tuple[str, str]:
    names = {"project": node.project.name, "node": node.name, "date": node.planned_date.isoformat()}
    if status == NodeStatus.OVERDUE:
        return _("%(project)s「%(node)s」已逾期") % names, _(
            "计划完成时间为%(date)s，请尽快办理并填写实际完成时间。"
        ) % names
    return _("%(project)s「%(node)s」即将到期") % names, _("计划完成时间为%(date)s，请按期办理。") % names


def send_node_reminders(
    *, today: datetime.date | None = None, city_ids: Collection[int] | None = None
) -> NodeReminderRun:
    """Everything due on `today` (default: today), in every city or in `city_ids`."""
    today = today or timezone.localdate()
    settings = ScheduleSettings.book()
    counts = {NodeStatus.DUE_SOON: 0, NodeStatus.OVERDUE: 0}
    sent = 0
    assigned = PlanNode.objects.filter(department__isnull=False, actual_date__isnull=True)
    if city_ids is not None:
        assigned = assigned.filter(city_id__in=city_ids)
    cities = assigned.order_by("city_id").values_list("city_id", flat=True).distinct()
    for city_id in cities:
        clock = StatusClock.on(today, workdays=settings.of(city_id).due_soon_workdays)
        for status, kind in PHASES.items():
            nodes = list(
                assigned.filter(clock.q(status), city_id=city_id)
                .select_related("project")
                .order_by("planned_date", "id")
            )
            counts[status] += len(nodes)
            officers = _department_officers({n.department_id for n in nodes if n.department_id})
            for node in nodes:
                title, body = _message(node, status)
                url = reverse("schedule:node_edit", args=[node.pk])
                key = f"node:{node.pk}:{status}:{node.planned_date.isoformat()}"
                for user in officers.get(node.department_id or 0, []):
                    sent += (
                        notify(recipient=user, kind=kind, title=title, body=body, url=url, dedup_key=key)
                        is not None
                    )
    return NodeReminderRun(counts[NodeStatus.DUE_SOON], counts[NodeStatus.OVERDUE], sent)


@task()
def send_node_reminders_task(today: str | None = None) -> int:
    """The daily job for a task worker; answers how many notifications were sent."""
    day = datetime.date.fromisoformat(today) if today else None
    return send_node_reminders(today=day).notified
