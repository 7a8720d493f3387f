"""Two of the city office editing the two-factor setting at once: the second sees who saved it and when,
and may put its own choice back on top."""

import re

from django.test import Client

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.core.tests.forms import form_fields, merge_offered, merge_saved
from keyprojects.twofactor.models import TwoFactorSettings

URL = "/accounts/two-factor/settings/"
FORM = '<form method="post" class="kp-card'


def editors(city):
    mine, theirs = Client(), Client()
    mine.force_login(city.city_admin)
    theirs.force_login(
        UserFactory(role=Role.CITY_ADMIN, organization=city.city_admin.organization, full_name="李四")
    )
    return mine, theirs


def required(city) -> bool:
    return TwoFactorSettings.for_city(city.liaocheng.pk).city_office_required


def test_the_second_to_save_sees_who_turned_it_on_and_when(city):
    mine, theirs = editors(city)
    untouched = form_fields(mine.get(URL).content.decode(), FORM)
    on = {**form_fields(theirs.get(URL).content.decode(), FORM), "city_office_required": "on"}
    assert theirs.post(URL, on).status_code == 302

    page = mine.post(URL, untouched).content.decode()
    assert required(city)  # my untouched form saved nothing
    assert "两步验证设置已被他人修改" in page
    assert re.search(
        r"李四 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 将“市重点项目办账号须两步验证”由 — 改为 是", merge_saved(page)
    )
    assert merge_offered(page) == {}  # nothing of mine to put back
    assert "city_office_required" in form_fields(page, FORM)  # ticked: the latest version in the form


def test_the_second_to_save_may_put_its_own_choice_back(city):
    mine, theirs = editors(city)
    form = form_fields(mine.get(URL).content.decode(), FORM)
    on = {**form_fields(theirs.get(URL).content.decode(), FORM), "city_office_required": "on"}
    assert theirs.post(URL, on).status_code == 302
    off = form_fields(theirs.get(URL).content.decode(), FORM)
    off.pop("city_office_required", None)
    assert theirs.post(URL, off).status_code == 302  # turned on and off again: as I found it

    page = mine.post(URL, {**form, "city_office_required": "on"}).content.decode()
    assert not required(city)
    assert merge_offered(page) == {"city_office_required": ("—", "是")}
    assert merge_saved(page) == ""
    assert mine.post(URL, form_fields(page, FORM)).status_code == 302
    assert required(city)


def test_no_merge_when_nobody_saved_in_between(city):
    mine, _theirs = editors(city)
    page = mine.get(URL).content.decode()
    assert 'id="merge"' not in page
    assert mine.post(URL, {**form_fields(page, FORM), "city_office_required": "on"}).status_code == 302
    assert required(city)
