"""The department inbox and the blocker ledger (台账), page and API, against the best hand-written SQL for the
same rows and the stack's own floor.

Builds the demo city's regions, organisations and accounts, generates projects with the demo generator and, for
every second project, a blocker (half of them open with a deadline, spread over the city's departments, the
categories and the states), in a throwaway database; then times, in turns:

- **department inbox page** — `GET /blockers/inbox/` as 自然资源和规划局 (`ziranziyuan`): its open blockers, the
  most urgent first, 50 a page; best SQL: the same first 50 rows in the same order with their project and region,
  and their count;
- **ledger page** — `GET /blockers/` as the city office (`city`): the first 50 blockers, newest first, with the
  count per status; best SQL: the 50 rows from the index on (city, -raised_at, id), the count per status;
- **ledger API** — `GET /api/v1/blockers?limit=50`: the same rows as JSON and their count;
- **the stack's floors** — `GET /notifications/` and `GET /api/v1/me`.

    .venv/bin/python bench/blockers.py [--sizes 10000 100000] [--runs 15]
    .venv/bin/python bench/blockers.py --quick        # 2,000 projects, 1,000 blockers, 5 runs
"""

import argparse
import datetime
import random
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

CATEGORIES = ["land", "planning", "environment", "energy", "funds", "approval", "utilities", "labour", "demolition", "other"]  # fmt: skip
# the states of the generated blockers, with their weights: half open (assigned or in progress)
STATES = [("raised", 1), ("accepted", 1), ("assigned", 3), ("in_progress", 2), ("resolved", 1), ("closed", 3), ("returned", 1)]  # fmt: skip
PAGE = 50


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="2,000 projects and 5 runs")
    args = parser.parse_args()
    sizes, runs = ([2_000], 5) if args.quick else (args.sizes, args.runs)
    with throwaway_database("keyprojects_bench_blockers"):
        report(run(sizes, runs), runs)


def generate(ctx, size: int, batch: int, rng: random.Random) -> int:
    """Projects up to `size`, each second one with a blocker; answers the next batch number."""
    from django.db import transaction

    from keyprojects.accounts.models import Organization
    from keyprojects.blockers.models import Blocker
    from keyprojects.projects.models import Project
    from keyprojects.schedule.workdays import add_workdays

    departments = list(Organization.objects.filter(city=ctx.city, kind=Organization.Kind.DEPARTMENT))
    raiser = ctx.users["city"]
    states = [s for s, weight in STATES for _ in range(weight)]
    for number, projects in project_batches(ctx, size, batch):
        with transaction.atomic():
            made = Project.objects.bulk_create(projects, batch_size=1000)
            blockers = []
            for project in made[::2]:
                state = rng.choice(states)
                assigned = state not in ("raised", "accepted", "returned")
                on = ctx.today - datetime.timedelta(days=rng.randint(0, 40))
                days = rng.choice([5, 10, 15, 20])
                blockers.append(
                    Blocker(
                        project=project,
                        category=rng.choice(CATEGORIES),
                        description="项目推进中遇到的难点堵点问题",
                        status=state,
                        raised_by=raiser,
                        department=rng.choice(departments) if assigned else None,
                        assigned_on=on if assigned else None,
                        deadline_workdays=days if assigned else None,
                        deadline=add_workdays(on, days) if assigned else None,
                        level_since=on,
                    )
                )
            Blocker.objects.bulk_create(blockers, batch_size=1000)
        batch = number + 1
    return batch


