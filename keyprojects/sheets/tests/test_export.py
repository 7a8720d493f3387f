"""The project list going out: what the list shows, in the import's columns, formula-safe; and back in."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from keyprojects.accounts.models import User
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.demo import steps
from keyprojects.projects.models import Level, Project, ProjectEvent
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.sheets.columns import EXPORTED
from keyprojects.sheets.services import projects_import

pytestmark = pytest.mark.today("2026-05-12")


def rows_of(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [tuple(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def headers_of(content: bytes) -> list[str]:
    return [cell.value for cell in load_workbook(io.BytesIO(content)).active[2]]


def test_the_export_holds_what_the_filtered_list_shows(city, client, clock):
    ProjectFactory(region=city.guanxian, owner=city.enterprise, name="冠县省重点", level=Level.PROVINCIAL)
    ProjectFactory(region=city.guanxian, owner=city.enterprise, name="冠县市重点", level=Level.MUNICIPAL)
    ProjectFactory(
        region=city.gaotang, owner=city.other_enterprise, name="高唐省重点", level=Level.PROVINCIAL
    )
    client.force_login(city.county)
    response = client.get("/sheets/export/projects.xlsx", {"level": "provincial"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="projects-2026-05-12.xlsx"')
    assert headers_of(response.content) == [str(c.header) for c in EXPORTED]
    assert [row[2] for row in rows_of(response.content)] == ["冠县省重点"]
    # the API takes the project list's filters
    api = ApiClient(city.city_admin).get(
        "/exports/projects.xlsx", {"level": "provincial", "region": "371526"}
    )
    assert [row[2] for row in rows_of(api.content)] == ["高唐省重点"]


def test_the_list_page_offers_the_export_of_its_filters_and_the_import(city, client, clock):
    client.force_login(city.county)
    page = client.get("/projects/", {"level": "provincial", "page": "2"}).content.decode()
    assert 'href="/sheets/export/projects.xlsx?level=provincial"' in page
    assert 'href="/sheets/import/projects/"' in page
    client.force_login(city.owner)
    page = client.get("/projects/").content.decode()
    assert "/sheets/export/projects.xlsx" in page and "/sheets/import/projects/" not in page


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_exported_text_that_looks_like_a_formula_stays_text(city, client, clock, start):
    ProjectFactory(
        region=city.guanxian,
        owner=city.enterprise,
        name=f'{start}HYPERLINK("http://x")',
        remarks=f"{start}1+1",
    )
    client.force_login(city.city_admin)
    sheet = load_workbook(io.BytesIO(client.get("/sheets/export/projects.xlsx").content)).active
    names = [cell for cell in sheet[3] if isinstance(cell.value, str) and cell.value.startswith(start)]
    assert len(names) == 2
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in names)


def test_the_template_has_the_columns_and_no_row(city, client):
    client.force_login(city.county)
    response = client.get("/sheets/import/projects/template.xlsx")
    assert headers_of(response.content) == [str(c.header) for c in EXPORTED]
    assert rows_of(response.content) == []


def _snapshot(content: bytes) -> list[tuple]:
    return sorted((row[1:] for row in rows_of(content)), key=str)  # without 序号


@pytest.fixture
def demo_city(db, monkeypatch, clock):
    monkeypatch.setattr(steps, "DEMO_STEPS", steps.FOUNDATION_STEPS)
    call_command("loaddemo", stdout=io.StringIO())
    return User.objects.get(username="city")


def test_the_demo_citys_export_imported_into_an_empty_instance_gives_the_same_projects(demo_city, client):
    client.force_login(demo_city)
    exported = client.get("/sheets/export/projects.xlsx").content
    count = Project.objects.filter(city=demo_city.city_id).count()
    assert count > 300 and len(rows_of(exported)) == count
    ProjectEvent.objects.all().delete()
    Project.objects.all().delete()

    result = projects_import(user=demo_city, content=exported)
    assert result.errors == [] and result.created == count

    assert _snapshot(client.get("/sheets/export/projects.xlsx").content) == _snapshot(exported)
    again = projects_import(user=demo_city, content=exported)
    assert (again.ok, again.created, again.updated, again.unchanged) == (True, 0, 0, count)


def test_a_round_trip_of_a_full_record_changes_nothing(city, client, clock):
    project = ProjectFactory(
        region=city.guanxian, owner=city.enterprise, name="浪潮聊城智能生产基地", code="2603-371525-04-01-52817X",
        land_area=Decimal("120.5"), latitude=Decimal("36.45"), longitude=Decimal("115.98"),
        funding_sources=["central_budget", "special_bonds"], contact_phone="13800000000", remarks="-已赋码",
        total_investment=Decimal("123456.78"),
    )  # fmt: skip
    client.force_login(city.city_admin)
    result = projects_import(user=city.city_admin, content=client.get("/sheets/export/projects.xlsx").content)
    assert (result.ok, result.unchanged) == (True, 1), result.errors
    project.refresh_from_db()
    assert project.version == 1


def test_a_round_trip_in_english_changes_nothing_too(city, clock):
    from django.utils.translation import override

    ProjectFactory(
        region=city.guanxian,
        owner=city.enterprise,
        name="Lugang",
        funding_sources=["central_budget", "bank_loan"],
    )
    content = ApiClient(city.city_admin, language="en").get("/exports/projects.xlsx").content
    assert headers_of(content)[2] == "Project name"
    with override("en"):
        result = projects_import(user=city.city_admin, content=content)
    assert (result.ok, result.unchanged) == (True, 1), result.errors
