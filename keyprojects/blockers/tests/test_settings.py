"""A city's blocker settings: default deadlines per category and the ladder, edited by its city office
only, with a version and a history; another city keeps its own."""

import pytest
from django.test import Client

from keyprojects.blockers.models import BlockerSettings, Category

from .helpers import act, ok, raise_blocker

pytestmark = pytest.mark.django_db


def form(version, **changes):
    data = {
        "version": version,
        "due_soon_workdays": 2,
        "escalate_after_workdays": 3,
        "via_meeting": "on",
        "via_leader": "on",
        **{f"deadline_{c}": 10 for c in Category.values},
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.today("2026-03-02")
def test_the_city_sets_deadlines_and_a_shorter_ladder(city, other_city, project, clock):
    office = client_of(city.city_admin)
    assert "土地类默认时限" in office.get("/blockers/settings/").content.decode()
    response = office.post("/blockers/settings/", form(1, deadline_land=4, via_meeting=None))
    assert response.status_code == 302
    settings = BlockerSettings.for_city(city.liaocheng.pk)
    assert settings.deadline_for("land") == 4 and settings.ladder == ["county", "leader"]
    assert BlockerSettings.for_city(other_city.dezhou.pk).deadline_for("land") == 15
    pk = raise_blocker(city.owner, project)
    ok(city.county, pk, "accept")
    assert ok(city.county, pk, "assign", department=city.department.pk)["deadline"] == "2026-03-06"
    # without the coordination meeting, the county's escalation goes straight to the leaders
    assert ok(city.county, pk, "escalate", text="县级无法协调")["level"] == "leader"
    assert act(city.city_admin, pk, "escalate", text="再提").status_code == 409
    page = office.get("/blockers/settings/").content.decode()
    assert "土地类默认时限" in page and "4" in page


def test_a_stale_or_bad_form_is_refused_by_field(city):
    office = client_of(city.city_admin)
    office.post("/blockers/settings/", form(1))
    response = office.post("/blockers/settings/", form(1, deadline_land=8))
    assert response.status_code == 422 and "已被他人修改" in response.content.decode()
    response = office.post("/blockers/settings/", form(2, deadline_land=0))
    assert response.status_code == 422
    assert BlockerSettings.for_city(city.liaocheng.pk).deadline_for("land") == 10
    assert client_of(city.county).get("/blockers/settings/").status_code == 403
