"""List-page and list-API latency at 10,000 and 100,000 projects.

Each figure is the median of N runs, printed beside the plain SQL that fetches the same rows (a raw cursor
SELECT of the first 50 projects in the list's order, with their region and owner, plus the totals
aggregate) in the same run, and as a ratio to it. The data lives in a throwaway database: a temporary
SQLite file, or, when DATABASE_URL is given, a temporary database on that PostgreSQL server.

    .venv/bin/python bench/list_latency.py [--sizes 10000 100000] [--runs 15]
"""

import random
import sys
import time
from collections.abc import Callable

from runner import bench_main, database, machine, median_ms, write_results

BATCH = 400


def main() -> None:
    bench_main(__doc__ or "", "keyprojects_bench", run, report, runs=15)


def run(sizes: list[int], runs: int) -> list[dict]:
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import Resolver404, resolve
    from django.utils import timezone

    from keyprojects.accounts.models import ApiToken, Organization, Region, User
    from keyprojects.demo import city
    from keyprojects.demo.projects import build_specs, project_owners
    from keyprojects.demo.steps import DemoContext
    from keyprojects.projects.models import Project
    from keyprojects.projects.services import project_search_text

    ctx = DemoContext(today=timezone.localdate(), password="Bench-pass-1")
    city.load(ctx)
    user = User.objects.get(username="city")
    client = Client()
    client.force_login(user)
    _token, raw = ApiToken.issue(user=user, name="bench")
    project, region, org = (m._meta.db_table for m in (Project, Region, Organization))
    rows_sql = (
        f"SELECT p.id, p.code, p.name, p.level, p.category, p.stage, p.pipeline, p.year, p.total_investment, "
        f"p.annual_investment, p.planned_start, p.planned_end, p.actual_start, p.actual_end, p.version, "
        f"r.code, r.name, o.name FROM {project} p JOIN {region} r ON r.id = p.region_id "
        f"LEFT JOIN {org} o ON o.id = p.owner_id ORDER BY p.total_investment DESC, p.id LIMIT 50"
    )
    totals_sql = f"SELECT COUNT(*), COALESCE(SUM(total_investment), 0), COALESCE(SUM(annual_investment), 0) FROM {project}"

    def plain_sql() -> None:
        with connection.cursor() as cursor:
            cursor.execute(rows_sql)
            assert len(cursor.fetchall()) == 50
            cursor.execute(totals_sql)
            cursor.fetchone()

    def endpoint(url: str, **headers: str) -> Callable[[], object] | None:
        """A request to time, or None when the route does not exist yet (it is being written)."""
        try:
            resolve(url.partition("?")[0])
        except Resolver404:
            return None

        def get() -> None:
            response = client.get(url, headers=headers)
            assert response.status_code == 200, (url, response.status_code)

        return get

    page = endpoint("/projects/")
    api = endpoint("/api/v1/projects?limit=50", authorization=f"Bearer {raw}")

    results = []
    batch, serial = 0, 0
    for size in sorted(sizes):
        started = time.perf_counter()
        while Project.objects.count() < size:
            specs = build_specs(ctx.place, random.Random(f"bench:{batch}"), ctx.year, ctx.today)[
                : size - Project.objects.count()
            ]
            owners = project_owners(ctx, specs)
            new = []
            for spec in specs:
                if spec.fields.get("code"):
                    serial += 1
                    spec.fields["code"] = (
                        f"{spec.fields['code'][:15]}{serial // 100000:02d}-{serial % 100000:05d}0"
                    )
                item = Project(
                    owner=owners[spec.owner_name], region=ctx.regions[spec.county.code], **spec.fields
                )
                item.search_text = project_search_text(item)
                new.append(item)
            with transaction.atomic():
                Project.objects.bulk_create(new, batch_size=1000)
            batch += 1
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"{size:>7} projects generated in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        sql_ms = median_ms(plain_sql, runs)
        page_ms = median_ms(page, runs) if page else None
        api_ms = median_ms(api, runs) if api else None
        results.append({"projects": size, "sql_ms": sql_ms, "page_ms": page_ms, "api_ms": api_ms})
    return results


def report(rows: list[dict], runs: int) -> None:
    print(f"\nDatabase: {database()}; machine: {machine()}; median of {runs} runs")
    print("| projects | plain SQL (ms) | list page (ms) | page ÷ SQL | list API (ms) | API ÷ SQL |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        cells = [f"{row['projects']:,}", f"{row['sql_ms']:.2f}"]
        for key in ("page_ms", "api_ms"):
            value = row[key]
            cells += [f"{value:.1f}", f"{value / row['sql_ms']:.1f}"] if value else ["—", "(no route yet)"]
        print(f"| {' | '.join(cells)} |")
    write_results("list_latency", {"runs": runs, "rows": rows})


if __name__ == "__main__":
    main()
