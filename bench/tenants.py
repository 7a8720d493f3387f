"""A city's pages with one city on the install, then with sixteen: a city's figures must not grow with the
other cities' data.

First the demo province with 聊城 alone, with N generated projects (6,250 by default), their monthly reports,
their plans, this month's reports awaiting review and their warnings; as the city office (`city`) it times the
project list, the rates, the warnings, the node queue and the review queue (pages and API) and a project page.
Then it adds 15 more Shandong cities with N projects each (16 × 6,250 = 100,000), times the same requests for the
same city office again, and prints each as a ratio (16 cities ÷ 1 city; the goal is at most 1.2) and, at sixteen
cities, against its two floors timed in the same turns: the best SQL for the same result, written by hand, and
the stack's floor (the goal: at most 2 × floor + 1.5 × SQL). Last, as the province office (`province`), it times
the rates by city (the selector and the page that compare the cities) against one hand-written SQL aggregate of
the same figures, after checking that both give the same numbers for every city.

    .venv/bin/python bench/tenants.py [--per-city 6250] [--cities 16] [--months 12] [--runs 3] [--rounds 3]
                                      [--keep FILE | --reuse FILE]
"""

import argparse
import datetime
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rates import AS_OF, YEAR, generate, rates_params, rates_sql, six_figures, six_figures_of_row
from runner import (
    analyze,
    database,
    database_copy,
    drop_database_copy,
    machine,
    median_ms,
    throwaway_database,
    timings_ms,
    use_database,
    write_results,
)

# The other cities of the province, with their GB/T 2260 codes (德州 is the demo's second city).
CITIES = [
    ("370100", "济南市"),
    ("370200", "青岛市"),
    ("370300", "淄博市"),
    ("370400", "枣庄市"),
    ("370500", "东营市"),
    ("370600", "烟台市"),
    ("370700", "潍坊市"),
    ("370800", "济宁市"),
    ("370900", "泰安市"),
    ("371000", "威海市"),
    ("371100", "日照市"),
    ("371300", "临沂市"),
    ("371400", "德州市"),
    ("371600", "滨州市"),
    ("371700", "菏泽市"),
]
RATES_QUERY = f"as_of={AS_OF.isoformat()}&year={YEAR}&start_basis=list&time_basis=day"
# The warnings are those of the list year as its last month stood (the generated projects are on a list
# that is over); the node queue and the review queue are today's.
WARNINGS_ON = datetime.date(YEAR, 12, 15)
REVIEW_SHARE = 0.4  # the projects whose report of this month is submitted and not yet reviewed
ON_BEHALF_SHARE = 0.25  # of those reports, the ones a county filled on the owner's behalf
PAGE = 50

# The stack's own floor, measured in the same turns: a signed-in page of the same layout with nothing to
# show (the notifications of a user who has none) and a signed-in API endpoint with nothing to compute.
PAGE_FLOOR = "stack floor: empty page `GET /notifications/`"
API_FLOOR = "stack floor: API `GET /api/v1/me`"


@dataclass(frozen=True)
class Request:
    """A request of the city office, and the name of the best SQL for the same result (if it has one)."""

    url: str
    sql: str | None = None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--per-city", type=int, default=6_250, help="projects per city")
    parser.add_argument("--cities", type=int, default=16, help="cities in the second measurement")
    parser.add_argument("--months", type=int, default=12, help="monthly reports per project")
    parser.add_argument("--runs", type=int, default=3, help="runs of each request per turn")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each database")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the built database (SQLite: moved to this file; PostgreSQL: not dropped)",
    )
    parser.add_argument(
        "--reuse",
        help=(
            "time the cities of a database kept by --keep (SQLite: its file; PostgreSQL: its name), migrated "
            "first, rather than building them again; the city alone is built afresh"
        ),
    )
    args = parser.parse_args()
    if args.keep and args.reuse:
        parser.error("--keep and --reuse exclude each other")
    name = "keyprojects_bench_tenants" if args.reuse is None else "keyprojects_bench_tenants_alone"
    if args.reuse == name:
        parser.error(f"--reuse {name}: the throwaway database has that name; rename the kept one")
    with throwaway_database(name, keep=args.keep):
        result = run(
            per_city=args.per_city,
            cities=args.cities,
            months=args.months,
            runs=args.runs,
            rounds=args.rounds,
            reuse=args.reuse,
        )
        report(result)


