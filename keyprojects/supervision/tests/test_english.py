"""The supervision pages and API speak English when asked."""

import pytest
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient

from .helpers import issued

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-06-01")]


def test_pages_and_errors_in_english(city, red_warning, clock):
    pk = issued(city.city_admin, "warning", red_warning.pk)["id"]
    client = Client()
    client.force_login(city.county)
    client.cookies["django_language"] = "en"
    page = client.get(f"/supervision/{pk}/").content.decode()
    assert "Supervision notice #" in page and "Awaiting answer" in page and "Timeline" in page
    assert "Answer (what was done and its result)" in page
    english = ApiClient(city.city_admin, language="en").post(
        f"/supervision-notices/{pk}/actions", {"action": "accept"}
    )
    assert english.status_code == 409
    assert english.json()["detail"] == (
        "The supervision notice is “Awaiting answer”: it cannot be given “Accept the answer”"
    )
