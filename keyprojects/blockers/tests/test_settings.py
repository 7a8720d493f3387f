"""A city's blocker settings: default deadlines per category and the ladder, edited by its city office
only, with a version and a history; another city keeps its own."""

import re

import pytest
from django.test import Client

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.blockers.models import BlockerSettings, Category
from keyprojects.core.tests.forms import form_fields, merge_offered, merge_saved

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


SETTINGS_FORM = '<form method="post" class="kp-form"'


def editors(city):
    colleague = UserFactory(role=Role.CITY_ADMIN, organization=city.city_admin.organization, full_name="李四")
    return client_of(city.city_admin), client_of(colleague)


def test_two_editing_the_settings_see_who_saved_which_and_reapply_their_own_field_by_field(city):
    mine, theirs = editors(city)
    form = form_fields(mine.get("/blockers/settings/").content.decode(), SETTINGS_FORM)
    other = form_fields(theirs.get("/blockers/settings/").content.decode(), SETTINGS_FORM)
    other.update(deadline_land=["4"])
    other.pop("via_meeting")
    assert theirs.post("/blockers/settings/", other).status_code == 302

    form.update(deadline_land=["8"], due_soon_workdays=["5"])
    response = mine.post("/blockers/settings/", form)
    assert response.status_code == 422
    page = response.content.decode()
    settings = BlockerSettings.for_city(city.liaocheng.pk)
    assert (settings.deadline_for("land"), settings.due_soon_workdays) == (4, 2)  # nothing of mine saved
    saved = merge_saved(page)
    when = r"李四 \d{4}-\d{2}-\d{2} \d{2}:\d{2} "
    assert re.search(when + "将“土地类默认时限（工作日）”由 15 改为 4", saved), saved
    assert re.search(when + "将“县级协调不成，提交市协调调度会”由 是 改为 —", saved), saved
    assert merge_offered(page) == {"deadline_land": ("4", "8"), "due_soon_workdays": ("2", "5")}

    again = form_fields(page, SETTINGS_FORM)
    again["keep"] = ["due_soon_workdays"]  # the colleague's deadline stays
    assert mine.post("/blockers/settings/", again).status_code == 302
    settings = BlockerSettings.for_city(city.liaocheng.pk)
    assert (settings.deadline_for("land"), settings.due_soon_workdays) == (4, 5)
    assert settings.ladder == ["county", "leader"]  # the colleague left out the coordination meeting


def test_no_merge_without_a_conflict_and_nothing_offered_when_nothing_was_typed(city):
    mine, theirs = editors(city)
    untouched = form_fields(mine.get("/blockers/settings/").content.decode(), SETTINGS_FORM)
    bad = mine.post("/blockers/settings/", {**untouched, "deadline_land": ["0"]}).content.decode()
    assert 'id="merge"' not in bad
    other = form_fields(theirs.get("/blockers/settings/").content.decode(), SETTINGS_FORM)
    assert theirs.post("/blockers/settings/", {**other, "escalate_after_workdays": ["9"]}).status_code == 302

    page = mine.post("/blockers/settings/", untouched).content.decode()
    assert "将“逾期多少个工作日自动提级”由" in merge_saved(page) and merge_offered(page) == {}
    assert BlockerSettings.for_city(city.liaocheng.pk).escalate_after_workdays == 9