def demo_city(code: str, name: str) -> Any:
    """A generated city for the demo's loader: three districts and counties, a city office, six
    enterprises with an owner account each."""
    from keyprojects.accounts.models import Region
    from keyprojects.demo.city import DEZHOU, County, DemoCity

    if code == DEZHOU.code:
        return DEZHOU
    prefix, short = code[:4], name.removesuffix("市")
    kinds = (
        (Region.Kind.DISTRICT, "02", "一区"),
        (Region.Kind.DISTRICT, "03", "二区"),
        (Region.Kind.COUNTY, "21", "县"),
    )
    counties = [
        County(f"{prefix}{n}", f"{short}{label}", f"{short}{label}", kind, f"county-{prefix}{n}", 36.5, 117.0)
        for kind, n, label in kinds
    ]
    return DemoCity(
        code=code,
        name=name,
        seed=f"bench:{code}",
        counties=counties,
        office=(f"{name}发展和改革委员会重点项目办公室", f"{name}发改委重点项目办"),
        office_username=f"city-{code}",
        leader_username=None,
        departments=[
            (None, f"{name}自然资源和规划局", f"{short}自然资源"),
            (None, f"{name}行政审批服务局", f"{short}审批"),
            (None, f"{name}住房和城乡建设局", f"{short}住建"),
        ],
        enterprises=[
            (f"e{i}", f"{short}基准{i}号实业有限公司", f"{short}基准{i}号", counties[i % len(counties)].code)
            for i in range(6)
        ],
        owner_prefix=f"owner-{prefix}-",
        county_share={county.code: 1 for county in counties},
        abbr=short[0],
    )


def build(place: Any, *, per_city: int, months: int, today: datetime.date) -> Any:
    """The city's regions, organisations and accounts (the demo's loader), then its projects and reports,
    their plans, this month's reports awaiting review and the warnings; the context it was built with."""
    from keyprojects.alerts.services import warnings_refresh
    from keyprojects.demo import city
    from keyprojects.demo.steps import DemoContext
    from keyprojects.projects.models import Project

    ctx = DemoContext(today=today, password="Bench-pass-1", place=place)
    city.load(ctx)
    rng = random.Random(ctx.place.seed)
    generate(per_city, city=ctx.tenant, user=ctx.office_user, rng=rng, months=months)
    projects = list(
        Project.objects.filter(city=ctx.tenant).values_list("pk", "owner_id", "planned_start", "actual_start")
    )
    plans(ctx.tenant, projects, rng=rng, today=today)
    awaiting_review(ctx.tenant, projects, rng=rng, today=today)
    warnings_refresh(today=WARNINGS_ON, project_ids=[pk for pk, *_rest in projects])
    return ctx


# Each project's plan: the node, its department's place in the city's departments (None: the owner's
# own), and its planned date in days from the planned start.
PLAN = (
    ("project_approval", "立项(审批/核准/备案)", 1, -120),
    ("land_supply", "土地供应", 0, -60),
    ("construction_permit", "施工许可", 2, -20),
    ("start", "开工", None, 0),
    ("acceptance", "竣工验收", 2, 540),
)


