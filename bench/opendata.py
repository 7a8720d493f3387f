"""The OC4IDS export (`GET /api/v1/exports/oc4ids`) of a city's portfolio, every project marked public, against
hand-written SQL reading the same rows and the stack's floor (`GET /api/v1/me`).

Builds the demo city's regions, organisations and accounts and generates projects with the demo generator, each
public with four plan nodes, in a throwaway database; then times, in turns:

- **export** — `GET /api/v1/exports/oc4ids` as the city office: the whole package as JSON;
- **best SQL** — the same rows by hand: the public projects with their region, city and owner, their plan nodes,
  their figures in force with the report's 形象进度 (three statements, every row fetched), no JSON;
- **the stack's floor** — `GET /api/v1/me`.

Monthly reports are not generated (the figures query runs and finds none): the export's cost per project is in
the projects and nodes it writes out.

    .venv/bin/python bench/opendata.py [--sizes 10000] [--runs 5]
    .venv/bin/python bench/opendata.py --quick        # 2,000 projects, 3 runs
"""

import argparse
import datetime
import sys
import time

from runner import (
    analyze,
    database,
    demo_city,
    get_ok,
    machine,
    medians_in_turns,
    project_batches,
    run_sql,
    throwaway_database,
    write_results,
)

NODES = [("project_approval", "立项", -120), ("land_supply", "土地供应", -60), ("start", "开工", 0),
         ("acceptance", "竣工验收", 540)]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="2,000 projects and 3 runs")
    args = parser.parse_args()
    sizes, runs = ([2_000], 3) if args.quick else (args.sizes, args.runs)
    with throwaway_database("keyprojects_bench_opendata"):
        report(run(sizes, runs), runs)


def generate(ctx, size: int, batch: int) -> int:
    """Public projects up to `size`, each with four plan nodes; answers the next batch number."""
    from django.db import transaction

    from keyprojects.projects.models import Project
    from keyprojects.schedule.models import PlanNode

    for number, projects in project_batches(ctx, size, batch):
        for project in projects:
            project.is_public = True
        with transaction.atomic():
            made = Project.objects.bulk_create(projects, batch_size=1000)
            nodes = []
            for project in made:
                start = project.planned_start or ctx.today
                for order, (code, name, offset) in enumerate(NODES, start=1):
                    planned = start + datetime.timedelta(days=offset)
                    done = planned if planned < ctx.today else None
                    nodes.append(PlanNode(project=project, city_id=project.city_id, order=order, code=code,
                                          name=name, planned_date=planned, actual_date=done))  # fmt: skip
            PlanNode.objects.bulk_create(nodes, batch_size=2000)
        batch = number + 1
    return batch


def run(sizes: list[int], runs: int) -> list[dict]:
    from django.db import connection
    from django.test import Client

    from keyprojects.accounts.models import Organization, Region
    from keyprojects.progress.models import FigureInForce, MonthlyReport
    from keyprojects.projects.models import Project
    from keyprojects.schedule.models import PlanNode

    ctx, office, bearer = demo_city()
    client = Client()
    project, region, org, node, figure, monthly = (
        m._meta.db_table for m in (Project, Region, Organization, PlanNode, FigureInForce, MonthlyReport)
    )
    city_id = office.city_id
    projects_sql = (
        f"SELECT p.id, p.code, p.name, p.scope, p.stage, p.actual_start, p.nature, p.category, p.total_investment, "
        f"p.planned_start, p.planned_end, p.location, p.latitude, p.longitude, r.name, c.code, p.owner_id, o.name, "
        f"p.responsible_unit, p.updated_at FROM {project} p JOIN {region} r ON r.id = p.region_id "
        f"JOIN {region} c ON c.id = p.city_id LEFT JOIN {org} o ON o.id = p.owner_id "
        f"WHERE p.city_id = %s AND p.is_public ORDER BY p.total_investment DESC, p.id"
    )
    nodes_sql = (
        f"SELECT n.project_id, n.id, n.code, n.name, n.planned_date, n.actual_date FROM {node} n "
        f"JOIN {project} p ON p.id = n.project_id WHERE p.city_id = %s AND p.is_public "
        f'ORDER BY n.project_id, n."order", n.id'
    )
    figures_sql = (
        f"SELECT f.project_id, f.month, f.total, m.progress_text FROM {figure} f JOIN {monthly} m ON m.id = f.report_id "
        f"JOIN {project} p ON p.id = f.project_id WHERE p.city_id = %s AND p.is_public AND f.in_force_until IS NULL"
    )

    timed = {
        "sql": run_sql(*((statement, [city_id]) for statement in (projects_sql, nodes_sql, figures_sql))),
        "export": get_ok(client, "/api/v1/exports/oc4ids", bearer),
        "api_floor": get_ok(client, "/api/v1/me", bearer),
    }
    results, batch = [], 0
    for size in sorted(sizes):
        started = time.perf_counter()
        batch = generate(ctx, size, batch)
        if connection.vendor == "postgresql":
            analyze()
        body = client.get("/api/v1/exports/oc4ids", headers=bearer)
        print(f"{size:>7} projects in {time.perf_counter() - started:.1f} s; package {len(body.content):,} bytes",
              file=sys.stderr)  # fmt: skip
        medians = medians_in_turns(timed, runs)
        results.append(
            {"projects": size, "bytes": len(body.content), **{f"{k}_ms": v for k, v in medians.items()}}
        )
    return results


def report(rows: list[dict], runs: int) -> None:
    print(f"\nDatabase: {database()}; machine: {machine()}; median of {runs} runs")
    print("| projects | package (bytes) | best SQL (ms) | stack floor (ms) | export (ms) | ÷ floor | ÷ SQL |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        ms, floor_ms, sql_ms = row["export_ms"], row["api_floor_ms"], row["sql_ms"]
        print(
            f"| {row['projects']:,} | {row['bytes']:,} | {sql_ms:.1f} | {floor_ms:.1f} | {ms:.1f} "
            f"| {ms / floor_ms:.1f} | {ms / sql_ms:.1f} |"
        )
    write_results("opendata", {"runs": runs, "rows": rows})


if __name__ == "__main__":
    main()
