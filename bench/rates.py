"""The three rates for the whole city at 10,000 and 100,000 projects, with 12 months of reports each.

Each figure is the median of N runs of the metrics selector (开工率, 纳统率, 投资完成率 as of a date,
exactly as the page and the API compute them), printed beside one hand-written SQL statement that
computes the same figures in the same run, and as a ratio to it; the script checks both give the same
numbers. The data is a list year that is over (so that the as-of date matters: reports accepted after
it, and corrections accepted after it, must not count) in a throwaway database: a temporary SQLite
file, or, when DATABASE_URL is given, a temporary database on that PostgreSQL server.

    .venv/bin/python bench/rates.py [--sizes 10000 100000] [--runs 9]
"""

import datetime
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from runner import bench_main, database, machine, median_ms, write_results

YEAR = 2025
AS_OF = datetime.date(YEAR, 10, 31)
CENT = Decimal("0.01")


def main() -> None:
    bench_main(__doc__ or "", "keyprojects_bench_rates", run, report, runs=9)


def rates_sql(*, group: str | None = None, city_id: int | None = None, per_project: bool = True) -> str:
    """The figures of the rates in one statement, written by hand: the four project counts (started and
    implementation projects, included and due for inclusion), the annual plan and the completed
    investment in one pass over the year's list, each project's investment summed from its figures in
    force on the date (`FigureInForce`, the table the platform keeps) through the covering index on
    (project, month, …); for one city (`city_id`) or every city, and per `group` (a project column:
    "city_id", "region_id") or in one row; without `per_project`, the counts and the plan alone.
    Parameters: `rates_params`."""
    from keyprojects.inclusion.models import StatisticsInclusion
    from keyprojects.progress.models import FigureInForce
    from keyprojects.projects.models import Project

    project, figure, inclusion = (m._meta.db_table for m in (Project, FigureInForce, StatisticsInclusion))
    city = f" AND p.city_id = {int(city_id)}" if city_id is not None else ""
    key, grouped = (f"p.{group}, ", f"GROUP BY p.{group}") if group else ("", "")
    completed = (
        ""
        if not per_project
        else f"""
          , COALESCE(SUM((SELECT SUM(f.total)
                            FROM {figure} f
                           WHERE f.project_id = p.id
                             AND f.month >= %(first)s AND f.month <= %(last)s
                             AND f.in_force_from <= %(as_of)s
                             AND (f.in_force_until IS NULL OR f.in_force_until > %(as_of)s))), 0)"""
    )
    return f"""
        SELECT {key}
          COUNT(CASE WHEN p.list_kind = 'implementation' AND p.actual_start <= %(as_of)s THEN 1 END),
          COUNT(CASE WHEN p.list_kind = 'implementation' THEN 1 END),
          COUNT(CASE WHEN p.actual_start <= %(as_of)s AND p.total_investment >= %(threshold)s
                      AND s.included_on <= %(as_of)s THEN 1 END),
          COUNT(CASE WHEN p.actual_start <= %(as_of)s AND p.total_investment >= %(threshold)s THEN 1 END),
          COALESCE(SUM(p.annual_investment), 0){completed}
        FROM {project} p
        LEFT JOIN {inclusion} s ON s.city_id = p.city_id AND s.project_id = p.id
        WHERE p.year = %(year)s AND p.pipeline = 'scheduled' AND p.stage <> 'withdrawn'{city}
        {grouped}
    """


def rates_params(city_id: int | None) -> dict:
    """The parameters of `rates_sql`: the date, the year and the inclusion threshold of the city (or the
    province's)."""
    from keyprojects.inclusion.selectors import inclusion_threshold

    return {
        "as_of": AS_OF,
        "year": YEAR,
        "first": datetime.date(YEAR, 1, 1),
        "last": datetime.date(YEAR, 12, 31),
        "threshold": inclusion_threshold(city_id),
    }


def six_figures(m: Any) -> tuple:
    """What the rates' SQL and the metrics selector are compared on: the numerators and denominators of
    the start and statistics rates, the annual plan and the completed investment to the cent."""
    return (
        m.start_rate.numerator,
        m.start_rate.denominator,
        m.statistics_rate.numerator,
        m.statistics_rate.denominator,
        Decimal(m.investment_rate.denominator).quantize(CENT),
        Decimal(m.investment_rate.numerator).quantize(CENT),
    )


