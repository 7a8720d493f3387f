"""The briefing page reads a fixed number of queries, whatever the number of warnings, blockers and notices
it lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.alerts.models import Color
from keyprojects.metrics.tests.helpers import list_project
from keyprojects.supervision.tests.conftest import make_warning

PAGE_QUERIES = 18  # the session and user; the rates per county; each list and its count; the form's choices (the categories: the city's dictionary)


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/briefings/", {"month": "2026-03"}).status_code == 200
    return len(queries)


@pytest.mark.today("2026-04-01")
def test_the_page_takes_the_same_queries_for_few_rows_or_many(client, city, bulletin):
    client.force_login(city.city_admin)
    client.get("/briefings/", {"month": "2026-03"})
    few = _queries(client)
    for i in range(6):
        project = list_project(name=f"滞后项目{i}", region=city.gaotang, owner=city.enterprise)
        make_warning(project, color=Color.RED if i % 2 else Color.YELLOW)
    assert _queries(client) == few == PAGE_QUERIES
