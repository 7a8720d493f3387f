"""A city's pages with one city on the install, then with sixteen: a city's figures must not grow with the
other cities' data.

First the demo province with 聊城 alone, with N generated projects (6,250 by default) and their monthly reports;
as the city office (`city`) it times the project list, the rates page and API, and a project page. Then it adds
15 more Shandong cities with N projects each (16 × 6,250 = 100,000), times the same requests for the same city
office again, and prints each as a ratio (16 cities ÷ 1 city; the goal is at most 1.2). Last, as the province
office (`province`), it times the rates by city (the selector and the page that compare the cities) against one
hand-written SQL aggregate of the same figures, after checking that both give the same numbers for every city.

    .venv/bin/python bench/tenants.py [--per-city 6250] [--cities 16] [--months 12] [--runs 3] [--rounds 3]
"""

import argparse
import datetime
import random
import statistics
import sys
import time
from decimal import Decimal
from typing import Any

from rates import AS_OF, CENT, YEAR, generate
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


# The stack's own floor, measured in the same turns: a signed-in page of the same layout with nothing to
# show (the notifications of a user who has none) and a signed-in API endpoint with nothing to compute.
PAGE_FLOOR = "stack floor: empty page `GET /notifications/`"
API_FLOOR = "stack floor: API `GET /api/v1/me`"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--per-city", type=int, default=6_250, help="projects per city")
    parser.add_argument("--cities", type=int, default=16, help="cities in the second measurement")
    parser.add_argument("--months", type=int, default=12, help="monthly reports per project")
    parser.add_argument("--runs", type=int, default=3, help="runs of each request per turn")
    parser.add_argument("--rounds", type=int, default=3, help="turns of each database")
    args = parser.parse_args()
    with throwaway_database("keyprojects_bench_tenants"):
        result = run(
            per_city=args.per_city, cities=args.cities, months=args.months, runs=args.runs, rounds=args.rounds
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
        departments=[],
        enterprises=[
            (f"e{i}", f"{short}基准{i}号实业有限公司", f"{short}基准{i}号", counties[i % len(counties)].code)
            for i in range(6)
        ],
        owner_prefix=f"owner-{prefix}-",
        county_share={county.code: 1 for county in counties},
        abbr=short[0],
    )


def build(place: Any, *, per_city: int, months: int, today: datetime.date) -> Any:
    """The city's regions, organisations and accounts (the demo's loader), then its projects and reports;
    the context it was built with."""
    from keyprojects.demo import city
    from keyprojects.demo.steps import DemoContext

    ctx = DemoContext(today=today, password="Bench-pass-1", place=place)
    city.load(ctx)
    generate(
        per_city, city=ctx.tenant, user=ctx.office_user, rng=random.Random(ctx.place.seed), months=months
    )
    return ctx


def by_city_sql() -> str:
    """The province's figures per city in one statement, written by hand: the four project counts and
    the annual plan in one pass over the year's list, and each city's completed investment from the
    figures in force on the date (`FigureInForce`, the table the platform keeps), grouped by city."""
    from keyprojects.inclusion.models import StatisticsInclusion
    from keyprojects.progress.models import FigureInForce
    from keyprojects.projects.models import Project

    project, figure, inclusion = (m._meta.db_table for m in (Project, FigureInForce, StatisticsInclusion))
    on_list = "year = %(year)s AND pipeline = 'scheduled' AND stage <> 'withdrawn'"
    return f"""
        SELECT
          p.city_id,
          COUNT(CASE WHEN p.list_kind = 'implementation' AND p.actual_start <= %(as_of)s THEN 1 END),
          COUNT(CASE WHEN p.list_kind = 'implementation' THEN 1 END),
          COUNT(CASE WHEN p.actual_start <= %(as_of)s AND p.total_investment >= %(threshold)s
                      AND s.included_on <= %(as_of)s THEN 1 END),
          COUNT(CASE WHEN p.actual_start <= %(as_of)s AND p.total_investment >= %(threshold)s THEN 1 END),
          COALESCE(SUM(p.annual_investment), 0),
          COALESCE(MAX(c.total), 0)
        FROM {project} p
        LEFT JOIN {inclusion} s ON s.project_id = p.id
        LEFT JOIN (
          SELECT f.city_id, SUM(f.total) AS total
            FROM {figure} f
           WHERE f.project_id IN (SELECT q.id FROM {project} q WHERE q.{on_list.replace(" AND ", " AND q.")})
             AND f.month >= %(first)s AND f.month <= %(last)s
             AND f.in_force_from <= %(as_of)s
             AND (f.in_force_until IS NULL OR f.in_force_until > %(as_of)s)
           GROUP BY f.city_id
        ) c ON c.city_id = p.city_id
        WHERE p.{on_list.replace(" AND ", " AND p.")}
        GROUP BY p.city_id
    """