def six_figures_of_row(row: tuple) -> tuple:
    """The same six figures from a row of `rates_sql` (the four counts, the plan, the investment)."""
    *counts, plan, completed = row
    return (*counts, Decimal(str(plan)).quantize(CENT), Decimal(str(completed)).quantize(CENT))


def generate(target: int, *, city: Any, user: Any, rng: random.Random, months: int = 12) -> None:
    """Bring `city` (a city region) up to `target` list projects, each with a monthly report for each of the
    year's first `months` months (some corrected), submitted and accepted by `user` (its city office)."""
    from django.db import transaction
    from django.utils import timezone

    from keyprojects.accounts.models import Organization, Region
    from keyprojects.inclusion.models import StatisticsInclusion
    from keyprojects.progress.in_force import figures_of
    from keyprojects.progress.models import DispatchRound, FigureInForce, MonthlyReport
    from keyprojects.projects.models import Category, Level, ListKind, Pipeline, Project, ProjectEvent, Stage

    counties = list(Region.objects.filter(city=city).exclude(kind=Region.Kind.CITY))
    owners = list(Organization.objects.filter(city=city, kind=Organization.Kind.ENTERPRISE)[:50])
    rounds = {}
    for month in range(1, months + 1):
        rounds[month], _ = DispatchRound.objects.get_or_create(
            city=city,
            year=YEAR,
            month=month,
            defaults={
                "title": f"{YEAR}年第{month}期",
                "opens_on": datetime.date(YEAR, month, 20),
                "closes_on": datetime.date(YEAR, month, 28),
            },
        )

    def at(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))

    while (have := Project.objects.filter(city=city).count()) < target:
        chunk = min(5000, target - have)
        projects = []
        for i in range(chunk):
            start = (
                datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28)) if rng.random() < 0.8 else None
            )
            projects.append(
                Project(
                    name=f"基准项目{have + i}",
                    region=rng.choice(counties),
                    owner=rng.choice(owners),
                    level=rng.choice(Level.values),
                    category=rng.choice(Category.values),
                    total_investment=Decimal(rng.randint(100, 500_000)),
                    annual_investment=Decimal(rng.randint(0, 50_000)),
                    pipeline=Pipeline.SCHEDULED if rng.random() < 0.95 else Pipeline.RESERVE,
                    list_kind=ListKind.IMPLEMENTATION if rng.random() < 0.85 else ListKind.PREPARATION,
                    stage=(Stage.NEW_START if start else Stage.PREPARATION)
                    if rng.random() < 0.98
                    else Stage.WITHDRAWN,
                    year=YEAR,
                    planned_start=datetime.date(YEAR, rng.randint(1, 12), 1),
                    actual_start=start,
                )
            )
        with transaction.atomic():
            Project.objects.bulk_create(projects, batch_size=1000)
            made = projects  # bulk_create sets their ids (RETURNING on SQLite and PostgreSQL)
            inclusions = [
                StatisticsInclusion(
                    project=p, included_on=p.actual_start + datetime.timedelta(days=rng.randint(0, 90))
                )
                for p in made
                if p.actual_start and rng.random() < 0.8
            ]
            StatisticsInclusion.objects.bulk_create(inclusions, batch_size=2000)
            reports = []
            corrections = []
            for p in made:
                for month in range(1, months + 1):
                    first = datetime.date(YEAR, month, 1)
                    amount = Decimal(rng.randint(0, 5000))
                    reviewed = first + datetime.timedelta(days=rng.randint(32, 40))
                    corrected = rng.random() < 0.05
                    reports.append(
                        MonthlyReport(
                            project=p,
                            dispatch_round=rounds[month],
                            month=first,
                            status=MonthlyReport.Status.ACCEPTED,
                            construction=amount,
                            total=amount,
                            version=1,
                            is_current=not corrected,
                            submitted_by=user,
                            submitted_at=at(first + datetime.timedelta(days=25)),
                            reviewed_by=user,
                            reviewed_at=at(reviewed),
                        )
                    )
                    if corrected:
                        fixed = amount + Decimal(rng.randint(1, 500))
                        corrections.append(
                            MonthlyReport(
                                project=p,
                                dispatch_round=rounds[month],
                                month=first,
                                status=MonthlyReport.Status.ACCEPTED,
                                construction=fixed,
                                total=fixed,
                                version=2,
                                correction_reason="更正",
                                submitted_by=user,
                                submitted_at=at(reviewed),
                                reviewed_by=user,
                                reviewed_at=at(reviewed + datetime.timedelta(days=rng.randint(1, 60))),
                            )
                        )
            MonthlyReport.objects.bulk_create(reports, batch_size=2000)
            MonthlyReport.objects.bulk_create(corrections, batch_size=2000)
            loaded = sorted(reports + corrections, key=lambda r: (r.project_id, r.month))
            FigureInForce.objects.bulk_create(figures_of(loaded), batch_size=2000)
            created_at = ProjectEvent._meta.get_field("created_at")
            created_at.auto_now_add = False  # type: ignore[attr-defined]  # dated history, not stamped now
            try:
                ProjectEvent.objects.bulk_create(history(made, user, rng, at), batch_size=2000)
            finally:
                created_at.auto_now_add = True  # type: ignore[attr-defined]


