"""List-page and list-API latency at 10,000 and 100,000 projects of one city.

Each figure is the median of N runs, taken in turns with its two floors (one run of each, N times): the best SQL
for the same result (the first 50 projects of the city in the list's order, served by the index on
(city, total investment descending, id), with their region and owner, and the totals read from the kept
tallies), and the stack's own floor (a signed-in page of the same layout with nothing to show, and a
signed-in API endpoint with nothing to compute). The goal: at most 2 × the stack's floor + 1.5 × the best
SQL. The data lives in a throwaway database: a temporary SQLite file, or, when DATABASE_URL is given, a
temporary database on that PostgreSQL server.

    .venv/bin/python bench/list_latency.py [--sizes 10000 100000] [--runs 15]
"""

import sys
import time

from runner import (
    bench_main,
    database,
    demo_city,
    get_ok,
    machine,
    medians_in_turns,
    project_batches,
    write_results,
)

BATCH = 400


def main() -> None:
    bench_main(__doc__ or "", "keyprojects_bench", run, report, runs=15)


def run(sizes: list[int], runs: int) -> list[dict]:
    from django.db import connection, transaction
    from django.test import Client

    from keyprojects.accounts.models import Organization, Region
    from keyprojects.projects.models import Project, ProjectTally

    ctx, user, bearer = demo_city()
    client = Client()
    client.force_login(user)
    project, region, org, tally = (m._meta.db_table for m in (Project, Region, Organization, ProjectTally))
    city_id = user.city_id
    rows_sql = (
        f"SELECT p.id, p.code, p.name, p.level, p.category, p.stage, p.pipeline, p.year, p.total_investment, "
        f"p.annual_investment, p.planned_start, p.planned_end, p.actual_start, p.actual_end, p.version, "
        f"r.code, r.name, o.name FROM {project} p JOIN {region} r ON r.id = p.region_id "
        f"LEFT JOIN {org} o ON o.id = p.owner_id WHERE p.city_id = %s "
        f"ORDER BY p.total_investment DESC, p.id LIMIT 50"
    )
    totals_sql = (
        f"SELECT SUM(projects), COALESCE(SUM(total_investment), 0), COALESCE(SUM(annual_investment), 0) "
        f"FROM {tally} WHERE city_id = %s"
    )

    def best_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(rows_sql, [city_id])
            assert len(cursor.fetchall()) == 50
            cursor.execute(totals_sql, [city_id])
            cursor.fetchone()

    timed = {
        "page": get_ok(client, "/projects/"),
        "api": get_ok(client, "/api/v1/projects?limit=50", bearer),
        "page_floor": get_ok(client, "/notifications/"),
        "api_floor": get_ok(client, "/api/v1/me", bearer),
    }

    results = []
    batch, serial = 0, 0
    for size in sorted(sizes):
        started = time.perf_counter()
        for number, projects in project_batches(ctx, size, batch):
            for project in projects:
                serial += 1
                project.code = f"2401-{project.region.code}-04-01-{serial:06d}"
            with transaction.atomic():
                Project.objects.bulk_create(projects, batch_size=1000)
            batch = number + 1
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{size:>7} projects generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        medians = medians_in_turns({"sql": best_sql, **timed}, runs)
        results.append({"projects": size, **{f"{name}_ms": ms for name, ms in medians.items()}})
    return results


def report(rows: list[dict], runs: int) -> None:
    print(f"\nDatabase: {database()}; machine: {machine()}; median of {runs} runs")
    print(
        "| projects | best SQL (ms) | request | stack floor (ms) | time (ms) | ÷ floor | ÷ SQL "
        "| goal: 2 × floor + 1.5 × SQL (ms) |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        for name, label in (
            ("page", "list page `GET /projects/`"),
            ("api", "list API `GET /api/v1/projects`"),
        ):
            ms, floor, sql = row[f"{name}_ms"], row[f"{name}_floor_ms"], row["sql_ms"]
            goal = 2 * floor + 1.5 * sql
            print(
                f"| {row['projects']:,} | {sql:.2f} | {label} | {floor:.1f} | {ms:.1f} | {ms / floor:.1f} "
                f"| {ms / sql:.1f} | {goal:.1f} {'met' if ms <= goal else 'missed'} |"
            )
    write_results("list_latency", {"runs": runs, "rows": rows})


if __name__ == "__main__":
    main()