def measure(
    client: Any, urls: dict[str, str], databases: dict[str, str], runs: int, rounds: int, **headers: str
) -> dict[str, dict[str, dict]]:
    """Each URL's median time and number of queries (which must not change with the other cities) on each
    database. The databases take turns, `rounds` times, each with a warm-up and `runs` runs of every URL, so
    that the load of a shared machine falls on both alike."""
    from django.db import connection

    def get(url: str) -> None:
        response = client.get(url, headers=headers if url.startswith("/api/") else {})
        assert response.status_code == 200, (url, response.status_code)

    times: dict[str, dict[str, list[float]]] = {db: {name: [] for name in urls} for db in databases}
    for turn in range(rounds):
        order = list(databases) if turn % 2 == 0 else list(reversed(databases))
        for db in order:
            use_database(databases[db])
            for name, url in urls.items():
                times[db][name] += timings_ms(lambda url=url: get(url), runs)
    figures: dict[str, dict[str, dict]] = {}
    for db, name_of_db in databases.items():
        use_database(name_of_db)
        figures[db] = {}
        for name, url in urls.items():
            queries: list[str] = []

            def count(execute: Any, sql: str, *args: Any, queries: list[str] = queries) -> Any:
                queries.append(sql)
                return execute(sql, *args)

            with connection.execute_wrapper(count):  # once more, warm (a token's last use is already noted)
                get(url)
            figures[db][name] = {
                "url": url,
                "ms": statistics.median(times[db][name]),
                "fastest_ms": min(times[db][name]),
                "queries": len(queries),
            }
    return figures


