"""The supervision lists, pages and API, take as many queries for many notices as for few."""

import pytest
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.tests.queries import queries_of

from .conftest import make_warning
from .helpers import issued, ok

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-06-01")]


def notices(city, project, numbers: range) -> None:
    """Notices of each kind, numbered: open to the county, open to a department, answered by the county."""
    for n in numbers:
        issued(city.city_admin, "warning", make_warning(project, subject=f"a{n}").pk)
        issued(
            city.city_admin, "warning", make_warning(project, subject=f"b{n}").pk, receiver=city.department.pk
        )
        answered = issued(city.city_admin, "warning", make_warning(project, subject=f"c{n}").pk)
        ok(city.county, answered["id"], "answer", "已整改")


def test_every_list_takes_the_same_queries_for_9_notices_as_for_3(city, project, clock):
    calls = {}
    for role, url in [("city_admin", "/supervision/"), ("county", "/supervision/inbox/")]:
        client = Client()
        client.force_login(getattr(city, role))
        calls[f"{url} as {role}"] = (client, url)
    for role in ("city_admin", "county"):
        calls[f"/api/v1/supervision-notices as {role}"] = (
            ApiClient(getattr(city, role)),
            "/supervision-notices",
        )

    def counts() -> dict[str, int]:
        return {name: queries_of(lambda c=client, u=url: c.get(u)) for name, (client, url) in calls.items()}

    notices(city, project, range(1))
    few = counts()
    notices(city, project, range(1, 3))
    assert counts() == few
