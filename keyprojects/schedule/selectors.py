"""Reads of templates and plans, and the one rule for a node's status (done / overdue / due soon / on time)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import Organization, User
from keyprojects.accounts.selectors import city_scope
from keyprojects.core.conflicts import last_savers
from keyprojects.core.rows import Row, Rows, id_url, picked
from keyprojects.projects.models import Category, Project
from keyprojects.projects.permissions import joined_in_city, visible_under_projects
from keyprojects.projects.selectors import project_search_q

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
        return self.of(node.planned_date, node.actual_date)

    def of(self, planned: date, actual: date | None) -> NodeStatus:
        """The status of a node planned on `planned` and done on `actual` (None: open)."""
        if actual is not None:
            return NodeStatus.DONE
        if planned < self.today:
            return NodeStatus.OVERDUE
        if planned <= self.due_soon_until:
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


def node_savers(*, node: PlanNode, fields: Iterable[str]) -> dict[str, tuple[str, datetime]]:
    """Who last saved each of `fields` of the node, and when (`core.conflicts.offer`)."""
    return last_savers(
        node.events.filter(field__in=list(fields)).select_related("actor").order_by("-created_at", "-id")
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
    q: str | None = None,
) -> QuerySet[PlanNode]:
    """Plan nodes of the projects the user sees, most urgent first (overdue, then by planned date).

    `mine` keeps the nodes assigned to the user's own organisation: a department's queue; `q` is the
    search box (`project_search_q`).
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
    qs = qs.filter(project_search_q(q, field="project"))
    # open nodes first; a list of open nodes alone reads in the order of the index of the open nodes
    # (`open_nodes_by_city`)
    urgency = () if open_only else (Case(When(actual_date__isnull=True, then=Value(0)), default=Value(1)),)
    return qs.select_related("project", "project__region", "department").order_by(
        *urgency, "planned_date", "project_id", "order"
    )


@dataclass(frozen=True, slots=True)
class NodeRow:
    """A plan node as the lists show it (the queue page and the API): its own columns, its project's name
    and region, its department's names and its status."""

    id: int
    project_id: int
    project_name: str
    region_code: str
    region_name: str
    order: int
    code: str
    name: str
    planned_date: date
    actual_date: date | None
    status: NodeStatus
    department_id: int | None
    department_name: str | None
    department_short_name: str | None
    evidence_number: str
    evidence_url: str | None
    remarks: str
    version: int

    @property
    def pk(self) -> int:
        return self.id

    def api(self) -> Row:
        """The row as `PlanNodeOut` (the API) names its fields."""
        return Row(
            id=self.id,
            project=self.project_id,
            project_name=self.project_name,
            region=self.region_code,
            order=self.order,
            code=self.code,
            name=self.name,
            planned_date=self.planned_date,
            actual_date=self.actual_date,
            status=self.status,
            department=self.department_id,
            department_name=self.department_name,
            evidence_number=self.evidence_number,
            evidence_file=self.evidence_url,
            remarks=self.remarks,
            version=self.version,
        )


NODE_COLUMNS = (
    "id",
    "project_id",
    "project__name",
    "project__region__code",
    "project__region__name",
    "order",
    "code",
    "name",
    "planned_date",
    "actual_date",
    "department_id",
    "department__name",
    "department__short_name",
    "evidence_number",
    "evidence_file",
    "remarks",
    "version",
)


def node_rows(nodes: QuerySet[PlanNode], clock: StatusClock) -> list[NodeRow]:
    """The nodes (a page of `node_list`) as rows: the columns they show, in one query, and each one's status
    on `clock`."""
    evidence_url = id_url("schedule:evidence")
    return [
        NodeRow(
            id=pk,
            project_id=project_id,
            project_name=project_name,
            region_code=region_code,
            region_name=region_name,
            order=order,
            code=code,
            name=name,
            planned_date=planned,
            actual_date=actual,
            status=clock.of(planned, actual),
            department_id=department_id,
            department_name=department_name,
            department_short_name=department_short_name,
            evidence_number=evidence_number,
            evidence_url=evidence_url(pk) if evidence_file else None,
            remarks=remarks,
            version=version,
        )
        for (
            pk,
            project_id,
            project_name,
            region_code,
            region_name,
            order,
            code,
            name,
            planned,
            actual,
            department_id,
            department_name,
            department_short_name,
            evidence_number,
            evidence_file,
            remarks,
            version,
        ) in nodes.values_list(*NODE_COLUMNS)
    ]


def node_page_rows(nodes: QuerySet[PlanNode], *, user: User, clock: StatusClock) -> Rows[NodeRow]:
    """`node_list` or `department_queue` (of `user`, with their `clock`) read a page at a time as rows: the
    page's nodes picked in the order of their own index (`open_nodes_by_city`, `open_nodes_by_department`),
    then joined to their projects through the city key, each given its status on `clock`."""
    return Rows(nodes, lambda page: node_rows(joined_in_city(user, picked(page)), clock), counted=nodes)


def department_queue(
    *, user: User, department_id: int | None = None, clock: StatusClock | None = None, q: str | None = None
) -> QuerySet[PlanNode]:
    """Open nodes of a department across projects: a department officer's own, or, for the offices,
    those of the department they choose (every department when none is chosen)."""
    if may(user, "node.outcome_assigned"):
        return node_list(user=user, mine=True, open_only=True, clock=clock, q=q)
    return node_list(user=user, department_id=department_id, open_only=True, clock=clock, q=q)
