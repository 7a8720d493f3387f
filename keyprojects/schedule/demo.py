"""The demo city's node templates and plans: every project past the idea stage gets the plan of its
template, with the nodes it has passed done (at its real start and completion dates), some approvals
late, some due within days, and the departments of the templates assigned."""

import random
from collections import Counter
from datetime import date, timedelta

from keyprojects.core.events import PlanChanged, publish
from keyprojects.core.history import encode
from keyprojects.demo.steps import DemoContext
from keyprojects.projects.models import Category, Project, Stage

from .models import NodeCode, NodeEvent, NodeTemplate, PlanNode, TemplateNode
from .reminders import send_node_reminders
from .selectors import NodeStatus, StatusClock, template_kind
from .services import node_templates_seed, planned_dates
from .workdays import add_workdays, next_workday

SKIPPED_STAGES = {Stage.PLANNING, Stage.WITHDRAWN}
BUILDING = {Stage.NEW_START, Stage.UNDER_CONSTRUCTION}
PRODUCING = {Stage.IN_PRODUCTION, Stage.AT_CAPACITY}
FINISHED = {Stage.COMPLETED, *PRODUCING}
# Approval nodes that carry a document number once done, as the issuing offices write them.
EVIDENCE = {
    NodeCode.PROJECT_APPROVAL: "{abbr}审批投资〔{year}〕{n}号",
    NodeCode.LAND_PREAPPROVAL: "{abbr}自然资预〔{year}〕{n}号",
    NodeCode.LAND_SUPPLY: "鲁（{year}）{city}不动产权第{n:07d}号",
    NodeCode.LAND_PLANNING_PERMIT: "地字第{code}{year}{n:05d}号",
    NodeCode.WORKS_PLANNING_PERMIT: "建字第{code}{year}{n:05d}号",
    NodeCode.ENVIRONMENT: "{abbr}环审〔{year}〕{n}号",
    NodeCode.ENERGY: "{abbr}审批能审〔{year}〕{n}号",
    NodeCode.CONSTRUCTION_PERMIT: "{code}{year}{n:06d}0101",
}
# The steps a finished project, by stage, may still have ahead of it.
AHEAD_OF_FINISHED = {
    Stage.COMPLETED: frozenset({NodeCode.PRODUCTION, NodeCode.CAPACITY}),
    Stage.IN_PRODUCTION: frozenset({NodeCode.CAPACITY}),
}
BEFORE_START = {
    NodeCode.PROJECT_APPROVAL, NodeCode.LAND_PREAPPROVAL, NodeCode.LAND_SUPPLY, NodeCode.LAND_PLANNING_PERMIT,
    NodeCode.WORKS_PLANNING_PERMIT, NodeCode.ENVIRONMENT, NodeCode.ENERGY, NodeCode.CONSTRUCTION_PERMIT,
}  # fmt: skip


def _jitter(rng: random.Random, day: date, low: int, high: int) -> date:
    return day + timedelta(days=rng.randint(low, high))


def _actual(
    rng: random.Random, project: Project, node: TemplateNode, planned: date, today: date
) -> date | None:
    """When this node was done, consistent with the project's stage and dates (None: still open)."""
    start, end = project.actual_start, project.actual_end
    code = node.code
    if code in BEFORE_START:
        if start is not None:
            return min(_jitter(rng, planned, -20, 25), start)
        # Not started yet: most approvals already due are done, a few are late.
        return min(_jitter(rng, planned, -15, 20), today) if planned < today and rng.random() < 0.85 else None
    if code == NodeCode.START:
        return start
    if code == NodeCode.MAIN_WORKS_DONE:
        if start is None:
            return None
        if project.stage in FINISHED and end is not None:
            return max(min(_jitter(rng, end, -120, -30), end), start)
        return (
            max(min(_jitter(rng, planned, -10, 20), today), start)
            if planned < today and rng.random() < 0.6
            else None
        )
    if code == NodeCode.ACCEPTANCE:
        return end if project.stage in FINISHED else None
    if code == NodeCode.PRODUCTION and project.stage in PRODUCING and end is not None:
        return min(_jitter(rng, end, 15, 60), today)
    if code == NodeCode.CAPACITY and project.stage == Stage.AT_CAPACITY and end is not None:
        return min(_jitter(rng, end, 200, 400), today)
    return None


def _replan_after_completion(
    rng: random.Random, project: Project, nodes: list[TemplateNode], dates: list[date], today: date
) -> list[date]:
    """A finished project has the steps still ahead of it (投产, 达产) re-planned once it is complete,
    most of them still to come; a few stay late."""
    ahead = AHEAD_OF_FINISHED.get(Stage(project.stage), frozenset())
    planned = [day for node, day in zip(nodes, dates, strict=True) if node.code in ahead]
    if not planned or rng.random() < 0.2:
        return dates
    shift = max(min(planned), _jitter(rng, today, 20, 150)) - min(planned)
    return [
        next_workday(day + shift) if node.code in ahead else day
        for node, day in zip(nodes, dates, strict=True)
    ]


