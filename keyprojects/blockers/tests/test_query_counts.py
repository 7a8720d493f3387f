"""The blockers' lists, pages and API, take as many queries for many blockers as for few."""

import pytest
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.tests.queries import queries_of
from keyprojects.projects.tests.factories import ProjectFactory

from .helpers import walk

pytestmark = pytest.mark.django_db

STATES = ("assigned", "in_progress", "closed")
PAGES = [
    ("city_admin", "/blockers/"),
    ("city_admin", "/blockers/figures/"),
    ("city_admin", "/blockers/meetings/"),
    ("department_officer", "/blockers/inbox/"),
    ("county", "/blockers/"),
]
ENDPOINTS = [
    ("city_admin", "/blockers"),
    ("city_admin", "/blocker-figures"),
    ("city_admin", "/blocker-decisions"),
    ("city_admin", "/blocker-meetings"),
    ("department_officer", "/blocker-inbox"),
    ("county", "/blockers"),
]


def blockers(city, projects: int) -> None:
    for _ in range(projects):
        project = ProjectFactory(region=city.guanxian, owner=city.enterprise)
        for state in STATES:
            walk(city, project, state)


def test_every_list_takes_the_same_queries_for_9_blockers_as_for_3(city):
    calls = {}
    for role, url in PAGES:
        client = Client()
        client.force_login(getattr(city, role))
        calls[f"{url} as {role}"] = (client, url)
    for role, url in ENDPOINTS:
        calls[f"/api/v1{url} as {role}"] = (ApiClient(getattr(city, role)), url)

    def counts() -> dict[str, int]:
        return {name: queries_of(lambda c=client, u=url: c.get(u)) for name, (client, url) in calls.items()}

    blockers(city, 1)
    few = counts()
    blockers(city, 2)
    assert counts() == few
