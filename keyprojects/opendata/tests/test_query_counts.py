"""The OC4IDS export reads a fixed number of queries, whatever the number of projects, nodes and figures."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.metrics.tests.helpers import list_project, report
from keyprojects.schedule.models import PlanNode

EXPORT_QUERIES = 4  # the token with its user; the public projects, their plan nodes, their figures in force


def _public_projects(city, count):
    for i in range(count):
        project = list_project(
            name=f"公开项目{i}", region=city.guanxian, owner=city.enterprise, is_public=True
        )
        PlanNode.objects.create(project=project, order=1, code="start", name="开工",
                                planned_date=datetime.date(2026, 3, 1))  # fmt: skip
        report(
            project, datetime.date(2026, 1, 1), "100", by=city.owner, reviewed_on=datetime.date(2026, 2, 3)
        )


def _queries(user):
    client = ApiClient(user)
    client.get("/me")  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/exports/oc4ids").status_code == 200
    return len(queries)


@pytest.mark.today("2026-03-01")
def test_the_export_takes_the_same_queries_for_one_project_or_many(city):
    _public_projects(city, 1)
    one = _queries(city.city_admin)
    _public_projects(city, 5)
    assert _queries(city.city_admin) == one == EXPORT_QUERIES
