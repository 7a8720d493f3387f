"""Reads of templates and plans, and the one rule for a node's status (done / overdue / due soon / on time)."""

from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import Organization, User
from keyprojects.accounts.selectors import city_scope
from keyprojects.projects.models import Category, Project
from keyprojects.projects.permissions import visible_under_projects

from .events import PlanHistoryRow, plan_history_rows
from .models import NodeTemplate, PlanNode, ScheduleSettings, TemplateKind
from .workdays import add_workdays


class NodeStatus(models.TextChoices):
    DONE = "done", _("已完成")
    OVERDUE = "overdue", _("已逾期")
    DUE_SOON = "due_soon", _("临期")
    ON_TIME = "on_time", _("正常")


# The traffic light of each status (红黄绿灯); a done node has no light.
STATUS_COLORS = {
    NodeStatus.DONE: "",
    NodeStatus.OVERDUE: "red",
    NodeStatus.DUE_SOON: "yellow",
    NodeStatus.ON_TIME: "green",
}


@dataclass(frozen=True)
class StatusClock:
    """The status rule for one day: open nodes planned before `today` are overdue; those planned from
    `today` up to `due_soon_until` (N working days ahead) are due soon; later ones are on time.

    Computing the cutoff once lets pages, the API and the warnings classify many nodes, in Python or
    in one query, without recounting working days per node.
    """

    today: date
    due_soon_until: date

    @classmethod
    def on(
        cls, today: date | None = None, *, city_id: int | None = None, workdays: int | None = None
    ) -> "StatusClock":
        """The clock of a city (its due-soon window; the province's default for None)."""
        today = today or timezone.localdate()
        if workdays is None:
            workdays = ScheduleSettings.for_city(city_id).due_soon_workdays
        return cls(today=today, due_soon_until=add_workdays(today, workdays))

    def status(self, node: PlanNode) -> NodeStatus:
        if node.actual_date is not None:
            return NodeStatus.DONE
        if node.planned_date < self.today:
            return NodeStatus.OVERDUE
        if node.planned_date <= self.due_soon_until:
            return NodeStatus.DUE_SOON
        return NodeStatus.ON_TIME

    def q(self, status: str, prefix: str = "") -> Q:
        """The nodes with `status`, as a filter (`prefix` e.g. "plan_nodes__" from projects)."""
        open_ = Q(**{f"{prefix}actual_date__isnull": True})
        planned = f"{prefix}planned_date"
        conditions = {
            NodeStatus.DONE: ~open_,
            NodeStatus.OVERDUE: open_ & Q(**{f"{planned}__lt": self.today}),
            NodeStatus.DUE_SOON: open_
            & Q(**{f"{planned}__gte": self.today, f"{planned}__lte": self.due_soon_until}),
            NodeStatus.ON_TIME: open_ & Q(**{f"{planned}__gt": self.due_soon_until}),
        }
        return conditions[NodeStatus(status)]

    def annotate(self, queryset: QuerySet[PlanNode]) -> QuerySet[PlanNode]:
        """Each node with its `status` computed by the database."""
        return queryset.annotate(
            status=Case(
                *(When(self.q(status), then=Value(status.value)) for status in NodeStatus),
                output_field=models.CharField(),
            )
        )


def node_status(node: PlanNode, today: date | None = None) -> NodeStatus:
    """The status of one node; for many nodes, build one `StatusClock` and ask it."""
    return StatusClock.on(today, city_id=node.city_id).status(node)


def open_nodes(*, status: str, clock: StatusClock) -> QuerySet[PlanNode]:
    """Every node in `status` by `clock`, unscoped."""
    return PlanNode.objects.filter(clock.q(status))


def template_kind(project: Project) -> TemplateKind:
    """Industrial projects follow the industrial templates (with 投产 and 达产); every other category
    (infrastructure, social, urbanisation, ecology) builds something that is handed over, not produced,
    and follows the infrastructure ones."""
    if project.category == Category.INDUSTRY:
        return TemplateKind.INDUSTRIAL
    return TemplateKind.INFRASTRUCTURE


def template_for(project: Project) -> NodeTemplate | None:
    """The active template of the project's approval type and kind."""
    return NodeTemplate.objects.filter(
        city_id=project.city_id,
        approval_type=project.approval_type,
        kind=template_kind(project),
        is_active=True,
    ).first()


def template_list(user: User) -> QuerySet[NodeTemplate]:
    """The node templates of the user's city (of every city of its province, for the province office)."""
    return NodeTemplate.objects.filter(city_scope(user)).prefetch_related("nodes__department")


def project_plan(*, project: Project) -> list[PlanNode]:
    return list(project.plan_nodes.select_related("department").order_by("order", "id"))


def plan_history(*, project: Project, limit: int = 50) -> list[PlanHistoryRow]:
    """The plan's history, newest first, as text in the reader's language."""
    return plan_history_rows(
        project.node_events.select_related("actor", "node").order_by("-created_at", "-id")[:limit]
    )


def departments(city_id: int | None) -> QuerySet[Organization]:
    """The departments of one city."""
    return Organization.objects.filter(city_id=city_id, kind=Organization.Kind.DEPARTMENT).order_by("name")


def node_list(
    *,
    user: User,
    mine: bool = False,
    department_id: int | None = None,
    status: str | None = None,
    open_only: bool = False,
    clock: StatusClock | None = None,
) -> QuerySet[PlanNode]:
    """Plan nodes of the projects the user sees, most urgent first (overdue, then by planned date).

    `mine` keeps the nodes assigned to the user's own organisation: a department's queue.
    """
    clock = clock or StatusClock.on(city_id=user.city_id)
    qs = visible_under_projects(user, PlanNode.objects.all())
    if mine:
        qs = qs.filter(department_id=user.organization_id) if user.organization_id else qs.none()
    if department_id is not None:
        qs = qs.filter(department_id=department_id)
    if open_only:
        qs = qs.filter(actual_date__isnull=True)
    if status:
        qs = qs.filter(clock.q(status))
    # open nodes first; a list of open nodes alone reads in the order of the index on (city, actual date,
    # planned date)
    urgency = () if open_only else (Case(When(actual_date__isnull=True, then=Value(0)), default=Value(1)),)
    return (
        clock.annotate(qs)
        .select_related("project", "project__region", "department")
        .order_by(*urgency, "planned_date", "project_id", "order")
    )


def department_queue(
    *, user: User, department_id: int | None = None, clock: StatusClock | None = None
) -> QuerySet[PlanNode]:
    """Open nodes of a department across projects: a department officer's own, or, for the offices,
    those of the department they choose (every department when none is chosen)."""
    if may(user, "node.outcome_assigned"):
        return node_list(user=user, mine=True, open_only=True, clock=clock)
    return node_list(user=user, department_id=department_id, open_only=True, clock=clock)
