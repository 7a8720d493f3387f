"""The province office's comparison of cities sums each city's figures in one grouped scan, where a
city's own rates sum them project by project: both ways give the same figures on any date, under
either basis of 序时进度, with corrections accepted and projects changed since."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.metrics.models import MonthlyPlan, TimeBasis
from keyprojects.metrics.selectors import Metrics, MetricsQuery, metrics, metrics_by_city
from keyprojects.projects.selectors import ProjectFilters
from keyprojects.projects.services import project_update

from .helpers import include, list_project, report

pytestmark = pytest.mark.django_db


def scatter(rng: random.Random, regions: list, owners: list, by: list, count: int) -> None:
    """`count` list projects spread over the regions, some started and included, with a year of
    reports (some corrected weeks later) and, for some, a monthly plan."""
    for i in range(count):
        k = i % len(regions)
        started = datetime.date(2026, rng.randint(1, 9), 1) if rng.random() < 0.7 else None
        project = list_project(
            region=regions[k],
            owner=owners[k],
            actual_start=started,
            annual_investment=Decimal(rng.randint(1000, 20000)),
        )
        if started and rng.random() < 0.5:
            include(project, started + datetime.timedelta(days=rng.randint(0, 90)))
        if rng.random() < 0.5:
            MonthlyPlan.objects.bulk_create(
                MonthlyPlan(
                    project=project, city_id=project.city_id, year=2026, month=m, amount=Decimal(100 * m)
                )
                for m in range(1, 13)
            )
        for m in range(1, 11):
            month = datetime.date(2026, m, 1)
            day = month + datetime.timedelta(days=rng.randint(25, 40))
            first = report(project, month, str(rng.randint(1, 900)), by=by[k], reviewed_on=day)
            if rng.random() < 0.2:
                later = day + datetime.timedelta(days=rng.choice([0, 3, 30]))
                report(
                    project,
                    month,
                    str(rng.randint(1, 900)),
                    by=by[k],
                    reviewed_on=later,
                    version=2,
                    supersedes=first,
                )


def shown(m: Metrics) -> tuple:
    """The rates as pages show them (the total's 序时进度 under the plan basis is divided once from the
    cities' sums, and may differ from one division of the whole in the 28th digit)."""
    return m.start_rate, m.statistics_rate, m.investment_rate, m.vs_time_progress


def test_the_province_table_agrees_with_each_citys_own_rates_on_random_dates(city, other_city):
    rng = random.Random(20261206)
    scatter(
        rng,
        [city.guanxian, city.gaotang, other_city.qihe],
        [city.enterprise, city.other_enterprise, other_city.enterprise],
        [city.county, city.other_county, other_city.county],
        12,
    )
    changed = list_project(
        region=other_city.qihe, owner=other_city.enterprise, actual_start=datetime.date(2026, 2, 1)
    )
    report(
        changed, datetime.date(2026, 2, 1), "700", by=other_city.county, reviewed_on=datetime.date(2026, 3, 3)
    )
    project_update(  # after every date below: the past counts the old plan, today the new one
        user=other_city.city_admin,
        project_id=changed.pk,
        data={"annual_investment": Decimal("30000")},
        version=changed.version,
    )
    offices = {city.liaocheng.pk: city.city_admin, other_city.dezhou.pk: other_city.city_admin}
    days = sorted(datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 330)) for _ in range(6))
    for as_of in days:
        for basis in (TimeBasis.DAY, TimeBasis.PLAN):
            query = MetricsQuery.build(
                as_of=as_of, filters=ProjectFilters(year=2026), start_basis="list", time_basis=basis
            )
            table = metrics_by_city(user=city.province_officer, query=query)
            assert {row.region.pk: row.metrics for row in table.rows} == {
                pk: metrics(user=office, query=query) for pk, office in offices.items()
            }, (as_of, basis)
            assert shown(table.total) == shown(metrics(user=city.province_officer, query=query))
    assert table.total.investment_rate.numerator > 0


def test_the_province_table_reads_a_fixed_number_of_queries(city, other_city):
    query = MetricsQuery.build(
        as_of=datetime.date(2026, 11, 30), filters=ProjectFilters(year=2026), time_basis=TimeBasis.PLAN
    )
    counts = []
    for size in (2, 10):
        scatter(
            random.Random(size),
            [city.guanxian, other_city.qihe],
            [city.enterprise, other_city.enterprise],
            [city.county, other_city.county],
            size,
        )
        with CaptureQueriesContext(connection) as queries:
            metrics_by_city(user=city.province_officer, query=query)
        counts.append(len(queries))
    assert counts == [counts[0]] * 2 and counts[0] <= 6, counts
