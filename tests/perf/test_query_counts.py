"""The list pages and list endpoints of the city office take as many queries for 30 projects as for 3:
each is pinned, so that a list cannot drift into a query per row (N+1)."""

import datetime
import json
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.adjustments.services import change_request_create
from keyprojects.alerts.services import warnings_refresh
from keyprojects.blockers.services import blocker_act, blocker_create
from keyprojects.chains.models import IndustrialChain
from keyprojects.core.tests.clock import noon
from keyprojects.leaders.models import TaskForce
from keyprojects.metrics.tests.helpers import include, list_project, report
from keyprojects.progress.models import MonthlyReport
from keyprojects.projects.models import Project
from keyprojects.schedule.models import NodeCode, PlanNode
from keyprojects.supervision.models import SupervisionNotice

D = datetime.date
TODAY = "2026-06-15"
FEW, MANY = 3, 30


def grow(city, count: int) -> None:
    """`count` more listed projects, each with its industrial chain, a plan node, an accepted and a
    submitted monthly report, a pending change request and (every other one) its statistics inclusion;
    then the warnings they raise."""
    chains = [
        IndustrialChain.objects.get_or_create(city=city.liaocheng, code=code, defaults={"name": name})[0]
        for code, name in (
            ("new-materials", "新材料"),
            ("biomedicine", "生物医药"),
            ("logistics", "现代物流"),
        )
    ]
    start = Project.objects.count()
    for i in range(start, start + count):
        county, enterprise, owner = (
            (city.guanxian, city.enterprise, city.owner)
            if i % 2
            else (city.gaotang, city.other_enterprise, city.other_owner)
        )
        project = list_project(
            name=f"重点项目{i}",
            region=county,
            owner=enterprise,
            chain=chains[i % len(chains)],
            actual_start=D(2026, 2, 1) if i % 2 else None,
            leader=city.leader,
        )
        task_force, _made = TaskForce.objects.get_or_create(
            name="重点项目工作专班", defaults={"lead_organization": city.department}
        )
        task_force.projects.add(project)
        task_force.members.add(city.county)
        PlanNode.objects.create(
            project=project,
            order=1,
            code=NodeCode.START,
            name="开工",
            planned_date=D(2026, 6, 1) + datetime.timedelta(days=i % 20),
            department=city.department,
        )
        report(
            project, D(2026, 4, 1), "300", by=owner, reviewed_on=D(2026, 5, 10)
        ).dispatch_round.projects.add(project)
        report(
            project, D(2026, 5, 1), "200", by=owner, reviewed_on=None, status=MonthlyReport.Status.SUBMITTED
        ).dispatch_round.projects.add(project)
        if i % 2:
            include(project, D(2026, 3, 1))
        change_request_create(
            user=owner,
            project_id=project.pk,
            changes={"annual_investment": Decimal("6000")},
            reason="用地延期",
        )
        blocker = blocker_create(
            user=owner, project_id=project.pk, category="land", description=f"用地问题{i}"
        )
        blocker_act(user=city.city_admin, blocker_id=blocker.pk, action="accept")
        blocker_act(
            user=city.city_admin, blocker_id=blocker.pk, action="assign", department_id=city.department.pk
        )
        SupervisionNotice.objects.create(
            source="blocker",
            blocker=blocker,
            project=project,
            receiver=city.guan_office if i % 2 else city.gao_office,
            origin=f"用地问题{i}",
            subject=f"请限期办结用地问题{i}",
            deadline=D(2026, 6, 1) + datetime.timedelta(days=i % 30),
            issued_by=city.city_admin,
            issued_on=D(2026, 5, 20),
        )
    warnings_refresh(today=D.fromisoformat(TODAY))


@dataclass(frozen=True)
class Route:
    path: str
    api: bool = False
    params: dict | None = None
    rows: bool = True  # the answer names every project (a list, not a summary)
    user: str = "city_admin"


# The number of queries each takes, whatever the number of rows.
PINNED: dict[str, tuple[Route, int]] = {
    # the city's dictionary: once for the category filter and the rows' labels (the API: the labels)
    "projects page": (Route("/projects/"), 8),
    "projects API": (Route("/projects", api=True), 4),
    "warnings page": (Route("/alerts/"), 5),
    "warnings API": (Route("/warnings", api=True), 3),
    "node queue page": (Route("/schedule/queue/"), 6),
    "node queue API": (Route("/plan-nodes", api=True), 4),
    "dispatch page": (Route("/progress/"), 10),
    "rounds page": (Route("/progress/rounds/", rows=False), 3),
    "rounds API": (Route("/rounds", api=True, rows=False), 3),
    "review queue page": (Route("/progress/review/", params={"scope": "all"}), 8),
    "review queue API": (Route("/reports", api=True, params={"status": "submitted"}), 3),
    "inclusion page": (Route("/statistics/"), 8),
    "inclusion API": (Route("/statistics", api=True), 4),
    "inclusion summary API": (Route("/statistics/summary", api=True, rows=False), 3),
    "change requests page": (Route("/adjustments/"), 3),
    "change requests API": (Route("/adjustments", api=True), 3),
    "blocker ledger page": (Route("/blockers/"), 7),
    "blocker ledger API": (Route("/blockers", api=True), 3),
    "department inbox page": (Route("/blockers/inbox/", user="department_officer"), 6),
    "supervision notices page": (Route("/supervision/"), 6),
    "supervision notices API": (Route("/supervision-notices", api=True), 3),
    "supervision inbox page": (Route("/supervision/inbox/", user="county", rows=False), 4),
    "rates page": (Route("/metrics/", rows=False), 9),  # the category filter reads the city's dictionary
    "rates API": (Route("/metrics", api=True, rows=False), 5),
    "rates by city page": (Route("/metrics/", rows=False, user="province_officer"), 9),
    "rates by city API": (Route("/metrics/cities", api=True, rows=False, user="province_officer"), 7),
    "leader page": (Route("/leaders/", user="leader"), 12),
    "leader API": (Route("/leaders/me", api=True, user="leader"), 11),
    "task forces page": (Route("/leaders/task-forces/", rows=False), 3),
    "task forces API": (Route("/task-forces", api=True, rows=False), 3),
    "task force page": (Route("/leaders/task-forces/{task_force}/"), 6),
    "task force API": (Route("/task-forces/{task_force}", api=True, rows=False), 5),
}


