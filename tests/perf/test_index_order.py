"""The node queues read their first page from the index of the open nodes, in its order, rather than sorting
every open node of the city or the department: the page's ids are picked by the nodes' own columns first
(`core.rows.picked`), and the partial indexes `open_nodes_by_city` and `open_nodes_by_department` hold exactly
the open nodes in the queue's order (a department's queue may take either: both read it in order). Each database is asked whether the picking can be served by that index
alone, without sorting (PostgreSQL with sorts and full scans discouraged, as its choice on a few test rows says
nothing of a city's 7,500 open nodes)."""

import re

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.tests.clock import noon

from .test_query_counts import FEW, TODAY, Route, grow

QUEUES = {
    "node queue page": Route("/schedule/queue/"),
    "node queue API": Route("/plan-nodes", api=True, params={"open": "true"}),
    "department's queue": Route("/schedule/queue/", user="department_officer"),
}
INDEXES = ("open_nodes_by_city", "open_nodes_by_department")


def plan(sql: str) -> str:
    """What the database would do for `sql`, as text."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.mark.today(TODAY)
@pytest.mark.parametrize("route", QUEUES.values(), ids=QUEUES.keys())
def test_a_node_queue_picks_its_page_from_the_open_nodes_index_in_order(city, clock, route):
    grow(city, FEW)
    user = getattr(city, route.user)
    if route.api:
        client = ApiClient(user)
    else:
        client = Client()
        client.force_login(user)
    with time_machine.travel(noon(clock.today), tick=False), CaptureQueriesContext(connection) as captured:
        assert client.get(route.path, route.params or {}).status_code == 200
    (page,) = [
        q["sql"] for q in captured.captured_queries if "LIMIT" in q["sql"] and "schedule_plannode" in q["sql"]
    ]
    picking = re.search(r" IN \((SELECT .*? LIMIT \d+)\)", page)
    assert picking, page
    chosen = plan(picking[1])
    assert any(index in chosen for index in INDEXES), chosen
    assert "Sort" not in chosen and "TEMP B-TREE" not in chosen, chosen