def history(projects: list, user: Any, rng: random.Random, at: Callable[[datetime.date], Any]) -> list:
    """Each project's creation, before the list year; and for 1% of them an annual plan raised after
    the as-of date and put back later, so that the selector rebuilds them as of the date (and the
    figures stay those of the hand-written SQL, which reads the current values)."""
    from keyprojects.projects.events import event_value
    from keyprojects.projects.models import ProjectEvent

    events = []
    for p in projects:
        events.append(
            ProjectEvent(
                project=p,
                kind=ProjectEvent.Kind.CREATED,
                actor=user,
                created_at=at(datetime.date(YEAR - 1, 12, rng.randint(1, 28))),
            )
        )
        if rng.random() < 0.01:
            plan, raised = p.annual_investment, p.annual_investment + 1000
            for days, old, new in ((5, plan, raised), (20, raised, plan)):
                events.append(
                    ProjectEvent(
                        project=p,
                        kind=ProjectEvent.Kind.UPDATED,
                        field="annual_investment",
                        old=event_value("annual_investment", old),
                        new=event_value("annual_investment", new),
                        actor=user,
                        created_at=at(AS_OF + datetime.timedelta(days=days)),
                    )
                )
    return events


def run(sizes: list[int], runs: int) -> list[dict]:
    from django.db import connection
    from django.utils import timezone

    from keyprojects.accounts.models import User
    from keyprojects.demo import city
    from keyprojects.demo.steps import DemoContext
    from keyprojects.metrics.selectors import MetricsQuery, metrics
    from keyprojects.progress.models import MonthlyReport
    from keyprojects.projects.selectors import ProjectFilters

    ctx = DemoContext(today=timezone.localdate(), password="Bench-pass-1")
    city.load(ctx)
    user = User.objects.get(username="city")
    query = MetricsQuery.build(
        as_of=AS_OF, filters=ProjectFilters(year=YEAR), start_basis="list", time_basis="day"
    )
    sql, params = rates_sql(city_id=user.city_id), rates_params(user.city_id)
    rng = random.Random("bench:rates")

    def selector() -> tuple:
        return six_figures(metrics(user=user, query=query))

    def plain_sql() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return six_figures_of_row(cursor.fetchone())

    results = []
    for size in sorted(sizes):
        started = time.perf_counter()
        generate(size, city=ctx.tenant, user=user, rng=rng)
        reports = MonthlyReport.objects.count()
        print(
            f"{size:>7} projects, {reports} reports generated in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        mine, theirs = selector(), plain_sql()
        if mine != theirs:
            raise SystemExit(f"the selector and the SQL disagree at {size} projects: {mine} != {theirs}")
        sql_ms = median_ms(plain_sql, runs)
        selector_ms = median_ms(selector, runs)
        results.append(
            {
                "projects": size,
                "reports": reports,
                "sql_ms": sql_ms,
                "selector_ms": selector_ms,
                "figures": str(mine),
            }
        )
    return results


def report(rows: list[dict], runs: int) -> None:
    print(f"\nDatabase: {database()}; machine: {machine()}; median of {runs} runs; as of {AS_OF}")
    print("| projects | monthly reports | hand-written SQL (ms) | metrics selector (ms) | selector ÷ SQL |")
    print("| ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        print(
            f"| {row['projects']:,} | {row['reports']:,} | {row['sql_ms']:.1f} | {row['selector_ms']:.1f} "
            f"| {row['selector_ms'] / row['sql_ms']:.2f} |"
        )
    write_results("rates", {"runs": runs, "rows": rows})


if __name__ == "__main__":
    main()
