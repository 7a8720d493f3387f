"""Two of the city office editing one node template: the second to save sees who saved the name, the
activity and the node list since and when, the latest version in the form, and may put back its own name or
activity field by field and its own node list as a whole."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.core.tests.forms import form_fields, merge_offered, merge_saved
from keyprojects.schedule.models import NodeTemplate

FORM = '<form method="post" class="kp-form"'
WHEN = r"李四 \d{4}-\d{2}-\d{2} \d{2}:\d{2} "


@pytest.fixture
def template(templates):
    return NodeTemplate.objects.get(approval_type="filing", kind="industrial")


@pytest.fixture
def editors(city):
    mine, theirs = Client(), Client()
    mine.force_login(city.city_admin)
    theirs.force_login(
        UserFactory(role=Role.CITY_ADMIN, organization=city.city_admin.organization, full_name="李四")
    )
    return mine, theirs


def offsets(template):
    return dict(template.nodes.values_list("name", "offset_days"))


def test_the_second_to_save_a_template_sees_who_saved_what_and_puts_its_own_nodes_back(template, editors):
    mine, theirs = editors
    url = reverse("schedule:template_edit", args=[template.pk])
    form = form_fields(mine.get(url).content.decode(), FORM)
    other = form_fields(theirs.get(url).content.decode(), FORM)
    other.update({"name": ["备案类产业项目（新）"], "nodes-0-offset_days": ["-60"]})
    assert theirs.post(url, other).status_code == 302
    first = form["nodes-0-name"][0]

    form.pop("is_active")
    form.update({"nodes-1-offset_days": ["45"]})
    page = mine.post(url, form).content.decode()
    template.refresh_from_db()
    assert (template.name, template.is_active, template.version) == ("备案类产业项目（新）", True, 2)
    assert offsets(template)[first] == -60
    saved = merge_saved(page)
    assert re.search(WHEN + "将“模板名称”由 \\S+ 改为 备案类产业项目（新）", saved), saved
    second = form["nodes-1-name"][0]
    assert re.search(
        WHEN + "将“节点”由 " + first + "（计划开工-\\d+天，[^）]+） 改为 " + first + "（计划开工-60天", saved
    )
    offered = merge_offered(page)
    assert offered.keys() == {"is_active", "nodes"}
    assert offered["is_active"] == ("是", "—")
    latest, typed = offered["nodes"]  # each side the rows changed since the form was rendered
    assert latest.startswith(first + "（计划开工-60天") and "；" not in latest
    assert typed.startswith(second + "（计划开工+45天") and "；" not in typed
    again = form_fields(page, FORM)
    assert again["nodes-0-offset_days"] == ["-60"]  # the latest nodes in the formset
    assert again["keep"] == ["is_active", "nodes"]

    assert mine.post(url, again).status_code == 302
    template.refresh_from_db()
    assert (template.name, template.is_active, template.version) == ("备案类产业项目（新）", False, 3)
    assert offsets(template)[first] != -60  # my list as a whole, over the colleague's
    assert list(offsets(template).values())[1] == 45


def test_the_latest_nodes_stay_when_only_the_name_is_kept(template, editors):
    mine, theirs = editors
    url = reverse("schedule:template_edit", args=[template.pk])
    form = form_fields(mine.get(url).content.decode(), FORM)
    other = form_fields(theirs.get(url).content.decode(), FORM)
    other["nodes-0-offset_days"] = ["-60"]
    assert theirs.post(url, other).status_code == 302

    form.update({"name": ["我的模板"], "nodes-0-offset_days": ["-90"]})
    page = mine.post(url, form).content.decode()
    assert merge_offered(page).keys() == {"name", "nodes"}
    again = form_fields(page, FORM)
    again["keep"] = ["name"]
    assert mine.post(url, again).status_code == 302
    template.refresh_from_db()
    assert template.name == "我的模板"
    assert template.nodes.order_by("order").first().offset_days == -60


def test_nothing_offered_for_the_nodes_when_nobody_changed_them(template, editors):
    mine, theirs = editors
    url = reverse("schedule:template_edit", args=[template.pk])
    assert 'id="merge"' not in mine.get(url).content.decode()
    form = form_fields(mine.get(url).content.decode(), FORM)
    other = form_fields(theirs.get(url).content.decode(), FORM)
    assert theirs.post(url, {**other, "name": ["新名称"]}).status_code == 302

    page = mine.post(url, {**form, "name": ["我的名称"]}).content.decode()
    assert "“节点”" not in merge_saved(page) and merge_offered(page) == {"name": ("新名称", "我的名称")}
