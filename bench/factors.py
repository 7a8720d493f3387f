"""The factor command post (要素保障指挥部) of one city at scale: its page and its API against the best SQL for the
same figures and the stack's floor.

It builds the demo city's regions, organisations and accounts, N projects of the year (100,000 by default),
the year's pools of every factor (the city's, and land and energy shares of each county), demands for about
half of the projects (one to three each, needed across the year) and allocations meeting some in full and some
in part. As the city office (`city`) it then times, in turns:

- **best SQL** — written by hand, five statements on one cursor: the year's pools; the unmet demands' count and
  shortfall per kind; the ten needed soonest of each kind (a window over the unmet demands) with their project
  and region; the fifty projects needing something soonest and what each lacks; how many projects wait;
- **the command post page** `GET /factors/` and **its API** `GET /api/v1/factor-command-post`;
- **the stack's floors** — `GET /notifications/` and `GET /api/v1/me` (see bench/README.md, "Method").

It checks first that the API lists the same demands and projects, in the same order, as the SQL. The goal: at
most 2 × the stack's floor + 1.5 × the best SQL. `--quick` builds 2,000 projects and times 3 turns.

    .venv/bin/python bench/factors.py [--projects 100000] [--runs 15] [--quick]
"""

import argparse
import datetime
import json
import random
import sys
import time
from decimal import Decimal
from typing import Any

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

DEMAND_SHARE = 0.5  # of the projects, with one to three demands each
YEAR_DAYS = 365
WAITING, SHOWN = 10, 50


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="2,000 projects, 3 turns")
    args = parser.parse_args()
    projects, runs = (2_000, 3) if args.quick else (args.projects, args.runs)
    with throwaway_database("keyprojects_bench_factors"):
        report(run(projects=projects, runs=runs))


def build(ctx: Any, *, projects: int, rng: random.Random) -> dict[str, int]:
    """The projects, pools, demands and allocations; their numbers."""
    from django.db import transaction
    from django.db.models import F, Sum

    from keyprojects.accounts.models import Organization, Region
    from keyprojects.factors.models import FactorAllocation, FactorDemand, FactorKind, FactorPool
    from keyprojects.factors.services import pool_set
    from keyprojects.projects.models import Pipeline, Project, Stage

    city, office, year = ctx.tenant, ctx.office_user, ctx.year
    counties = list(Region.objects.filter(city=city).exclude(kind=Region.Kind.CITY))
    owners = list(Organization.objects.filter(city=city, kind=Organization.Kind.ENTERPRISE))
    while (have := Project.objects.filter(city=city).count()) < projects:
        chunk = [
            Project(
                name=f"要素基准项目{have + i}",
                region=rng.choice(counties),
                owner=rng.choice(owners),
                total_investment=Decimal(rng.randint(1_000, 500_000)),
                pipeline=Pipeline.SCHEDULED,
                stage=Stage.PREPARATION,
                year=year,
            )
            for i in range(min(5_000, projects - have))
        ]
        with transaction.atomic():
            Project.objects.bulk_create(chunk, batch_size=1000)
    pools = {
        kind: pool_set(user=office, kind=kind, year=year, supply="100000000", reason="年度指标")[0]
        for kind in FactorKind.values
    }
    for county in counties:
        for kind in (FactorKind.LAND, FactorKind.ENERGY):
            pool_set(user=office, kind=kind, year=year, supply="1000000", reason="下达", region=county.code)
    start = datetime.date(year, 1, 1)
    ids = list(Project.objects.filter(city=city).values_list("pk", flat=True))
    demands, allocations = [], []
    for pk in rng.sample(ids, int(len(ids) * DEMAND_SHARE)):
        for kind in rng.sample(FactorKind.values, rng.randint(1, 3)):
            amount = Decimal(rng.randint(1, 5_000))
            given = rng.choice((Decimal(0), Decimal(0), amount / 2, amount))
            demand = FactorDemand(
                city=city,
                project_id=pk,
                kind=kind,
                amount=amount,
                allocated=given,
                needed_by=start + datetime.timedelta(days=rng.randrange(YEAR_DAYS)),
                created_by=office,
            )
            demands.append(demand)
            if given:
                allocations.append((demand, given))
    with transaction.atomic():
        FactorDemand.objects.bulk_create(demands, batch_size=1000)
        FactorAllocation.objects.bulk_create(
            (
                FactorAllocation(
                    city=city,
                    pool=pools[d.kind],
                    project_id=d.project_id,
                    demand=d,
                    amount=given,
                    allocated_by=office,
                )
                for d, given in allocations
            ),
            batch_size=1000,
        )
        for pool in pools.values():
            given = FactorAllocation.objects.filter(pool=pool).aggregate(s=Sum("amount"))["s"] or 0
            FactorPool.objects.filter(pk=pool.pk).update(allocated=F("allocated") + given)
    analyze()
    return {"projects": len(ids), "demands": len(demands), "allocations": len(allocations)}


