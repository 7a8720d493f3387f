"""The blocker pages and API speak English when asked."""

import pytest
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient

from .helpers import act, walk

pytestmark = pytest.mark.django_db


def test_pages_and_errors_in_english(city, project):
    pk = walk(city, project, "assigned")
    client = Client()
    client.force_login(city.department_officer)
    client.cookies["django_language"] = "en"  # pages follow the language switch
    page = client.get(f"/blockers/{pk}/").content.decode()
    assert "Timeline" in page and "Assigned" in page and "Progress or proposed solution" in page
    response = act(city.owner, pk, "rate", rating="satisfied")
    assert response.status_code == 409
    english = ApiClient(city.owner, language="en").post(f"/blockers/{pk}/actions", {"action": "rate"})
    assert english.json()["detail"] == "The blocker is “Assigned”: it cannot be given “Rating”"
