"""The exports read a fixed number of queries, whatever the number of rows."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.metrics.tests.helpers import dispatch_round, list_project, report

pytestmark = pytest.mark.today("2026-05-12")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_export_takes_the_same_queries_for_3_and_9_projects(city, client, clock):
    client.force_login(city.city_admin)
    for n in range(3):
        list_project(region=city.guanxian, owner=city.enterprise, name=f"项目{n}")
    few = queries(client, "/sheets/export/projects.xlsx")
    for n in range(3, 9):
        list_project(region=city.gaotang, owner=city.other_enterprise, name=f"项目{n}")
    # +1: the city's dictionary, read once for the filter form's categories and the rows' labels
    assert queries(client, "/sheets/export/projects.xlsx") == few == 7


def test_the_dispatch_sheet_takes_the_same_queries_for_2_and_8_projects(city, client, clock):
    client.force_login(city.city_admin)
    march = dispatch_round(2026, 3, city_id=city.liaocheng.pk)

    def add(n: int) -> None:
        project = list_project(
            region=city.guanxian, owner=city.enterprise, name=f"项目{n}", annual_investment=Decimal(100)
        )
        report(project, datetime.date(2026, 3, 1), "10", by=city.owner, reviewed_on=datetime.date(2026, 4, 1))
        march.projects.add(project)

    for n in range(2):
        add(n)
    url = f"/sheets/export/rounds/{march.pk}/dispatch-sheet.xlsx"
    few = queries(client, url)
    for n in range(2, 8):
        add(n)
    assert queries(client, url) == few