class BestSql:
    """The command post's figures, written by hand."""

    def __init__(self, *, city_id: int, year: int) -> None:
        from django.db import connection

        from keyprojects.accounts.models import Region
        from keyprojects.factors.models import FactorDemand, FactorPool
        from keyprojects.projects.models import Project

        self.connection = connection
        self.params = {"city": city_id, "year": year, "waiting": WAITING, "shown": SHOWN}
        self.tables = {
            "pool": FactorPool._meta.db_table,
            "demand": FactorDemand._meta.db_table,
            "project": Project._meta.db_table,
            "region": Region._meta.db_table,
        }

    def _sql(self, text: str) -> str:
        return text.format(**self.tables)

    def unmet_condition(self) -> str:
        """The condition of the partial indexes on waiting demands, as the database holds it: a statement
        reads through a partial index only when its own condition is that one."""
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "sqlite":
                cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'factor_unmet_by_kind'")
                return "(" + cursor.fetchone()[0].split(" WHERE ", 1)[1] + ")"
            cursor.execute(
                "SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = 'factor_unmet_by_kind'::regclass"
            )
            return "(" + cursor.fetchone()[0] + ")"

    def __call__(self) -> dict[str, Any]:
        unmet = f"d.city_id = %(city)s AND {self.unmet_condition()}"
        with self.connection.cursor() as cursor:
            cursor.execute(
                self._sql(
                    "SELECT id, kind, region_id, parent_id, supply, carved, allocated FROM {pool} "
                    "WHERE city_id = %(city)s AND year = %(year)s"
                ),
                self.params,
            )
            pools = cursor.fetchall()
            cursor.execute(
                self._sql(f"SELECT d.kind, COUNT(*), SUM(d.amount - d.allocated) FROM {{demand}} d WHERE {unmet} "
                          "GROUP BY d.kind"),
                self.params,
            )  # fmt: skip
            totals = cursor.fetchall()
            # the soonest of each kind that waits, each read down (city, kind, needed_by), in one statement
            soonest = " UNION ALL ".join(
                "SELECT * FROM (SELECT d.id, d.kind, d.needed_by, d.project_id, d.amount, d.allocated, p.name, r.name "
                f"FROM {{demand}} d JOIN {{project}} p ON p.id = d.project_id JOIN {{region}} r ON r.id = p.region_id "
                f"WHERE {unmet} AND d.kind = '{kind}' ORDER BY d.needed_by, d.id LIMIT %(waiting)s) AS k{n}"
                for n, (kind, _count, _short) in enumerate(totals)
            )
            cursor.execute(self._sql(soonest), self.params)
            waiting = cursor.fetchall()
            # the first projects to need something: the waiting demands walked in date order
            firsts: dict[int, object] = {}
            offset = 0
            while len(firsts) < SHOWN:
                cursor.execute(
                    self._sql(
                        f"SELECT d.project_id, d.needed_by FROM {{demand}} d WHERE {unmet} "
                        "ORDER BY d.needed_by, d.project_id, d.id LIMIT 500 OFFSET %(offset)s"
                    ),
                    {**self.params, "offset": offset},
                )
                chunk = cursor.fetchall()
                for pk, first in chunk:
                    firsts.setdefault(pk, first)
                if len(chunk) < 500:
                    break
                offset += 500
            shown = list(firsts)[:SHOWN]
            cursor.execute(
                self._sql(
                    "SELECT d.id, d.project_id, p.name, r.name, d.kind, d.amount - d.allocated, d.needed_by "
                    f"FROM {{demand}} d JOIN {{project}} p ON p.id = d.project_id JOIN {{region}} r ON r.id = p.region_id "
                    f"WHERE {unmet} AND d.project_id IN ({', '.join(map(str, shown)) or 'NULL'}) "
                    "ORDER BY d.needed_by, d.id"
                ),
                self.params,
            )
            lacking = cursor.fetchall()
            cursor.execute(
                self._sql(
                    f"SELECT COUNT(*) FROM (SELECT DISTINCT d.project_id FROM {{demand}} d WHERE {unmet}) AS w"
                ),
                self.params,
            )
            (count,) = cursor.fetchone()
        return {
            "pools": len(pools),
            "kinds": sorted(totals),
            "waiting": [row[0] for row in waiting],
            "projects": shown,
            "lacking": len(lacking),
            "count": count,
        }


