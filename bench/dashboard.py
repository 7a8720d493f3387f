"""The war room (挂图作战) of one city at 10,000 and 100,000 projects with a year of reports: the dashboard's
data (`GET /api/v1/dashboard`) against the hand-written SQL behind it and the stack's floor.

The projects and their reports come from bench/rates.py's generator (a list year that is over, figures in
force, corrections, history); a fifth of them get coordinates (the map's points) and a tenth an active red or
yellow warning. As the city office (`city`), as of the rates' date, it times in turns:

- **best SQL** — written by hand on one cursor: the rates' statement per county (bench/rates.py); the
  projects, investment and mean coordinates per county; the active warnings per county and in all with the
  ten worst; the year's figures in force and starts per month, and the plan; the open and overdue blockers
  with ten; the unmet factor demands per kind with ten; the 2,000 largest projects with coordinates and their
  worst warning; the latest batch;
- **the API, computed** — `GET /api/v1/dashboard` with the cache emptied before each request;
- **the API, cached** — the same request answered from the cache, as every reader but the first after a
  change is;
- **the stack's floor** — `GET /api/v1/me` (see bench/README.md, "Method").

It checks first that the API's headline figures are the SQL's. The goal: at most 2 × the stack's floor +
1.5 × the best SQL. `--quick` builds 2,000 projects and times 3 turns.

    .venv/bin/python bench/dashboard.py [--sizes 10000 100000] [--runs 9] [--quick]
"""

import argparse
import datetime
import json
import random
import sys
import time
from decimal import Decimal
from typing import Any

from rates import AS_OF, YEAR, generate, rates_params, rates_sql
from runner import (
    analyze,
    database,
    demo_city,
    get_ok,
    machine,
    medians_in_turns,
    throwaway_database,
    write_results,
)

POINTS, SHOWN = 2000, 10


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--quick", action="store_true", help="2,000 projects, 3 turns")
    args = parser.parse_args()
    sizes, runs = ([2_000], 3) if args.quick else (args.sizes, args.runs)
    with throwaway_database("keyprojects_bench_dashboard"):
        report(run(sizes, runs), runs)


def place_and_warn(city_id: int, rng: random.Random) -> None:
    """Coordinates for a fifth of the projects and an active warning for a tenth that have none yet."""
    from django.db.models import Q

    from keyprojects.alerts.models import Color, ProjectWarning, Rule
    from keyprojects.core.history import encode
    from keyprojects.projects.models import Project

    bare = Project.objects.filter(city_id=city_id, latitude__isnull=True).values_list("pk", flat=True)
    for pk in list(bare):
        if rng.random() < 0.2:
            Project.objects.filter(pk=pk).update(
                latitude=Decimal(f"{36.2 + rng.random() * 0.6:.6f}"),
                longitude=Decimal(f"{115.5 + rng.random() * 0.7:.6f}"),
            )
    warned = ProjectWarning.objects.values("project_id")
    fresh = Project.objects.filter(~Q(pk__in=warned), city_id=city_id).values_list("pk", "planned_start")
    ProjectWarning.objects.bulk_create(
        [
            ProjectWarning(
                project_id=pk,
                rule=Rule.START_DELAY,
                color=rng.choice([Color.RED, Color.YELLOW]),
                facts=encode({"planned_start": planned, "days": 40}),
                since=AS_OF - datetime.timedelta(days=30),
            )
            for pk, planned in fresh
            if rng.random() < 0.1
        ],
        batch_size=2000,
    )


