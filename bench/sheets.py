"""The import of a project list at scale: 20,000 rows checked and written, against reading the same file with
openpyxl alone.

It builds the demo city's regions, organisations and accounts, then a workbook of N new projects (20,000 by
default) in the import's columns, as an office would send it: a title row, the header, the projects of every
county with their owners, amounts, dates, funding sources and stages. As the city office (`city`) it then times,
in turns:

- **openpyxl alone** — the floor: the workbook opened read-only and every row's values read
  (`load_workbook(read_only=True, data_only=True)`, `iter_rows(values_only=True)`), nothing done with them;
- **the dry run** — `sheets.services.projects_import(dry_run=True)`: the rows found under their headers, read,
  matched, and each checked by the project form's rules, nothing written;
- **the import** — the same, then every project created through `projects.services.project_create` (its history
  row and events) in one transaction; each turn on a fresh copy of the database without the projects. Its events
  queue one refresh of the warnings of every project, which the test settings run at once, at the commit (in
  production, the task worker runs it afterwards): its time is given apart, and the import's without it.

The import's figure is given as a multiple of openpyxl's. `--quick` imports 1,000 rows in 2 turns.

    .venv/bin/python bench/sheets.py [--rows 20000] [--runs 3] [--quick]
"""

import argparse
import datetime
import io
import random
import statistics
import sys
import time
from decimal import Decimal
from typing import Any

from runner import (
    database,
    database_copy,
    drop_database_copy,
    machine,
    throwaway_database,
    use_database,
    write_results,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="1,000 rows, 2 turns")
    args = parser.parse_args()
    rows, runs = (1_000, 2) if args.quick else (args.rows, args.runs)
    with throwaway_database("keyprojects_bench_sheets"):
        report(run(rows=rows, runs=runs))


def workbook(ctx: Any, *, rows: int, rng: random.Random) -> bytes:
    """A project list of `rows` new projects of the city, in the import's columns (a title row above)."""
    from openpyxl import Workbook

    from keyprojects.accounts.models import Organization, Region
    from keyprojects.projects.models import Category, FundingSource, Level, Nature, Stage
    from keyprojects.sheets.columns import EXPORTED

    counties = list(Region.objects.filter(city=ctx.tenant).exclude(kind=Region.Kind.CITY))
    owners = {
        county.pk: list(Organization.objects.filter(city=ctx.tenant, kind=Organization.Kind.ENTERPRISE))
        for county in counties
    }
    book = Workbook(write_only=True)
    sheet = book.create_sheet("项目清单")
    sheet.append([f"{ctx.tenant.name}{ctx.year}年重点项目清单"])
    headers = [str(c.header) for c in EXPORTED]
    sheet.append(headers)
    keys = [c.key for c in EXPORTED]
    funding = [str(label) for _value, label in FundingSource.choices]
    for number in range(1, rows + 1):
        county = rng.choice(counties)
        total = Decimal(rng.randint(500, 500_000))
        start = datetime.date(ctx.year, rng.randint(1, 12), 1)
        values = {
            "number": number,
            "name": f"基准导入项目{number:05d}",
            "region": county.name,
            "level": str(rng.choice([Level.MUNICIPAL.label, Level.COUNTY.label])),
            "category": str(rng.choice(Category.labels)),
            "year": ctx.year,
            "nature": str(Nature.NEW.label),
            "industry": rng.choice(["化工", "装备制造", "食品", "物流"]),
            "owner": rng.choice(owners[county.pk]).name,
            "location": f"{county.name}经济开发区",
            "scope": "新建厂房及配套设施,购置生产设备",
            "land_area": rng.randint(10, 800),
            "planned_start": start,
            "planned_end": start.replace(year=ctx.year + rng.randint(1, 3)),
            "total_investment": total,
            "annual_investment": (total * Decimal(rng.randint(10, 60)) / 100).quantize(Decimal("0.01")),
            "funding_sources": "、".join(rng.sample(funding, rng.randint(1, 2))),
            "contact_name": "张工",
            "contact_phone": f"1380635{number:04d}"[-11:],
            "stage": str(rng.choice([Stage.PLANNING.label, Stage.PREPARATION.label])),
        }
        sheet.append([values.get(key) for key in keys])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def openpyxl_alone(content: bytes) -> int:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    count = 0
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            count += 1
    return count


