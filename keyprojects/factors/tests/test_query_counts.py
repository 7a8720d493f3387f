"""The command post, the pool page and the factor lists take as many queries for 30 projects with their
demands, allocations and ledger as for 3: pinned, so that none drifts into a query per row."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.tests.clock import noon
from keyprojects.factors.models import FactorPool
from keyprojects.factors.services import allocation_create
from keyprojects.metrics.tests.helpers import list_project
from keyprojects.projects.models import Project

from .helpers import demand, pool

D = datetime.date
TODAY = "2026-06-15"
FEW, MANY = 3, 30
KINDS = ("land", "energy", "so2", "special_bonds")


def grow(city, count: int) -> None:
    """`count` more projects, each needing four factors, one of them half allocated."""
    pools = {kind: FactorPool.objects.filter(kind=kind, year=2026, parent=None).first() for kind in KINDS}
    for kind, found in pools.items():
        if found is None:
            pools[kind] = pool(city, kind=kind, supply="100000")
    start = Project.objects.count()
    for i in range(start, start + count):
        county, enterprise = (
            (city.guanxian, city.enterprise) if i % 2 else (city.gaotang, city.other_enterprise)
        )
        project = list_project(name=f"要素项目{i}", region=county, owner=enterprise)
        for n, kind in enumerate(KINDS):
            demand(city, project, kind=kind, amount="100", needed_by=D(2026, 5 + n, 1 + i % 20))
        allocation_create(
            user=city.city_admin, pool_id=pools["land"].pk, project_id=project.pk, amount="50", reason="配置"
        )


# The command post reads the soonest waiting demands of each kind that waits: one query per such kind (here
# the four of KINDS; at most the dozen kinds there are), whatever the number of projects and demands.
PINNED = {
    "command post page": ("/factors/", False, 8 + len(KINDS)),
    "command post API": ("/factor-command-post", True, 7 + len(KINDS)),
    "pools API": ("/factor-pools", True, 3),
    "ledger API": ("/factor-ledger", True, 3),
    "demands API": ("/factor-demands", True, 3),
    "allocations API": ("/factor-allocations", True, 3),
}


@pytest.mark.today(TODAY)
@pytest.mark.parametrize(("path", "api", "pinned"), PINNED.values(), ids=PINNED.keys())
def test_a_factor_list_takes_the_same_queries_for_30_projects_as_for_3(city, clock, path, api, pinned):
    with time_machine.travel(noon(clock.today), tick=False):
        if api:
            client = ApiClient(city.city_admin)
            client.get("/me")  # the first use of a token records when it was used
        else:
            client = Client()
            client.force_login(city.city_admin)
        counts = []
        for size in (FEW, MANY - FEW):
            grow(city, size)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            assert response.status_code == 200
            counts.append(len(captured))
    assert counts == [pinned, pinned]


@pytest.mark.today(TODAY)
def test_the_pool_page_takes_the_same_queries_for_30_projects_as_for_3(city, clock):
    with time_machine.travel(noon(clock.today), tick=False):
        client = Client()
        client.force_login(city.city_admin)
        counts = []
        for size in (FEW, MANY - FEW):
            grow(city, size)
            land = FactorPool.objects.get(kind="land", parent=None)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(f"/factors/pools/{land.pk}/")
            assert response.status_code == 200
            assert f"要素项目{Project.objects.count() - 1}" in response.content.decode()
            counts.append(len(captured))
    assert counts[0] == counts[1]
