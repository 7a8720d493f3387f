"""The project list's totals and years come from tallies kept with every write of a project; they always
agree with a count of the projects, whatever wrote them, and each user sees the totals of its own slice."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from keyprojects.projects.models import Project, ProjectTally, Stage
from keyprojects.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def counted() -> dict[tuple, tuple]:
    rows = (
        Project.objects.order_by()
        .values("city_id", "region_id", "year")
        .annotate(n=Count("pk"), total=Sum("total_investment"), annual=Sum("annual_investment"))
    )
    return {(r["city_id"], r["region_id"], r["year"]): (r["n"], r["total"], r["annual"]) for r in rows}


def tallied() -> dict[tuple, tuple]:
    return {
        (t.city_id, t.region_id, t.year): (t.projects, t.total_investment, t.annual_investment)
        for t in ProjectTally.objects.all()
    }


def test_every_way_of_writing_projects_keeps_the_tallies(city, other_city):
    made = [
        ProjectFactory(region=region, owner=city.enterprise, year=year, total_investment=Decimal(amount))
        for region, year, amount in [
            (city.guanxian, 2026, "1000"),
            (city.guanxian, 2026, "2500.50"),
            (city.gaotang, 2026, "800"),
            (city.guanxian, 2025, "300"),
        ]
    ]
    ProjectFactory(region=other_city.qihe, owner=other_city.enterprise, year=2026)
    assert tallied() == counted()

    moved = Project.objects.get(pk=made[0].pk)
    moved.region, moved.year = city.gaotang, 2027
    moved.save()
    assert tallied() == counted()
    Project.objects.filter(pk=made[1].pk).update(total_investment=Decimal("99"))
    assert tallied() == counted()
    Project.objects.filter(region=city.gaotang).update(year=2024)
    assert tallied() == counted()
    Project.objects.bulk_create(
        [
            Project(name=f"批量{i}", region=city.guanxian, total_investment=Decimal("5"), year=2026)
            for i in range(3)
        ]
    )
    assert tallied() == counted()
    Project.objects.get(pk=made[3].pk).delete()
    Project.objects.filter(region=city.gaotang).delete()
    assert tallied() == counted()
    assert not ProjectTally.objects.filter(region=city.gaotang).exists()  # an empty slice is gone

    unchanged = Project.objects.get(pk=made[1].pk)
    unchanged.stage = Stage.NEW_START
    with CaptureQueriesContext(connection) as queries:
        unchanged.save()
    assert not [q for q in queries if "projects_projecttally" in q["sql"]]  # nothing it counts has changed


def test_a_rebuild_recounts_them(city, other_city):
    ProjectFactory(region=city.guanxian, owner=city.enterprise)
    ProjectFactory(region=other_city.qihe, owner=other_city.enterprise)
    ProjectTally.objects.all().delete()
    call_command("rebuild", "--table", "project_tallies", "--city", city.liaocheng.code, stdout=io.StringIO())
    assert set(ProjectTally.objects.values_list("city_id", flat=True)) == {city.liaocheng.pk}
    call_command("rebuild", stdout=io.StringIO())
    assert tallied() == counted()


def totals_of(client, user, **query):
    client.force_login(user)
    response = client.get("/projects/", query)
    assert response.status_code == 200
    return response.context["totals"], response.context["form"].fields["year"].choices


@pytest.fixture
def projects(city, other_city):
    for region, year, amount in [
        (city.guanxian, 2026, "1000"),
        (city.guanxian, 2025, "300"),
        (city.gaotang, 2026, "800"),
    ]:
        ProjectFactory(region=region, owner=city.enterprise, year=year, total_investment=Decimal(amount))
    ProjectFactory(
        region=other_city.qihe, owner=other_city.enterprise, year=2024, total_investment=Decimal("7")
    )


def test_the_list_reads_its_totals_and_years_from_the_tallies(client, city, projects):
    with CaptureQueriesContext(connection) as queries:
        totals, years = totals_of(client, city.city_admin)
    assert (totals.count, totals.total_investment) == (3, Decimal("2100"))
    assert [value for value, _label in years if value] == ["2026", "2025"]  # not the other city's 2024
    sums = [q["sql"] for q in queries if "SUM(" in q["sql"] or "DISTINCT" in q["sql"]]
    assert sums and all('FROM "projects_projecttally"' in sql for sql in sums)

    totals, _years = totals_of(client, city.city_admin, year=2026, region=city.gaotang.code)
    assert (totals.count, totals.total_investment) == (1, Decimal("800"))
    totals, years = totals_of(client, city.county)  # 冠县's officer: its county alone
    assert (totals.count, totals.total_investment) == (2, Decimal("1300"))
    totals, _years = totals_of(client, city.city_admin, stage=Stage.PREPARATION)  # not tallied: counted
    assert (totals.count, totals.total_investment) == (3, Decimal("2100"))
    totals, years = totals_of(client, city.owner)  # an enterprise's projects are counted
    assert (totals.count, totals.total_investment) == (3, Decimal("2100"))
    totals, years = totals_of(client, city.province_officer)
    assert (totals.count, totals.total_investment) == (4, Decimal("2107"))