class BestSql:
    """The dashboard's figures, written by hand: one cursor, a statement per part."""

    def __init__(self, *, city_id: int) -> None:
        from keyprojects.alerts.models import ProjectWarning
        from keyprojects.batches.models import Batch
        from keyprojects.blockers.models import Blocker
        from keyprojects.factors.models import FactorDemand
        from keyprojects.metrics.models import MonthlyPlan
        from keyprojects.progress.models import FigureInForce
        from keyprojects.projects.models import Project

        self.city_id = city_id
        self.params = {**rates_params(city_id), "city": city_id, "today": AS_OF}
        t = {
            name: model._meta.db_table
            for name, model in {
                "project": Project, "warning": ProjectWarning, "figure": FigureInForce, "plan": MonthlyPlan,
                "blocker": Blocker, "demand": FactorDemand, "batch": Batch,
            }.items()
        }  # fmt: skip
        listed = "p.city_id = %(city)s AND p.year = %(year)s AND p.pipeline = 'scheduled' AND p.stage <> 'withdrawn'"
        self.statements = [
            rates_sql(group="region_id", city_id=city_id),
            f"""SELECT p.region_id, COUNT(*), SUM(p.total_investment), SUM(p.annual_investment),
                       AVG(p.latitude), AVG(p.longitude)
                  FROM {t["project"]} p WHERE {listed} GROUP BY p.region_id""",
            f"""SELECT p.region_id, SUM(CASE WHEN w.color = 'red' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN w.color = 'yellow' THEN 1 ELSE 0 END)
                  FROM {t["warning"]} w JOIN {t["project"]} p ON p.id = w.project_id
                 WHERE w.is_active AND {listed} GROUP BY p.region_id""",
            f"""SELECT w.id, w.project_id, p.name, w.color, w.rule, w.facts, w.since
                  FROM {t["warning"]} w JOIN {t["project"]} p ON p.id = w.project_id
                 WHERE w.is_active AND w.color IN ('red', 'yellow') AND {listed}
                 ORDER BY CASE w.color WHEN 'red' THEN 0 ELSE 1 END, w.since, w.project_id LIMIT {SHOWN}""",
            f"""SELECT f.month, SUM(f.total) FROM {t["figure"]} f JOIN {t["project"]} p ON p.id = f.project_id
                 WHERE {listed} AND f.month >= %(first)s AND f.month <= %(last)s AND f.in_force_from <= %(as_of)s
                   AND (f.in_force_until IS NULL OR f.in_force_until > %(as_of)s) GROUP BY f.month""",
            f"""SELECT m.month, SUM(m.amount) FROM {t["plan"]} m JOIN {t["project"]} p ON p.id = m.project_id
                 WHERE {listed} AND m.year = %(year)s GROUP BY m.month""",
            f"""SELECT p.actual_start, COUNT(*) FROM {t["project"]} p
                 WHERE {listed} AND p.actual_start >= %(first)s AND p.actual_start <= %(as_of)s
                 GROUP BY p.actual_start""",
            f"""SELECT COUNT(*), SUM(CASE WHEN b.deadline < %(today)s AND b.status IN ('assigned', 'in_progress')
                                      THEN 1 ELSE 0 END)
                  FROM {t["blocker"]} b JOIN {t["project"]} p ON p.id = b.project_id
                 WHERE {listed} AND b.status IN ('raised', 'accepted', 'assigned', 'in_progress')""",
            f"""SELECT b.id, b.description, b.deadline FROM {t["blocker"]} b JOIN {t["project"]} p ON p.id = b.project_id
                 WHERE {listed} AND b.status IN ('raised', 'accepted', 'assigned', 'in_progress')
                 ORDER BY b.deadline, b.id LIMIT {SHOWN}""",
            f"""SELECT d.kind, COUNT(*), SUM(d.amount - d.allocated)
                  FROM {t["demand"]} d JOIN {t["project"]} p ON p.id = d.project_id
                 WHERE {listed} AND d.allocated < d.amount GROUP BY d.kind""",
            f"""SELECT d.id, d.kind, p.name, d.amount, d.allocated, d.needed_by
                  FROM {t["demand"]} d JOIN {t["project"]} p ON p.id = d.project_id
                 WHERE {listed} AND d.allocated < d.amount ORDER BY d.needed_by, d.id LIMIT {SHOWN}""",
            f"""SELECT p.id, p.name, p.latitude, p.longitude, p.total_investment,
                       (SELECT MIN(CASE w.color WHEN 'red' THEN 0 ELSE 1 END) FROM {t["warning"]} w
                         WHERE w.project_id = p.id AND w.is_active)
                  FROM {t["project"]} p WHERE {listed} AND p.latitude IS NOT NULL
                 ORDER BY p.total_investment DESC, p.id LIMIT {POINTS}""",
            f"""SELECT b.id, b.name, b.held_on FROM {t["batch"]} b WHERE b.city_id = %(city)s
                 ORDER BY b.held_on DESC, b.id DESC LIMIT 1""",
        ]

    def __call__(self) -> dict[str, Any]:
        from django.db import connection

        answers = []
        with connection.cursor() as cursor:
            for sql in self.statements:
                cursor.execute(sql, self.params)
                answers.append(cursor.fetchall())
        counties = answers[0]
        return {
            "start": (sum(r[1] for r in counties), sum(r[2] for r in counties)),
            "statistics": (sum(r[3] for r in counties), sum(r[4] for r in counties)),
            "projects": sum(r[1] for r in answers[1]),
            "points": len(answers[11]),
        }


