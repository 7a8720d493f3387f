"""A project's page and its API take as many queries for a year of reports, corrections, plan nodes and
change requests as for two months of them: pinned, so that a section cannot drift into a query per row."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.adjustments.services import change_request_create, change_request_refuse
from keyprojects.blockers.services import blocker_create
from keyprojects.core.tests.clock import noon
from keyprojects.factors.models import FactorAllocation, FactorDemand, FactorPool
from keyprojects.metrics.tests.helpers import list_project, report
from keyprojects.schedule.models import NodeCode, PlanNode

D = datetime.date
TODAY = "2026-12-15"

# route → queries, whatever the number of the project's reports, nodes and change requests
# the city's dictionary: once for the fields' labels, once for the history's (the API: the labels)
PINNED = {"/projects/{pk}/": 25, "/api/v1/projects/{pk}": 3, "/api/v1/projects/{pk}/reports": 3}


def grow(city, project, months: range) -> None:
    """For each month: an accepted report (every third one corrected), a plan node, a refused change
    request, a land demand (half of it allocated) and a blocker."""
    for month in months:
        first = report(project, D(2026, month, 1), "300", by=city.owner, reviewed_on=D(2026, month, 25))
        first.dispatch_round.projects.add(project)
        if month % 3 == 0:
            report(
                project, D(2026, month, 1), "320", by=city.owner, reviewed_on=D(2026, month, 28), version=2,
                supersedes=first,
            )  # fmt: skip
        PlanNode.objects.create(
            project=project,
            order=month,
            code=list(NodeCode)[month - 1],
            name=f"节点{month}",
            planned_date=D(2026, month, 10),
            department=city.department,
        )
        asked = change_request_create(
            user=city.owner,
            project_id=project.pk,
            changes={"annual_investment": Decimal(6000 + month)},
            reason=f"调整{month}",
        )
        change_request_refuse(user=city.city_admin, request_id=asked.pk, reason="依据不足")
        land = FactorPool.objects.get_or_create(
            region=city.liaocheng, year=2026, kind="land", defaults={"supply": 1000}
        )[0]
        demand = FactorDemand.objects.create(
            project=project,
            kind="land",
            amount=10,
            allocated=5,
            needed_by=D(2026, month, 20),
            created_by=city.owner,
        )
        FactorAllocation.objects.create(
            pool=land, project=project, demand=demand, amount=5, allocated_by=city.city_admin
        )
        blocker_create(user=city.owner, project_id=project.pk, category="land", description=f"问题{month}")


@pytest.mark.today(TODAY)
@pytest.mark.parametrize(("route", "pinned"), PINNED.items(), ids=PINNED.keys())
def test_a_project_takes_the_same_queries_for_a_year_of_reports_as_for_two_months(city, clock, route, pinned):
    project = list_project(region=city.guanxian, owner=city.enterprise, actual_start=D(2026, 2, 1))
    with time_machine.travel(noon(clock.today), tick=False):  # no session renewal between the requests
        api = route.startswith("/api/v1/")
        if api:
            client = ApiClient(city.city_admin)
            client.get("/me")  # the first use of a token records when it was used
            path = route.removeprefix("/api/v1").format(pk=project.pk)
            get = client.get
        else:
            browser = Client()
            browser.force_login(city.city_admin)
            path = route.format(pk=project.pk)
            get = browser.get
        grow(city, project, range(1, 3))
        few = count_with(get, path)
        grow(city, project, range(3, 13))
        many = count_with(get, path)
    assert (few, many) == (pinned, pinned)


def count_with(get, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = get(path)
    assert response.status_code == 200
    return len(captured)
