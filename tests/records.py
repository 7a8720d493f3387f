"""One of each record a city holds that a page or an endpoint reaches by id, for the tests that try
every role against every route (the access matrix, the isolation of cities)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

from keyprojects.accounts.models import Organization
from keyprojects.adjustments.services import change_request_create
from keyprojects.alerts.models import Color, ProjectWarning, Rule
from keyprojects.batches.models import Batch
from keyprojects.blockers.models import Decision, Meeting
from keyprojects.blockers.services import blocker_create
from keyprojects.core.history import encode
from keyprojects.factors.models import FactorAllocation, FactorDemand, FactorPool
from keyprojects.leaders.models import TaskForce
from keyprojects.metrics.tests.helpers import include, list_project, report
from keyprojects.schedule.models import NodeCode, NodeTemplate, PlanNode, TemplateNode
from keyprojects.supervision.models import SupervisionNotice

D = datetime.date


def tenant_records(*, city_region, county, enterprise, department, owner):
    """One of each record a city holds that a page or an endpoint reaches by id."""
    project = list_project(region=county, owner=enterprise, actual_start=D(2026, 2, 1))
    template = NodeTemplate.objects.create(
        city=city_region, name="备案类·产业类", approval_type="filing", kind="industrial"
    )
    TemplateNode.objects.create(
        template=template, order=1, code=NodeCode.START, name="开工", department=department
    )
    node = PlanNode.objects.create(
        project=project,
        order=1,
        code=NodeCode.START,
        name="开工",
        planned_date=D(2026, 3, 1),
        department=department,
    )
    monthly = report(project, D(2026, 2, 1), "300", by=owner, reviewed_on=D(2026, 3, 10))
    dispatch_round = monthly.dispatch_round
    dispatch_round.projects.add(project)
    include(project, D(2026, 3, 1))
    warning = ProjectWarning.objects.create(
        project=project,
        rule=Rule.START_DELAY,
        color=Color.RED,
        facts=encode({"planned_start": D(2026, 1, 1), "days": 90}),
        since=D(2026, 4, 1),
    )
    change = change_request_create(
        user=owner, project_id=project.pk, changes={"annual_investment": Decimal("6000")}, reason="用地延期"
    )
    city_pool = FactorPool.objects.create(region=city_region, year=2026, kind="land", supply=100, carved=50)
    pool = FactorPool.objects.create(
        region=county, year=2026, kind="land", parent=city_pool, supply=50, allocated=10
    )
    demand = FactorDemand.objects.create(
        project=project, kind="land", amount=40, allocated=10, needed_by=D(2026, 9, 1), created_by=owner
    )
    allocation = FactorAllocation.objects.create(
        pool=pool, project=project, demand=demand, amount=10, allocated_by=owner
    )
    blocker = blocker_create(
        user=owner, project_id=project.pk, category="land", description="土地组卷报批延后"
    )
    meeting = Meeting.objects.create(
        city=city_region, title="第一次协调调度会", held_on=D(2026, 3, 5), created_by=owner
    )
    decision = Decision.objects.create(
        meeting=meeting,
        blocker=blocker,
        text="3月底前完成组卷",
        department=department,
        deadline=D(2026, 3, 31),
    )
    notice = SupervisionNotice.objects.create(
        source="warning",
        warning=warning,
        project=project,
        receiver=Organization.objects.get(kind=Organization.Kind.COUNTY_OFFICE, region=county),
        origin="计划开工未开工",
        subject="请查明未开工原因并限期整改",
        deadline=D(2026, 4, 10),
        issued_by=owner,
        issued_on=D(2026, 4, 1),
    )
    task_force = TaskForce.objects.create(name="冠州国际陆港工作专班", lead_organization=department)
    task_force.projects.add(project)
    batch = Batch.objects.create(
        city=city_region, kind="start", name="秋季重点项目集中开工", held_on=D(2026, 9, 26)
    )
    batch.projects.add(project)
    return SimpleNamespace(
        project=project,
        batch=batch,
        task_force=task_force,
        member=owner,
        template=template,
        node=node,
        report=monthly,
        round=dispatch_round,
        change=change,
        pool=pool,
        demand=demand,
        allocation=allocation,
        blocker=blocker,
        meeting=meeting,
        decision=decision,
        warning=warning,
        notice=notice,
    )
