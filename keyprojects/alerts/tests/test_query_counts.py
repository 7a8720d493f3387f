"""The warnings, page, workbook and API, take as many queries for many warnings as for few."""

import datetime
from functools import partial

import pytest
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.alerts.models import Color, ProjectWarning, Rule
from keyprojects.core.history import encode
from keyprojects.core.tests.queries import queries_of
from keyprojects.metrics.tests.helpers import list_project

pytestmark = pytest.mark.django_db


def warnings(city, count: int) -> None:
    """A red and a yellow warning on each of `count` projects of each of two counties."""
    facts = encode({"planned_start": datetime.date(2026, 3, 1), "days": 92})
    for region in (city.guanxian, city.gaotang) * count:
        project = list_project(region=region, owner=city.enterprise, leader_name="张三")
        for color in (Color.RED, Color.YELLOW):
            ProjectWarning.objects.create(
                project=project,
                rule=Rule.START_DELAY,
                subject=color,
                color=color,
                facts=facts,
                since=datetime.date(2026, 3, 1),
            )


def test_the_warnings_take_the_same_queries_for_12_as_for_4(city):
    asked = {}
    for user in (city.city_admin, city.county):
        client = Client()
        client.force_login(user)
        for url in ("/alerts/", "/alerts/?color=red", "/alerts/supervision.xlsx"):
            asked[f"{url} as {user.username}"] = partial(client.get, url)
        asked[f"/api/v1/warnings as {user.username}"] = partial(ApiClient(user).get, "/warnings")
    warnings(city, 1)
    few = {name: queries_of(get) for name, get in asked.items()}
    warnings(city, 2)
    assert {name: queries_of(get) for name, get in asked.items()} == few