def run(*, per_city: int, cities: int, months: int, runs: int, rounds: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from keyprojects.accounts.models import ApiToken, Region, User
    from keyprojects.demo.city import LIAOCHENG
    from keyprojects.inclusion.selectors import inclusion_threshold
    from keyprojects.metrics.selectors import MetricsQuery, metrics_by_city
    from keyprojects.progress.models import MonthlyReport
    from keyprojects.projects.models import Project
    from keyprojects.projects.selectors import ProjectFilters

    today = timezone.localdate()

    def timed_build(places: list, label: str) -> float:
        started = time.perf_counter()
        for place in places:
            build(place, per_city=per_city, months=months, today=today)
        analyze()
        took = time.perf_counter() - started
        print(
            f"{label}: {Project.objects.count():,} projects, {MonthlyReport.objects.count():,} reports "
            f"built in {took:.0f} s",
            file=sys.stderr,
        )
        return took

    build_s = [timed_build([LIAOCHENG], "1 city")]
    liaocheng = Region.objects.get(code=LIAOCHENG.code)
    office = User.objects.get(username=LIAOCHENG.office_username)
    client = Client()
    client.force_login(office)
    _token, raw = ApiToken.issue(user=office, name="bench")
    project = Project.objects.filter(city=liaocheng).order_by("id").first()
    assert project is not None
    urls = {
        "project list `GET /projects/`": "/projects/",
        "rates page `GET /metrics/`": f"/metrics/?{RATES_QUERY}",
        "rates API `GET /api/v1/metrics`": f"/api/v1/metrics?{RATES_QUERY}",
        "project page `GET /projects/<id>/`": f"/projects/{project.pk}/",
        PAGE_FLOOR: "/notifications/",
        API_FLOOR: "/api/v1/me",
    }
    auth = {"authorization": f"Bearer {raw}"}
    one_city = {"projects": Project.objects.count(), "reports": MonthlyReport.objects.count()}
    # The city alone is kept as a copy (with the session and the token), so that both are timed in turns.
    main_db = connection.settings_dict["NAME"]
    alone_db = database_copy("one_city")

    others = [demo_city(code, name) for code, name in CITIES[: cities - 1]]
    build_s.append(timed_build(others, f"{cities} cities"))
    many_cities = {"projects": Project.objects.count(), "reports": MonthlyReport.objects.count()}
    try:
        timed = measure(client, urls, {"alone": alone_db, "together": main_db}, runs, rounds, **auth)
    finally:
        use_database(main_db)
        drop_database_copy(alone_db)
    alone, together = timed["alone"], timed["together"]

    # The province office's comparison of cities, against one hand-written aggregate.
    province = User.objects.get(username="province")
    query = MetricsQuery.build(
        as_of=AS_OF, filters=ProjectFilters(year=YEAR), start_basis="list", time_basis="day"
    )
    sql = by_city_sql()
    params = {
        "as_of": AS_OF,
        "year": YEAR,
        "first": datetime.date(YEAR, 1, 1),
        "last": datetime.date(YEAR, 12, 31),
        "threshold": inclusion_threshold(None),
    }
    code_of = dict(Region.objects.filter(kind=Region.Kind.CITY).values_list("pk", "code"))

    def selector() -> dict[str, tuple]:
        table = metrics_by_city(user=province, query=query)
        return {
            row.region.code: (
                row.metrics.start_rate.numerator,
                row.metrics.start_rate.denominator,
                row.metrics.statistics_rate.numerator,
                row.metrics.statistics_rate.denominator,
                Decimal(row.metrics.investment_rate.denominator).quantize(CENT),
                Decimal(row.metrics.investment_rate.numerator).quantize(CENT),
            )
            for row in table.rows
        }

    def plain_sql() -> dict[str, tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return {
            code_of[row[0]]: (
                *row[1:5],
                Decimal(str(row[5])).quantize(CENT),
                Decimal(str(row[6])).quantize(CENT),
            )
            for row in rows
        }

    mine, theirs = selector(), plain_sql()
    if mine != theirs or len(mine) != cities:
        raise SystemExit(f"the selector and the SQL disagree:\n{mine}\n{theirs}")
    province_client = Client()
    province_client.force_login(province)
    province_urls = {"page": f"/metrics/?{RATES_QUERY}", PAGE_FLOOR: "/notifications/"}
    province_pages = measure(province_client, province_urls, {"together": main_db}, runs, rounds)["together"]
    page = province_pages["page"]
    by_city = {
        "sql_ms": median_ms(plain_sql, runs * rounds),
        "selector_ms": median_ms(selector, runs * rounds),
        "page_ms": page["ms"],
        "page_queries": page["queries"],
        "floor_ms": province_pages[PAGE_FLOOR]["ms"],
        "figures": {code: [str(v) for v in values] for code, values in mine.items()},
    }
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


def report(result: dict) -> None:
    one, many, runs = result["one_city"], result["many_cities"], result["runs"] * result["rounds"]
    print(
        f"\nDatabase: {database()}; machine: {machine()}; median of {runs} runs "
        f"({result['rounds']} turns of {result['runs']}); as of {AS_OF}"
    )
    print(
        f"Built: 1 city, {one['projects']:,} projects and {one['reports']:,} reports in {result['build_s'][0]:.0f} s; "
        f"{result['cities']} cities, {many['projects']:,} projects and {many['reports']:,} reports "
        f"in {result['build_s'][1]:.0f} s more\n"
    )
    print(f"The city office of 聊城 (`city`), {result['per_city']:,} projects of its own:\n")
    print(
        f"| request | 1 city (ms) | {result['cities']} cities (ms) | {result['cities']} ÷ 1 "
        f"| fastest run: {result['cities']} ÷ 1 | queries (1 / {result['cities']}) | ÷ stack floor |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    worst = 0.0
    for name, alone in one["requests"].items():
        together = many["requests"][name]
        ratio = together["ms"] / alone["ms"]
        floor = many["requests"][API_FLOOR if "/api/" in together["url"] else PAGE_FLOOR]["ms"]
        if name not in (PAGE_FLOOR, API_FLOOR):
            worst = max(worst, ratio)
        print(
            f"| {name} | {alone['ms']:.1f} | {together['ms']:.1f} | {ratio:.2f} "
            f"| {together['fastest_ms'] / alone['fastest_ms']:.2f} | {alone['queries']} / {together['queries']} "
            f"| {together['ms'] / floor:.1f} |"
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
    print(
        f"\nWorst ratio {result['cities']} ÷ 1: {worst:.2f} ({'within' if worst <= 1.2 else 'above'} the goal of 1.2)"
    )
    write_results("tenants", result)


if __name__ == "__main__":
    main()