def check_same(answer: dict, best: dict) -> None:
    waiting = sorted(w["demand"] for kind in answer["kinds"] for w in kind["waiting"])
    projects = [p["project"] for p in answer["projects"]]
    if (waiting, projects, answer["project_count"]) != (
        sorted(best["waiting"]),
        best["projects"],
        best["count"],
    ):
        raise SystemExit(f"the command post and its best SQL disagree:\n{answer}\n{best}")


def run(*, projects: int, runs: int) -> dict:
    from django.test import Client

    ctx, office, bearer = demo_city()
    started = time.perf_counter()
    sizes = build(ctx, projects=projects, rng=random.Random("bench:factors"))
    built_s = time.perf_counter() - started
    print(f"built {sizes} in {built_s:.0f} s", file=sys.stderr)
    client = Client()
    client.force_login(office)
    best = BestSql(city_id=ctx.tenant.pk, year=ctx.year)
    check_same(json.loads(client.get("/api/v1/factor-command-post", headers=bearer).content), best())

    timed = {
        "sql": best,
        "page": get_ok(client, "/factors/"),
        "api": get_ok(client, "/api/v1/factor-command-post", bearer),
        "page_floor": get_ok(client, "/notifications/"),
        "api_floor": get_ok(client, "/api/v1/me", bearer),
    }
    return {
        **sizes,
        "runs": runs,
        "built_s": built_s,
        **{f"{k}_ms": v for k, v in medians_in_turns(timed, runs).items()},
    }


def report(row: dict) -> None:
    print(f"\nDatabase: {database()}; machine: {machine()}; median of {row['runs']} turns")
    print(
        f"{row['projects']:,} projects, {row['demands']:,} demands, {row['allocations']:,} allocations "
        f"(built in {row['built_s']:.0f} s)\n"
    )
    print(
        "| request | best SQL (ms) | stack floor (ms) | time (ms) | ÷ floor | ÷ SQL | goal: 2 × floor + 1.5 × SQL (ms) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, label, floor in (
        ("page", "command post page `GET /factors/`", "page_floor"),
        ("api", "command post API `GET /api/v1/factor-command-post`", "api_floor"),
    ):
        ms, sql, base = row[f"{name}_ms"], row["sql_ms"], row[f"{floor}_ms"]
        goal = 2 * base + 1.5 * sql
        print(
            f"| {label} | {sql:.2f} | {base:.1f} | {ms:.1f} | {ms / base:.1f} | {ms / sql:.1f} "
            f"| {goal:.1f} {'met' if ms <= goal else 'missed'} |"
        )
    write_results("factors", row)


if __name__ == "__main__":
    main()