def watch_the_warnings_refresh(spent: list[float]) -> None:
    """Time the warnings' refresh of every project that the import's events queue: the test settings run
    tasks at once, at the commit, inside the import's time; in production the task worker runs it later."""
    from keyprojects.alerts import tasks

    refresh = tasks.warnings_refresh

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return refresh(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    tasks.warnings_refresh = timed  # type: ignore[assignment]


def run(*, rows: int, runs: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from keyprojects.demo import city
    from keyprojects.demo.steps import DemoContext
    from keyprojects.projects.models import Project
    from keyprojects.sheets.services import projects_import

    ctx = DemoContext(today=timezone.localdate(), password="Bench-pass-1")
    city.load(ctx)
    content = workbook(ctx, rows=rows, rng=random.Random("bench:sheets"))
    office = ctx.office_user
    print(f"workbook of {rows:,} rows, {len(content) / 1e6:.1f} MB", file=sys.stderr)
    base = connection.settings_dict["NAME"]

    refreshing: list[float] = []
    watch_the_warnings_refresh(refreshing)
    times: dict[str, list[float]] = {"openpyxl": [], "dry_run": [], "import": [], "refresh": []}
    for turn in range(runs):
        start = time.perf_counter()
        read = openpyxl_alone(content)
        times["openpyxl"].append(time.perf_counter() - start)

        start = time.perf_counter()
        checked = projects_import(user=office, content=content, dry_run=True)
        times["dry_run"].append(time.perf_counter() - start)
        assert checked.ok and checked.created == rows, checked.errors[:5]

        copy = database_copy(f"turn{turn}")
        use_database(copy)
        try:
            refreshing.clear()
            start = time.perf_counter()
            done = projects_import(user=office, content=content)
            times["import"].append(time.perf_counter() - start)
            times["refresh"].append(sum(refreshing))
            assert done.ok and done.created == rows == Project.objects.filter(city=ctx.tenant).count()
        finally:
            use_database(base)
            drop_database_copy(copy)
        print(
            f"turn {turn + 1}: openpyxl {times['openpyxl'][-1]:.2f} s ({read:,} rows), dry run "
            f"{times['dry_run'][-1]:.1f} s, import {times['import'][-1]:.1f} s "
            f"(of which the warnings' refresh {times['refresh'][-1]:.1f} s)",
            file=sys.stderr,
        )
    times["written"] = [total - spent for total, spent in zip(times["import"], times["refresh"], strict=True)]
    return {
        "rows": rows,
        "runs": runs,
        "bytes": len(content),
        **{f"{k}_s": statistics.median(v) for k, v in times.items()},
    }


def report(row: dict) -> None:
    print(f"\nDatabase: {database()}; machine: {machine()}; median of {row['runs']} turns")
    print(f"{row['rows']:,} rows, {row['bytes'] / 1e6:.1f} MB\n")
    print("| work | time (s) | rows per second | ÷ openpyxl alone |")
    print("| --- | ---: | ---: | ---: |")
    floor = row["openpyxl_s"]
    for name, label in (
        ("openpyxl", "openpyxl alone: open read-only, read every row"),
        ("dry_run", "dry run: header, rows read, matched, checked by the form's rules"),
        ("import", "import: the dry run's work, then every project created in one transaction"),
        ("refresh", "… of which the warnings' refresh at the commit (a background task in production)"),
        ("written", "import without that refresh"),
    ):
        seconds = row[f"{name}_s"]
        print(f"| {label} | {seconds:.2f} | {row['rows'] / seconds:,.0f} | {seconds / floor:.1f} |")
    write_results("sheets", row)


if __name__ == "__main__":
    main()