def _drop_plans_of_another_kind() -> None:
    """Demo plans made, untouched since, from the industrial template for a project of another category
    (as earlier versions of the demo did) are dropped, to be made again from the right template."""
    # read as ids first: nested as subqueries inside one DELETE, PostgreSQL may plan them (within the demo's own
    # transaction, its tables look empty to the planner) as loops over every row for every row
    mismatched = set(
        PlanNode.objects.filter(code__in=[NodeCode.PRODUCTION, NodeCode.CAPACITY])
        .exclude(project__category=Category.INDUSTRY)
        .values_list("project_id", flat=True)
    )
    if not mismatched:
        return
    edited = PlanNode.objects.filter(project_id__in=mismatched, updated_by__isnull=False)
    projects = mismatched - set(edited.values_list("project_id", flat=True))
    NodeEvent.objects.filter(project_id__in=projects).delete()
    PlanNode.objects.filter(project_id__in=projects).delete()


def load(ctx: DemoContext) -> None:
    node_templates_seed(city=ctx.tenant)
    _drop_plans_of_another_kind()
    rng = ctx.rng("schedule")
    today = ctx.today
    templates = {
        (t.approval_type, t.kind): (t, sorted(t.nodes.all(), key=lambda n: n.order))
        for t in NodeTemplate.objects.filter(city=ctx.tenant, is_active=True).prefetch_related("nodes")
    }
    planned_projects = set(PlanNode.objects.values_list("project_id", flat=True).distinct())
    serial = Counter[str]()
    nodes: list[PlanNode] = []
    events: list[NodeEvent] = []
    for project in ctx.projects:
        if project.stage in SKIPPED_STAGES or project.pk in planned_projects or project.planned_start is None:
            continue
        template, template_nodes = templates.get((project.approval_type, template_kind(project)), (None, []))
        if template is None or (
            project.planned_end is None and any(n.relative_to_end for n in template_nodes)
        ):
            continue
        dates = planned_dates(project, template_nodes)
        # Most projects building past their planned completion have had the completion nodes re-planned.
        end = project.planned_end
        if project.stage in BUILDING and end is not None and end < today and rng.random() < 0.9:
            shift = _jitter(rng, today, 60, 400) - end
            dates = [
                next_workday(day + shift) if node.relative_to_end else day
                for node, day in zip(template_nodes, dates, strict=True)
            ]
        dates = _replan_after_completion(rng, project, template_nodes, dates, today)
        # One preparation project in six has its next approval due within the coming working days.
        nudge = project.stage == Stage.PREPARATION and rng.random() < 1 / 6
        for node, planned in zip(template_nodes, dates, strict=True):
            actual = _actual(rng, project, node, planned, today)
            if nudge and actual is None and node.code in BEFORE_START:
                planned, nudge = add_workdays(today, rng.randint(0, 4)), False
            number = ""
            if actual is not None and node.code in EVIDENCE:
                serial[node.code] += 1
                number = EVIDENCE[NodeCode(node.code)].format(
                    abbr=ctx.place.abbr,
                    city=ctx.place.name,
                    code=ctx.place.code,
                    year=actual.year,
                    n=100 + serial[node.code],
                )
            nodes.append(
                PlanNode(
                    project=project,
                    order=node.order,
                    code=node.code,
                    name=node.name,
                    planned_date=planned,
                    actual_date=actual,
                    department_id=node.department_id,
                    evidence_number=number,
                )
            )
        events.append(
            NodeEvent(
                project=project,
                kind=NodeEvent.Kind.PLAN_CREATED,
                new=encode(template),
                actor=ctx.office_user,
            )
        )
    PlanNode.objects.bulk_create(nodes, batch_size=1000)
    for project_id, city_id in sorted({(node.project_id, node.city_id) for node in nodes}):
        publish(PlanChanged(project_id=project_id, city_id=city_id))  # past the save signal
    NodeEvent.objects.bulk_create(events, batch_size=1000)
    clock = StatusClock.on(today, city_id=ctx.tenant.pk)
    counts = Counter(clock.status(node) for node in nodes)
    ctx.report(
        "节点计划",
        f"{len(events)} 个项目新建计划，{len(nodes)} 个节点"
        f"（已完成 {counts[NodeStatus.DONE]}，逾期 {counts[NodeStatus.OVERDUE]}，临期 {counts[NodeStatus.DUE_SOON]}）",
    )
    reminders = send_node_reminders(today=today, city_ids=[ctx.tenant.pk])
    ctx.report("节点提醒", f"部门专员收到临期、逾期节点通知 {reminders.notified} 条")
