"""Project search (`q`) at 100,000 projects: the search query against a plain indexed lookup of the same
rows, and the list page and API that search against the stack's own floor.

Builds the demo city's regions, organisations and accounts, generates projects with the demo generator (each
indexed for search as it is written) and one project to find, 冠州国际陆港 (code 2401-371525-04-01-528171, owner
冠州陆港投资集团, location 冠县烟庄街道), in a throwaway database; then, as the city office (`city`), for each
case below times in turns:

- **search SQL** — the statement the list runs for `q` (the project list's first 50 rows, best matches first,
  through the search index), taken from the ORM and run on a raw cursor, with its count;
- **plain lookup** — the floor of the search: the same rows (their ids known beforehand) read by primary key
  in the same order, with their count, by hand-written SQL;
- **list page** — `GET /projects/?q=…` and **list API** — `GET /api/v1/projects?q=…&limit=50`;
- **the stack's floors** — `GET /notifications/` and `GET /api/v1/me` (a signed-in page with nothing to show,
  an endpoint with nothing to compute).

    .venv/bin/python bench/search.py [--sizes 100000] [--runs 15]
    .venv/bin/python bench/search.py --quick        # 3,000 projects, 5 runs
"""

import argparse
import sys
import time
from urllib.parse import quote

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

BATCH = 400
CASES = [
    ("pinyin initials", "gzlg"),
    ("full pinyin", "guanzhou"),
    ("two words", "冠州 陆港"),
    ("two words, the other order", "陆港 冠州"),
    ("traditional characters", "冠州國際陸港"),
    ("the code's last 6 digits", "528171"),
    ("a middle fragment of the code", "371525-04-01-5281"),
    ("the owner", "冠州陆港投资"),
    ("the location", "烟庄街道"),
    ("a word most names hold", "项目"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3,000 projects and 5 runs")
    parser.add_argument("--explain", action="store_true", help="print each case's query plan (to stderr)")
    args = parser.parse_args()
    sizes, runs = ([3_000], 5) if args.quick else (args.sizes, args.runs)
    with throwaway_database("keyprojects_bench_search"):
        report(run(sizes, runs, explain=args.explain), runs)


def generate(ctx, size: int, batch: int) -> int:
    """Projects up to `size` (the demo generator's, each begun one with a code of its own); answers the next batch
    number."""
    from django.db import transaction

    from keyprojects.projects.models import Project

    for number, projects in project_batches(ctx, size, batch):
        for i, project in enumerate(projects):
            if project.stage != "planning":
                project.code = f"2401-{project.region.code}-04-01-{number * BATCH + i:06d}"
        with transaction.atomic():
            Project.objects.bulk_create(projects, batch_size=1000)
        batch = number + 1
    return batch


TARGET_CODE = "2401-371525-04-01-528171"


def add_target(ctx) -> None:
    """The project the cases look for, once."""
    from decimal import Decimal

    from keyprojects.accounts.models import Organization
    from keyprojects.projects.models import Project

    if Project.objects.filter(code=TARGET_CODE).exists():
        return
    county = ctx.regions["371525"]
    owner = Organization.objects.create(
        name="冠州陆港投资集团", kind=Organization.Kind.ENTERPRISE, region=county, city_id=county.city_id
    )
    Project.objects.create(
        name="冠州国际陆港",
        code=TARGET_CODE,
        region=county,
        owner=owner,
        location="冠县烟庄街道",
        year=ctx.year,
        total_investment=Decimal(500_000),
    )


Statement = tuple[str, list]


def case_sql(user, q: str) -> tuple[list[Statement], Statement, int]:
    """The statements the project list runs for `q` (its first 50 ids, best first, and its count), the plain
    lookup of the same rows by primary key in the same order, and how many projects `q` finds."""
    from keyprojects.projects.models import Project
    from keyprojects.projects.selectors import ProjectFilters, project_list

    qs = project_list(user=user, filters=ProjectFilters(q=q))
    page = qs.values_list("pk", flat=True)[:50]
    ids, found = list(page), qs.count()
    page_sql, page_params = page.query.sql_with_params()
    count_sql, count_params = qs.order_by().values("pk").query.sql_with_params()
    search = [
        (page_sql, list(page_params)),
        (f"SELECT COUNT(*) FROM ({count_sql}) found", list(count_params)),
    ]
    marks = ", ".join(["%s"] * len(ids)) or "NULL"
    order = " ".join(f"WHEN {pk} THEN {n}" for n, pk in enumerate(ids)) or "WHEN 0 THEN 0"
    table = Project._meta.db_table
    lookup = (f"SELECT id FROM {table} WHERE id IN ({marks}) ORDER BY CASE id {order} END", ids)
    return search, lookup, found


def plan(statement: Statement) -> str:
    """The statement's plan as the database runs it: `EXPLAIN ANALYZE` on PostgreSQL, `EXPLAIN QUERY PLAN` on
    SQLite."""
    from django.db import connection

    sql, params = statement
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join("  " + " | ".join(str(c) for c in row) for row in cursor.fetchall())


def run(sizes: list[int], runs: int, *, explain: bool = False) -> list[dict]:
    from django.test import Client

    ctx, user, bearer = demo_city()
    client = Client()
    client.force_login(user)
    floors = {
        "page_floor": get_ok(client, "/notifications/"),
        "api_floor": get_ok(client, "/api/v1/me", bearer),
    }
    results, batch = [], 0
    for size in sorted(sizes):
        started = time.perf_counter()
        batch = generate(ctx, size - 1, batch)
        add_target(ctx)
        analyze()
        print(f"{size:>7} projects generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        for label, q in CASES:
            search, lookup, found = case_sql(user, q)
            if explain:
                print(f"-- {label} ({q}): the page, then the count\n" + plan(search[0]), file=sys.stderr)
                print(plan(search[1]), file=sys.stderr)
            timed = {
                "search_sql": run_sql(*search),
                "lookup_sql": run_sql(lookup),
                "page": get_ok(client, f"/projects/?q={quote(q)}"),
                "api": get_ok(client, f"/api/v1/projects?limit=50&q={quote(q)}", bearer),
                **floors,
            }
            medians = medians_in_turns(timed, runs)
            results.append(
                {
                    "projects": size,
                    "case": label,
                    "q": q,
                    "found": found,
                    **{f"{k}_ms": v for k, v in medians.items()},
                }
            )
            print(f"  {label}: {found} found", file=sys.stderr)
    return results


def report(rows: list[dict], runs: int) -> None:
    print(f"\nDatabase: {database()}; machine: {machine()}; median of {runs} runs")
    print(
        "| projects | case | q | found | search SQL (ms) | plain lookup (ms) | ÷ lookup "
        "| page (ms) | ÷ page floor | API (ms) | ÷ API floor |"
    )
    print("| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['projects']:,} | {row['case']} | `{row['q']}` | {row['found']:,} "
            f"| {row['search_sql_ms']:.2f} | {row['lookup_sql_ms']:.2f} "
            f"| {row['search_sql_ms'] / row['lookup_sql_ms']:.1f} "
            f"| {row['page_ms']:.1f} | {row['page_ms'] / row['page_floor_ms']:.1f} "
            f"| {row['api_ms']:.1f} | {row['api_ms'] / row['api_floor_ms']:.1f} |"
        )
    write_results("search", {"runs": runs, "rows": rows})


if __name__ == "__main__":
    main()