def _path(route: Route) -> str:
    if "{task_force}" not in route.path:
        return route.path
    return route.path.format(task_force=TaskForce.objects.values_list("pk", flat=True).first())


def answer(client, route: Route) -> tuple[int, str]:
    """The queries a request takes, and what it answers as text."""
    path = _path(route)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, route.params or {})
    assert response.status_code == 200
    text = json.dumps(response.json(), ensure_ascii=False) if route.api else response.content.decode()
    return len(captured), text


def count_queries(client, route: Route, last_project: str) -> int:
    count, text = answer(client, route)
    if route.rows:
        assert last_project in text  # every row is on the page
    return count


def client_of(city, route: Route):
    user = getattr(city, route.user)
    if route.api:
        return ApiClient(user)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def still(clock):
    """Today with the clock standing still: however long the rows take to build, no renewal of the
    session falls between the measured requests."""
    with time_machine.travel(noon(clock.today), tick=False):
        yield


@pytest.mark.today(TODAY)
@pytest.mark.usefixtures("still")
@pytest.mark.parametrize(("route", "pinned"), PINNED.values(), ids=PINNED.keys())
def test_a_list_takes_the_same_queries_for_30_projects_as_for_3(city, route, pinned):
    client = client_of(city, route)
    grow(city, FEW)
    client.get(_path(route), route.params or {})  # the first use of a token records when it was used
    few = count_queries(client, route, f"重点项目{FEW - 1}")
    grow(city, MANY - FEW)
    many = count_queries(client, route, f"重点项目{MANY - 1}")
    assert (few, many) == (pinned, pinned)


SEARCHED = (
    "projects page", "projects API", "warnings page", "warnings API", "node queue page", "node queue API",
    "review queue page", "review queue API", "inclusion page", "inclusion API", "blocker ledger page",
    "blocker ledger API", "supervision notices page", "supervision notices API",
)  # fmt: skip


@pytest.mark.today(TODAY)
@pytest.mark.usefixtures("still")
@pytest.mark.parametrize("name", SEARCHED)
def test_a_searched_list_keeps_the_rows_found_in_its_pinned_queries(city, name):
    """The search box (here the owner in traditional characters and the name's pinyin initials, in any
    order) keeps the rows of the projects it finds — 高唐's, whose owner is 高唐奥博生物 — in as many
    queries as the list takes without it."""
    route, pinned = PINNED[name]
    route = replace(route, params={**(route.params or {}), "q": "zdxm 奧博"})
    client = client_of(city, route)
    grow(city, FEW)
    client.get(_path(route), route.params)
    few, text = answer(client, route)
    assert "重点项目2" in text and "重点项目1" not in text
    grow(city, MANY - FEW)
    many, text = answer(client, route)
    assert f"重点项目{MANY - 2}" in text and f"重点项目{MANY - 1}" not in text
    assert (few, many) == (pinned, pinned)


@pytest.mark.usefixtures("clock")
@pytest.mark.parametrize(
    ("key", "pinned"), [(False, [17, 15]), (True, [21, 19])], ids=["plain", "idempotent"]
)
def test_a_monthly_report_submission_is_a_handful_of_queries(
    city, settings, django_capture_on_commit_callbacks, key, pinned
):
    """What an owner's submission costs on the report deadline: the request, with its committed events
    marking the project for the city's next warnings refresh (queued once, run apart): the token, the
    project locked through its access check, its rounds with the month's reports, its ledger, the report
    and its event, the report read back as the lists read it, then the project marked pending and whether its city has a refresh queued; with an
    Idempotency-Key also the key looked up and the answer kept, in a transaction around the service's. Then its
    audit records, appended together once it commits: the chain's head (the first also reads the archive anchor,
    the trail being empty) and one insert, in a transaction of their own, with on PostgreSQL the chain's advisory
    lock.
    Inside the test's transaction each atomic block is a savepoint (two statements); in production the
    outermost is BEGIN and COMMIT."""
    from keyprojects.progress.tests.report_helpers import api_payload, make_project, open_round, this_month

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    projects = [make_project(city) for _ in range(2)]
    open_round(city, projects)
    client = ApiClient(city.owner)
    client.get("/me")  # the first use of a token records when it was used
    counts = []
    for project in projects:
        headers = {"Idempotency-Key": f"deadline-{project.pk}"} if key else {}
        with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/projects/{project.pk}/reports", api_payload(this_month()), **headers)
        assert response.status_code == 201, response.json()
        counts.append(len(captured))
    lock = 1 if connection.vendor == "postgresql" else 0
    assert counts == [n + lock for n in pinned]  # the first of the city's changes also queues its refresh