def plans(city: Any, projects: list[tuple], *, rng: random.Random, today: datetime.date) -> None:
    """Five plan nodes per project: those before the start done on time or a little late, most of them, the
    start done when the project started, the acceptance a year and a half later (still open; some overdue,
    some due within days)."""
    from keyprojects.accounts.models import Organization
    from keyprojects.schedule.models import PlanNode

    departments = list(
        Organization.objects.filter(city=city, kind=Organization.Kind.DEPARTMENT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    nodes = []
    for pk, _owner, planned_start, actual_start in projects:
        for order, (code, name, department, offset) in enumerate(PLAN, start=1):
            planned = planned_start + datetime.timedelta(days=offset)
            if code == "start":
                actual = actual_start
            elif planned < today and rng.random() < 0.85:
                actual = planned + datetime.timedelta(days=rng.randint(-10, 30))
            else:
                actual = None
            nodes.append(
                PlanNode(
                    project_id=pk,
                    order=order,
                    code=code,
                    name=name,
                    planned_date=planned,
                    actual_date=actual,
                    department_id=departments[department % len(departments)]
                    if department is not None and departments
                    else None,
                )
            )
    PlanNode.objects.bulk_create(nodes, batch_size=2000)


def awaiting_review(city: Any, projects: list[tuple], *, rng: random.Random, today: datetime.date) -> None:
    """This month's dispatch round with every project of the city, and the reports of `REVIEW_SHARE` of
    them, submitted by their owners this month and not yet reviewed, each with its submission event."""
    from django.utils import timezone

    from keyprojects.accounts.models import Organization, User
    from keyprojects.progress.events import event_figures
    from keyprojects.progress.models import DispatchRound, MonthlyReport, ReportEvent

    month = today.replace(day=1)
    this_round, _made = DispatchRound.objects.get_or_create(
        city=city,
        year=month.year,
        month=month.month,
        defaults={
            "title": f"{month.year}年第{month.month}期",
            "opens_on": month,
            "closes_on": month.replace(day=10),
        },
    )
    DispatchRound.projects.through.objects.bulk_create(
        [
            DispatchRound.projects.through(dispatchround_id=this_round.pk, project_id=pk)
            for pk, *_rest in projects
        ],
        batch_size=2000,
    )
    owner_user = dict(
        User.objects.filter(organization__city=city, organization__kind=Organization.Kind.ENTERPRISE)
        .order_by("-pk")
        .values_list("organization_id", "pk")
    )
    start = timezone.make_aware(datetime.datetime.combine(month, datetime.time(8)))
    seconds = max(int((timezone.now() - start).total_seconds()), 1)
    reports = []
    for pk, owner, _planned, _actual in projects:
        if rng.random() >= REVIEW_SHARE:
            continue
        amount = Decimal(rng.randint(0, 5000))
        # what a county filled for an owner waits for the city office (its review queue), the rest for the county
        reports.append(
            MonthlyReport(
                project_id=pk,
                dispatch_round=this_round,
                month=month,
                status=MonthlyReport.Status.SUBMITTED,
                construction=amount,
                total=amount,
                progress_text="主体结构施工，完成形象进度计划",
                workers=rng.randint(20, 400),
                filled_on_behalf=rng.random() < ON_BEHALF_SHARE,
                submitted_by_id=owner_user[owner],
                submitted_at=start + datetime.timedelta(seconds=rng.randint(0, seconds)),
            )
        )
    MonthlyReport.objects.bulk_create(reports, batch_size=2000)
    created_at = ReportEvent._meta.get_field("created_at")
    created_at.auto_now_add = False  # type: ignore[attr-defined]  # dated history, not stamped now
    try:
        ReportEvent.objects.bulk_create(
            [
                ReportEvent(
                    report=r,
                    kind=ReportEvent.Kind.SUBMITTED,
                    figures=event_figures(r, ReportEvent.Kind.SUBMITTED),
                    actor_id=r.submitted_by_id,
                    created_at=r.submitted_at,
                )
                for r in reports
            ],
            batch_size=2000,
        )
    finally:
        created_at.auto_now_add = True  # type: ignore[attr-defined]


class BestSql:
    """The best SQL for each list of the city office, written by hand for the indexes it deserves: the first
    page's rows read in order from an index that starts with the city, their counts from the same index.
    Each answers the first page's ids and the count, to check that it gives what the API gives."""

    def __init__(self, *, city_id: int, user_id: int, today: datetime.date) -> None:
        from keyprojects.accounts.models import Organization, Region, User
        from keyprojects.alerts.models import ProjectWarning
        from keyprojects.progress.models import (
            DispatchRound,
            FigureInForce,
            MonthlyReport,
            ProjectBaseline,
            ReportEvent,
        )
        from keyprojects.projects.models import Project
        from keyprojects.schedule.models import PlanNode

        self.city_id, self.user_id, self.today = city_id, user_id, today
        self.t = {
            name: model._meta.db_table
            for name, model in {
                "project": Project,
                "region": Region,
                "org": Organization,
                "warning": ProjectWarning,
                "node": PlanNode,
                "report": MonthlyReport,
                "round": DispatchRound,
                "event": ReportEvent,
                "figure": FigureInForce,
                "baseline": ProjectBaseline,
                "user": User,
            }.items()
        }

    def _fetch(self, sql: str, params: dict) -> list[tuple]:
        from django.db import connection

        year_start = (
            "strftime('%%Y-01-01', m.month)"
            if connection.vendor == "sqlite"
            else "date_trunc('year', m.month)"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql.format(**self.t, year_start=year_start), {"city": self.city_id, **params})
            return cursor.fetchall()

    def warnings(self) -> tuple[list[int], int]:
        """The active warnings, red first, by county, oldest first; how many of each colour."""
        rows = self._fetch(
            """
            SELECT w.id, w.project_id, p.name, r.code, r.name, w.rule, w.color, w.facts, w.since
              FROM {warning} w JOIN {project} p ON p.id = w.project_id AND p.city_id = %(city)s
                   JOIN {region} r ON r.id = p.region_id
             WHERE w.city_id = %(city)s AND w.is_active = %(active)s
             ORDER BY CASE w.color WHEN 'red' THEN 0 WHEN 'yellow' THEN 1 ELSE 2 END, r.sort_order, w.since,
                      w.project_id, w.rule, w.subject
             LIMIT %(page)s""",
            {"active": True, "page": PAGE},
        )
        counts = self._fetch(
            "SELECT w.color, COUNT(*) FROM {warning} w WHERE w.city_id = %(city)s AND w.is_active = %(active)s "
            "GROUP BY w.color",
            {"active": True},
        )
        return [row[0] for row in rows], sum(n for _color, n in counts)

    def node_queue(self) -> tuple[list[int], int]:
        """The open plan nodes, by planned date, with their project, county and department; how many."""
        rows = self._fetch(
            """
            SELECT n.id, n.project_id, n.name, n.code, n.planned_date, p.name, r.code, r.name, d.name,
                   d.short_name
              FROM {node} n JOIN {project} p ON p.id = n.project_id JOIN {region} r ON r.id = p.region_id
                   LEFT JOIN {org} d ON d.id = n.department_id
             WHERE n.city_id = %(city)s AND n.actual_date IS NULL
             ORDER BY n.planned_date, n.project_id, n."order"
             LIMIT %(page)s""",
            {"page": PAGE},
        )
        (count,) = self._fetch(
            "SELECT COUNT(*) FROM {node} n WHERE n.city_id = %(city)s AND n.actual_date IS NULL", {}
        )
        return [row[0] for row in rows], count[0]

    def _reports(self, where: str, order: str) -> tuple[list[int], int]:
        """The reports awaiting review of the first page, with their project, county and round, and each
        project's year to date in force before the month; how many there are."""
        rows = self._fetch(
            f"""
            SELECT m.id, m.project_id, m.month, m.total, m.version, m.progress_text, m.submitted_at, p.name,
                   r.name, o.closes_on
              FROM {{report}} m JOIN {{project}} p ON p.id = m.project_id AND p.city_id = %(city)s
                   JOIN {{region}} r ON r.id = p.region_id JOIN {{round}} o ON o.id = m.dispatch_round_id
             WHERE {where}
             ORDER BY {order}
             LIMIT %(page)s""",
            {"page": PAGE, "status": "submitted", "user": self.user_id, "current": True},
        )
        month = self.today.replace(day=1)
        self._fetch(
            f"""
            SELECT f.project_id, SUM(f.total) FROM {{figure}} f
             WHERE f.city_id = %(city)s AND f.project_id IN ({", ".join(str(row[1]) for row in rows) or "NULL"})
               AND f.in_force_until IS NULL AND f.month >= %(first)s AND f.month < %(month)s
             GROUP BY f.project_id""",
            {"first": month.replace(month=1), "month": month},
        )
        (count,) = self._fetch(
            f"SELECT COUNT(*) FROM {{report}} m WHERE {where}",
            {"status": "submitted", "user": self.user_id, "current": True},
        )
        return [row[0] for row in rows], count[0]

    def review_queue(self) -> tuple[list[int], int]:
        """The review queue's page: the current submitted reports waiting for the city office (filled by a
        county on an owner's behalf, or of the city's own projects) that the user did not write, oldest first."""
        return self._reports(
            """m.city_id = %(city)s AND m.status = %(status)s AND m.is_current = %(current)s
               AND (m.filled_on_behalf OR m.project_id IN (SELECT c.id FROM {project} c
                                                           WHERE c.city_id = %(city)s AND c.region_id = c.city_id))
               AND m.submitted_by_id <> %(user)s
               AND NOT EXISTS (SELECT 1 FROM {event} e WHERE e.report_id = m.id AND e.actor_id = %(user)s
                                  AND e.kind IN ('submitted', 'resubmitted', 'corrected'))""",
            "m.submitted_at, m.id",
        )

    def submitted_reports(self) -> tuple[list[int], int]:
        """`GET /api/v1/reports?status=submitted`: the submitted reports, newest month first, with what the
        API sends of each — its project, round and people, and the sums behind its figures (the project's
        figures in force this year and since its start before the month, its baseline) and its revision (its
        events) —, the page chosen first from the index on (city, status, month, project, version); how many."""
        where = "m.city_id = %(city)s AND m.status = %(status)s"
        rows = self._fetch(
            f"""
            WITH page AS (
                SELECT m.* FROM {{report}} m WHERE {where}
                 ORDER BY m.month DESC, m.project_id, m.version DESC LIMIT %(page)s)
            SELECT m.*, p.name, p.annual_investment, o.title, o.closes_on, s.full_name, s.username,
                   v.full_name, v.username,
                   (SELECT SUM(f.total) FROM {{figure}} f
                     WHERE f.project_id = m.project_id AND f.in_force_until IS NULL
                       AND f.month >= {{year_start}} AND f.month < m.month),
                   (SELECT SUM(f.total) FROM {{figure}} f
                     WHERE f.project_id = m.project_id AND f.in_force_until IS NULL AND f.month < m.month
                       AND NOT EXISTS (SELECT 1 FROM {{baseline}} b
                                        WHERE b.project_id = f.project_id AND b.as_of >= f.month)),
                   (SELECT b.completed_before FROM {{baseline}} b WHERE b.project_id = m.project_id),
                   (SELECT COUNT(*) FROM {{event}} e WHERE e.report_id = m.id)
              FROM page m JOIN {{project}} p ON p.id = m.project_id
                   JOIN {{round}} o ON o.id = m.dispatch_round_id
                   JOIN {{user}} s ON s.id = m.submitted_by_id LEFT JOIN {{user}} v ON v.id = m.reviewed_by_id
             ORDER BY m.month DESC, m.project_id, m.version DESC""",
            {"page": PAGE, "status": "submitted"},
        )
        (count,) = self._fetch(f"SELECT COUNT(*) FROM {{report}} m WHERE {where}", {"status": "submitted"})
        return [row[0] for row in rows], count[0]

    def rates(self, group: str | None) -> list[tuple]:
        """The city's rates in one statement (`rates.rates_sql`), per county or in one row."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(rates_sql(group=group, city_id=self.city_id), rates_params(self.city_id))
            return cursor.fetchall()


def best_sqls(best: BestSql) -> dict[str, Callable[[], object]]:
    return {
        "best SQL: warnings": best.warnings,
        "best SQL: node queue": best.node_queue,
        "best SQL: review queue": best.review_queue,
        "best SQL: submitted reports": best.submitted_reports,
        "best SQL: rates by county": lambda: best.rates("region_id"),
        "best SQL: the city's rates": lambda: best.rates(None),
    }


def requests_of(project_id: int) -> dict[str, Request]:
    """What the city office asks for, by name, with the best SQL of each list."""
    return {
        "project list `GET /projects/`": Request("/projects/"),
        "rates page `GET /metrics/`": Request(f"/metrics/?{RATES_QUERY}", "best SQL: rates by county"),
        "rates API `GET /api/v1/metrics`": Request(
            f"/api/v1/metrics?{RATES_QUERY}", "best SQL: the city's rates"
        ),
        "warnings page `GET /alerts/`": Request("/alerts/", "best SQL: warnings"),
        "warnings API `GET /api/v1/warnings`": Request(
            f"/api/v1/warnings?limit={PAGE}", "best SQL: warnings"
        ),
        "node queue page `GET /schedule/queue/`": Request("/schedule/queue/", "best SQL: node queue"),
        "node queue API `GET /api/v1/plan-nodes?open=true`": Request(
            f"/api/v1/plan-nodes?open=true&limit={PAGE}", "best SQL: node queue"
        ),
        "review queue page `GET /progress/review/`": Request("/progress/review/", "best SQL: review queue"),
        "review queue API `GET /api/v1/reports?status=submitted`": Request(
            f"/api/v1/reports?status=submitted&limit={PAGE}", "best SQL: submitted reports"
        ),
        "project page `GET /projects/<id>/`": Request(f"/projects/{project_id}/"),
        PAGE_FLOOR: Request("/notifications/"),
        API_FLOOR: Request("/api/v1/me"),
    }


def check_same(client: Any, best: BestSql, headers: dict[str, str]) -> None:
    """The API's first page and count are those of the best SQL, and the city's rates its figures."""
    from keyprojects.accounts.models import User
    from keyprojects.metrics.selectors import MetricsQuery, metrics
    from keyprojects.projects.selectors import ProjectFilters

    for url, sql in (
        (f"/api/v1/warnings?limit={PAGE}", best.warnings),
        (f"/api/v1/plan-nodes?open=true&limit={PAGE}", best.node_queue),
        (f"/api/v1/reports?status=submitted&limit={PAGE}", best.submitted_reports),
    ):
        answer = json.loads(client.get(url, headers=headers).content)
        mine = ([item["id"] for item in answer["items"]], answer["count"])
        if mine != sql():
            raise SystemExit(f"{url} and its best SQL disagree:\n{mine}\n{sql()}")
    query = MetricsQuery.build(
        as_of=AS_OF, filters=ProjectFilters(year=YEAR), start_basis="list", time_basis="day"
    )
    selector = six_figures(metrics(user=User.objects.get(pk=best.user_id), query=query))
    (row,) = best.rates(None)
    if selector != six_figures_of_row(row):
        raise SystemExit(f"the city's rates and their SQL disagree: {selector} {best.rates(None)}")


def by_city_sql() -> str:
    """The province's figures per city in one statement, written by hand: the counts of `rates.rates_sql`
    grouped by city without the per-project sums, joined to the year's figures in force on the date summed
    per city in one scan (across every city's projects, faster than summing them project by project)."""
    from keyprojects.progress.models import FigureInForce
    from keyprojects.projects.models import Project

    project, figure = (m._meta.db_table for m in (Project, FigureInForce))
    return f"""
        WITH counts AS ({rates_sql(group="city_id", per_project=False)}),
        done AS (
            SELECT f.city_id, SUM(f.total) AS total
              FROM {figure} f
              JOIN {project} p ON p.id = f.project_id
             WHERE p.year = %(year)s AND p.pipeline = 'scheduled' AND p.stage <> 'withdrawn'
               AND f.month >= %(first)s AND f.month <= %(last)s
               AND f.in_force_from <= %(as_of)s
               AND (f.in_force_until IS NULL OR f.in_force_until > %(as_of)s)
             GROUP BY f.city_id)
        SELECT counts.*, COALESCE(done.total, 0) FROM counts LEFT JOIN done ON done.city_id = counts.city_id
    """


def measure(
    client: Any,
    requests: dict[str, Request],
    sqls: dict[str, Callable[[], object]],
    databases: dict[str, str],
    runs: int,
    rounds: int,
    user: Any = None,
    **headers: str,
) -> dict[str, dict[str, dict]]:
    """Each request's and each best SQL's median time, and each request's number of queries (which must not
    change with the other cities), on each database. The databases take turns, `rounds` times, each with a
    warm-up and `runs` runs of everything, so that the load of a shared machine falls on both alike. The
    client signs `user` in afresh on each database as it takes its turn (untimed): a build that outlasts the
    30-minute idle timeout has ended the session it started with."""
    from django.db import connection

    def use(name_of_db: str) -> None:
        use_database(name_of_db)
        if user is not None:  # as this database holds it (a kept database has its own password hash)
            client.force_login(type(user).objects.get(pk=user.pk))

    def get(url: str) -> None:
        response = client.get(url, headers=headers if url.startswith("/api/") else {})
        assert response.status_code == 200, (url, response.status_code)

    calls = {name: (lambda url=request.url: get(url)) for name, request in requests.items()} | sqls
    times: dict[str, dict[str, list[float]]] = {db: {name: [] for name in calls} for db in databases}
    for turn in range(rounds):
        order = list(databases) if turn % 2 == 0 else list(reversed(databases))
        for db in order:
            use(databases[db])
            for name, call in calls.items():
                times[db][name] += timings_ms(call, runs)
    figures: dict[str, dict[str, dict]] = {}
    for db, name_of_db in databases.items():
        use(name_of_db)
        figures[db] = {
            name: {"ms": statistics.median(times[db][name]), "fastest_ms": min(times[db][name])}
            for name in calls
        }
        for name, request in requests.items():
            queries: list[str] = []

            def count(execute: Any, sql: str, *args: Any, queries: list[str] = queries) -> Any:
                queries.append(sql)
                return execute(sql, *args)

            with connection.execute_wrapper(count):  # once more, warm (a token's last use is already noted)
                get(request.url)
            figures[db][name] |= {"url": request.url, "sql": request.sql, "queries": len(queries)}
    return figures


def run(*, per_city: int, cities: int, months: int, runs: int, rounds: int, reuse: str | None = None) -> dict:
    """With `reuse`, the cities are those of that kept database and the city alone is the throwaway one."""
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from keyprojects.accounts.models import ApiToken, Region, User
    from keyprojects.alerts.models import ProjectWarning
    from keyprojects.demo.city import LIAOCHENG
    from keyprojects.metrics.selectors import MetricsQuery, metrics_by_city
    from keyprojects.progress.models import MonthlyReport
    from keyprojects.projects.models import Project
    from keyprojects.projects.selectors import ProjectFilters
    from keyprojects.schedule.models import PlanNode

    today = timezone.localdate()

    def sizes() -> dict[str, int]:
        return {
            "projects": Project.objects.count(),
            "reports": MonthlyReport.objects.count(),
            "plan_nodes": PlanNode.objects.count(),
            "warnings": ProjectWarning.objects.filter(is_active=True).count(),
            "awaiting_review": MonthlyReport.objects.filter(status=MonthlyReport.Status.SUBMITTED).count(),
        }

    def timed_build(places: list, label: str) -> float:
        started = time.perf_counter()
        for place in places:
            build(place, per_city=per_city, months=months, today=today)
        analyze()
        took = time.perf_counter() - started
        print(f"{label}: {sizes()} built in {took:.0f} s", file=sys.stderr)
        return took

    build_s = [timed_build([LIAOCHENG], "1 city")]
    liaocheng = Region.objects.get(code=LIAOCHENG.code)
    office = User.objects.get(username=LIAOCHENG.office_username)
    client = Client()
    client.force_login(office)
    token, raw = ApiToken.issue(user=office, name="bench")
    project = Project.objects.filter(city=liaocheng).order_by("id").first()
    assert project is not None
    requests = requests_of(project.pk)
    auth = {"authorization": f"Bearer {raw}"}
    best = BestSql(city_id=liaocheng.pk, user_id=office.pk, today=today)
    check_same(client, best, auth)
    one_city = sizes()
    home_db = connection.settings_dict["NAME"]
    if reuse is None:
        # The city alone is kept as a copy (with the session and the token), so that both are timed in turns.
        main_db, alone_db = home_db, database_copy("one_city")
        others = [demo_city(code, name) for code, name in CITIES[: cities - 1]]
        build_s.append(timed_build(others, f"{cities} cities"))
    else:
        main_db, alone_db = reuse, home_db
        build_s.append(0.0)
        reuse_kept(main_db, token=token, office=office, project=project)
    check_same(client, best, auth)
    many_cities = sizes()
    cities = Project.objects.order_by().values("city_id").distinct().count()
    try:
        timed = measure(
            client,
            requests,
            best_sqls(best),
            {"alone": alone_db, "together": main_db},
            runs,
            rounds,
            user=office,
            **auth,
        )
    finally:
        use_database(main_db)
        if reuse is None:
            drop_database_copy(alone_db)
    alone, together = timed["alone"], timed["together"]

    # The province office's comparison of cities, against one hand-written aggregate.
    province = User.objects.get(username="province")
    query = MetricsQuery.build(
        as_of=AS_OF, filters=ProjectFilters(year=YEAR), start_basis="list", time_basis="day"
    )
    sql, params = by_city_sql(), rates_params(None)
    code_of = dict(Region.objects.filter(kind=Region.Kind.CITY).values_list("pk", "code"))

    def selector() -> dict[str, tuple]:
        table = metrics_by_city(user=province, query=query)
        return {row.region.code: six_figures(row.metrics) for row in table.rows}

    def plain_sql() -> dict[str, tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return {code_of[key]: six_figures_of_row(figures) for key, *figures in rows}

    mine, theirs = selector(), plain_sql()
    if mine != theirs or len(mine) != cities:
        raise SystemExit(f"the selector and the SQL disagree:\n{mine}\n{theirs}")
    province_client = Client()
    province_client.force_login(province)
    province_requests = {"page": Request(f"/metrics/?{RATES_QUERY}"), PAGE_FLOOR: Request("/notifications/")}
    province_pages = measure(province_client, province_requests, {}, {"together": main_db}, runs, rounds)[
        "together"
    ]
    page = province_pages["page"]
    by_city = {
        "sql_ms": median_ms(plain_sql, runs * rounds),
        "selector_ms": median_ms(selector, runs * rounds),
        "page_ms": page["ms"],
        "page_queries": page["queries"],
        "floor_ms": province_pages[PAGE_FLOOR]["ms"],
        "figures": {code: [str(v) for v in values] for code, values in mine.items()},
    }
    use_database(home_db)  # the throwaway database, dropped on the way out (never the kept one)
    return {
        "per_city": per_city,
        "cities": cities,
        "months": months,
        "runs": runs,
        "rounds": rounds,
        "build_s": build_s,
        "one_city": {**one_city, "requests": alone},
        "many_cities": {**many_cities, "requests": together},
        "by_city": by_city,
    }


def reuse_kept(name: str, *, token: Any, office: Any, project: Any) -> None:
    """Switch to the kept database `name`, migrated, with the city office's token of the city alone: the
    same user and project ids, since both builds begin with the same city."""
    from django.core.management import call_command

    from keyprojects.accounts.models import ApiToken, User
    from keyprojects.projects.models import Project

    use_database(name)
    call_command("migrate", verbosity=0)
    kept = User.objects.get(username=office.username)
    first = Project.objects.filter(city_id=project.city_id).order_by("id").first()
    if kept.pk != office.pk or first is None or first.pk != project.pk:
        raise SystemExit(f"{name} was not built as the city alone is: its ids differ")
    ApiToken.objects.create(
        user=kept, key_hash=token.key_hash, prefix=token.prefix, name="bench", expires_at=token.expires_at
    )
    analyze()


def report(result: dict) -> None:
    one, many, runs, n = (
        result["one_city"],
        result["many_cities"],
        result["runs"] * result["rounds"],
        result["cities"],
    )
    print(
        f"\nDatabase: {database()}; machine: {machine()}; median of {runs} runs "
        f"({result['rounds']} turns of {result['runs']}); as of {AS_OF}"
    )
    for label, size, took in (
        ("1 city", one, result["build_s"][0]),
        (f"{n} cities", many, result["build_s"][1]),
    ):
        print(
            f"Built {label}: {size['projects']:,} projects, {size['reports']:,} reports "
            f"({size['awaiting_review']:,} awaiting review), {size['plan_nodes']:,} plan nodes, "
            f"{size['warnings']:,} active warnings, in {took:.0f} s"
        )
    print(f"\nThe city office of 聊城 (`city`), {result['per_city']:,} projects of its own:\n")
    print(
        f"| request | 1 city (ms) | {n} cities (ms) | {n} ÷ 1 | fastest run: {n} ÷ 1 | queries (1 / {n}) "
        "| ÷ stack floor |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = 0.0
    for name, alone in one["requests"].items():
        together = many["requests"][name]
        ratio = together["ms"] / alone["ms"]
        is_request = "url" in together
        if is_request and name not in (PAGE_FLOOR, API_FLOOR):
            worst = max(worst, ratio)
        floor = many["requests"][API_FLOOR if "/api/" in together.get("url", "") else PAGE_FLOOR]["ms"]
        print(
            f"| {name} | {alone['ms']:.2f} | {together['ms']:.2f} | {ratio:.2f} "
            f"| {together['fastest_ms'] / alone['fastest_ms']:.2f} "
            + (
                f"| {alone['queries']} / {together['queries']} | {together['ms'] / floor:.1f} |"
                if is_request
                else "| | |"
            )
        )
    print(
        f"\nAgainst the two floors at {many['projects']:,} projects ({n} cities), goal 2 × floor + 1.5 × SQL:\n"
    )
    print(
        "| request | best SQL (ms) | stack floor (ms) | time (ms) | ÷ floor | ÷ SQL | goal: 2 × floor + 1.5 × SQL (ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, together in many["requests"].items():
        if not together.get("sql"):
            continue
        sql = many["requests"][together["sql"]]["ms"]
        floor = many["requests"][API_FLOOR if "/api/" in together["url"] else PAGE_FLOOR]["ms"]
        goal = 2 * floor + 1.5 * sql
        print(
            f"| {name} | {sql:.2f} | {floor:.1f} | {together['ms']:.1f} | {together['ms'] / floor:.1f} "
            f"| {together['ms'] / sql:.1f} | {goal:.1f} {'met' if together['ms'] <= goal else 'missed'} |"
        )
    by_city = result["by_city"]
    print(f"\nThe province office (`province`), rates by city at {many['projects']:,} projects:\n")
    print(
        "| hand-written SQL (ms) | `metrics_by_city` (ms) | selector ÷ SQL | page `GET /metrics/` (ms) | page ÷ SQL "
        "| stack floor (ms) | page − floor ÷ SQL |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {by_city['sql_ms']:.1f} | {by_city['selector_ms']:.1f} | {by_city['selector_ms'] / by_city['sql_ms']:.2f} "
        f"| {by_city['page_ms']:.1f} | {by_city['page_ms'] / by_city['sql_ms']:.2f} | {by_city['floor_ms']:.1f} "
        f"| {(by_city['page_ms'] - by_city['floor_ms']) / by_city['sql_ms']:.2f} |"
    )
    print(f"\nWorst ratio {n} ÷ 1: {worst:.2f} ({'within' if worst <= 1.2 else 'above'} the goal of 1.2)")
    write_results("tenants", result)


if __name__ == "__main__":
    main()