def run(sizes: list[int], runs: int) -> list[dict]:
    from django.db import connection
    from django.test import Client

    from keyprojects.accounts.models import Region, User
    from keyprojects.blockers.models import Blocker
    from keyprojects.projects.models import Project
    from keyprojects.schedule.workdays import add_workdays

    ctx, office, bearer = demo_city()
    department = User.objects.get(username="ziranziyuan")
    office_client, department_client = Client(), Client()
    office_client.force_login(office)
    department_client.force_login(department)
    blocker, project, region = (m._meta.db_table for m in (Blocker, Project, Region))
    city_id, org_id = office.city_id, department.organization_id
    today = ctx.today
    due_soon_by = add_workdays(today, 2)
    columns = (
        f"b.id, b.category, b.description, b.status, b.level, b.deadline, b.department_id, b.raised_at, "
        f"p.id, p.name, r.name FROM {blocker} b JOIN {project} p ON p.id = b.project_id "
        f"JOIN {region} r ON r.id = p.region_id"
    )
    inbox_sql = (
        f"SELECT {columns} WHERE b.city_id = %s AND b.department_id = %s "
        f"AND b.status IN ('assigned', 'in_progress') ORDER BY CASE WHEN b.deadline < %s THEN 0 "
        f"WHEN b.deadline <= %s THEN 1 WHEN b.status = 'assigned' THEN 2 ELSE 3 END, b.deadline, b.id LIMIT {PAGE}"
    )
    inbox_count = (
        f"SELECT COUNT(*) FROM {blocker} WHERE city_id = %s AND department_id = %s "
        f"AND status IN ('assigned', 'in_progress')"
    )
    ledger_sql = f"SELECT {columns} WHERE b.city_id = %s ORDER BY b.raised_at DESC, b.id DESC LIMIT {PAGE}"
    ledger_counts = f"SELECT status, COUNT(*) FROM {blocker} WHERE city_id = %s GROUP BY status"

    timed = {
        "inbox_sql": run_sql(
            (inbox_sql, [city_id, org_id, today, due_soon_by]), (inbox_count, [city_id, org_id])
        ),
        "inbox_page": get_ok(department_client, "/blockers/inbox/"),
        "ledger_sql": run_sql((ledger_sql, [city_id]), (ledger_counts, [city_id])),
        "ledger_page": get_ok(office_client, "/blockers/"),
        "ledger_api": get_ok(office_client, "/api/v1/blockers?limit=50", bearer),
        "page_floor": get_ok(office_client, "/notifications/"),
        "api_floor": get_ok(office_client, "/api/v1/me", bearer),
    }
    rng = random.Random("bench:blockers")
    results, batch = [], 0
    for size in sorted(sizes):
        started = time.perf_counter()
        batch = generate(ctx, size, batch, rng)
        if connection.vendor == "postgresql":
            analyze()
        count = Blocker.objects.count()
        print(
            f"{size:>7} projects, {count} blockers in {time.perf_counter() - started:.1f} s", file=sys.stderr
        )
        medians = medians_in_turns(timed, runs)
        results.append({"projects": size, "blockers": count, **{f"{k}_ms": v for k, v in medians.items()}})
    return results


def report(rows: list[dict], runs: int) -> None:
    print(f"\nDatabase: {database()}; machine: {machine()}; median of {runs} runs")
    print(
        "| projects | blockers | request | best SQL (ms) | stack floor (ms) | time (ms) | ÷ floor | ÷ SQL "
        "| goal: 2 × floor + 1.5 × SQL (ms) |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        for name, label, sql, floor in (
            ("inbox_page", "department inbox `GET /blockers/inbox/`", "inbox_sql", "page_floor"),
            ("ledger_page", "ledger page `GET /blockers/`", "ledger_sql", "page_floor"),
            ("ledger_api", "ledger API `GET /api/v1/blockers`", "ledger_sql", "api_floor"),
        ):
            ms, floor_ms, sql_ms = row[f"{name}_ms"], row[f"{floor}_ms"], row[f"{sql}_ms"]
            goal = 2 * floor_ms + 1.5 * sql_ms
            print(
                f"| {row['projects']:,} | {row['blockers']:,} | {label} | {sql_ms:.2f} | {floor_ms:.1f} | {ms:.1f} "
                f"| {ms / floor_ms:.1f} | {ms / sql_ms:.1f} | {goal:.1f} {'met' if ms <= goal else 'missed'} |"
            )
    write_results("blockers", {"runs": runs, "rows": rows})


if __name__ == "__main__":
    main()
