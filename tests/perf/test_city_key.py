"""A city's lists read their rows and their rows' projects through the city key, so that a city's pages do not
grow with the other cities of the province: the query of a page's rows joins the projects of that city alone
(PostgreSQL otherwise hashes every city's projects to join one city's rows), or picks the page's rows by their ids
from the city's own rows first and joins those alone (`progress.selectors.picked`), and the count does not join
the projects at all (SQLite counts several times faster without the join)."""

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.tests.clock import noon

from .test_query_counts import FEW, TODAY, Route, grow

LISTS = {
    "warnings page": Route("/alerts/"),
    "warnings API": Route("/warnings", api=True),
    "node queue page": Route("/schedule/queue/"),
    "node queue API": Route("/plan-nodes", api=True, params={"open": "true"}),
    "review queue page": Route("/progress/review/", params={"scope": "all"}),
    "review queue API": Route("/reports", api=True, params={"status": "submitted"}),
}
PROJECTS = 'JOIN "projects_project"'


@pytest.mark.today(TODAY)
@pytest.mark.parametrize("route", LISTS.values(), ids=LISTS.keys())
def test_a_citys_list_joins_its_projects_through_the_city_key(city, other_city, clock, route):
    grow(city, FEW)
    if route.api:
        client = ApiClient(city.city_admin)
    else:
        client = Client()
        client.force_login(city.city_admin)
    with time_machine.travel(noon(clock.today), tick=False):
        client.get(route.path, route.params or {})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(route.path, route.params or {}).status_code == 200
    queries = [q["sql"] for q in captured.captured_queries]
    rows = [sql for sql in queries if PROJECTS in sql and "LIMIT" in sql]
    assert rows, queries
    assert all(through_city_key(sql, city.liaocheng.pk) for sql in rows), rows
    counts = [sql for sql in queries if sql.startswith("SELECT COUNT(")]
    assert counts and not any(PROJECTS in sql for sql in counts), counts


def through_city_key(sql: str, city_id: int) -> bool:
    """The projects joined are the city's, or the page's rows are picked from the city's own rows first."""
    if f'"projects_project"."city_id" = {city_id}' in sql:
        return True
    _rows, picked, page = sql.partition(" IN (SELECT ")
    return bool(picked) and f'"city_id" = {city_id}' in page.split(" LIMIT ")[0]