def run(sizes: list[int], runs: int) -> list[dict]:
    from django.core.cache import cache
    from django.test import Client

    ctx, office, bearer = demo_city()
    client = Client()
    url = f"/api/v1/dashboard?as_of={AS_OF}&year={YEAR}"
    rng = random.Random("bench:dashboard")
    best = BestSql(city_id=ctx.tenant.pk)

    cached_api = get_ok(client, url, bearer)

    def computed_api() -> None:
        cache.clear()
        cached_api()

    rows = []
    for size in sorted(sizes):
        started = time.perf_counter()
        generate(size, city=ctx.tenant, user=office, rng=rng)
        place_and_warn(ctx.tenant.pk, rng)
        analyze()
        built_s = time.perf_counter() - started
        print(f"{size:>7} projects built in {built_s:.0f} s", file=sys.stderr)
        cache.clear()
        body = json.loads(client.get(url, headers=bearer).content)
        sql = best()
        mine = {
            "start": (body["rates"]["start_rate"]["numerator"], body["rates"]["start_rate"]["denominator"]),
            "statistics": (
                body["rates"]["statistics_rate"]["numerator"],
                body["rates"]["statistics_rate"]["denominator"],
            ),
            "projects": body["projects"],
            "points": len(body["points"]),
        }
        if mine != sql:
            raise SystemExit(f"the API and the SQL disagree at {size} projects: {mine} != {sql}")
        timed = {
            "sql": best,
            "api": computed_api,
            "cached": cached_api,
            "floor": get_ok(client, "/api/v1/me", bearer),
        }
        rows.append(
            {
                "projects": size,
                "built_s": built_s,
                **{f"{k}_ms": v for k, v in medians_in_turns(timed, runs).items()},
            }
        )
    return rows


def report(rows: list[dict], runs: int) -> None:
    print(f"\nDatabase: {database()}; machine: {machine()}; median of {runs} turns; as of {AS_OF}")
    print(
        "| projects | best SQL (ms) | stack floor (ms) | API computed (ms) | ÷ floor | ÷ SQL "
        "| goal: 2 × floor + 1.5 × SQL (ms) | API cached (ms) |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        ms, sql, floor = row["api_ms"], row["sql_ms"], row["floor_ms"]
        goal = 2 * floor + 1.5 * sql
        print(
            f"| {row['projects']:,} | {sql:.1f} | {floor:.1f} | {ms:.1f} | {ms / floor:.1f} | {ms / sql:.2f} "
            f"| {goal:.1f} {'met' if ms <= goal else 'missed'} | {row['cached_ms']:.1f} |"
        )
    write_results("dashboard", {"runs": runs, "rows": rows})


if __name__ == "__main__":
    main()
