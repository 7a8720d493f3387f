"""The command post's waiting lists against a plain computation over every demand: the soonest of each kind,
the first projects to need something (walked in date order a few rows at a time) and how many wait."""

import datetime
import random

import pytest

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.factors import selectors
from keyprojects.factors.models import FactorDemand
from keyprojects.metrics.tests.helpers import list_project

from .helpers import demand

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.mark.today("2026-06-15")
def test_the_waiting_lists_are_the_soonest_whatever_the_walk(city, clock, monkeypatch):
    rng = random.Random(7)
    projects = [
        list_project(name=f"要素项目{i}", region=city.guanxian, owner=city.enterprise) for i in range(9)
    ]
    for project in projects:
        for kind in rng.sample(["land", "energy", "water"], 2):
            made = demand(city, project, kind=kind, amount="10", needed_by=D(2026, 7, rng.randint(1, 4)))
            if rng.random() < 0.3:  # met in full: not waiting
                FactorDemand.objects.filter(pk=made.pk).update(allocated=made.amount)
    monkeypatch.setattr(selectors, "WALK", 2)
    answer = ApiClient(city.city_admin).get("/factor-command-post").json()

    waiting = list(FactorDemand.objects.filter(selectors.UNMET).order_by("needed_by", "pk"))
    for kind in answer["kinds"]:
        mine = [d.pk for d in waiting if d.kind == kind["kind"]]
        assert [w["demand"] for w in kind["waiting"]] == mine[: selectors.WAITING_PER_KIND]
    firsts: dict[int, datetime.date] = {}
    for d in sorted(waiting, key=lambda d: (d.needed_by, d.project_id)):
        firsts.setdefault(d.project_id, d.needed_by)
    assert [p["project"] for p in answer["projects"]] == list(firsts)
    assert answer["project_count"] == len(firsts)
