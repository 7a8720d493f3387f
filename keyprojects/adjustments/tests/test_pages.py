"""The change-request pages: the edit form's locked key figures, the request form, the city's queue."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.adjustments.models import ChangeRequest, Status
from keyprojects.adjustments.services import change_request_create
from keyprojects.projects.models import Project
from keyprojects.projects.tests.factories import ProjectFactory
from tests.access.roles import ROLES


def listed(city) -> Project:
    return ProjectFactory(
        region=city.guanxian,
        owner=city.enterprise,
        year=2026,
        planned_start=datetime.date(2026, 3, 1),
        planned_end=datetime.date(2027, 12, 31),
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def ask(city, project) -> ChangeRequest:
    return change_request_create(
        user=city.owner,
        project_id=project.pk,
        changes={"annual_investment": Decimal("6000")},
        reason="用地延期",
    )


def statuses(city, call) -> list[int]:
    results = []
    for role in ROLES:
        results.append(call(client_for(getattr(city, role) if role else None), listed(city)).status_code)
    return results


def test_page_permissions(city):
    assert statuses(city, lambda c, p: c.get(reverse("adjustments:list"))) == [
        302, 403, 200, 200, 200, 200, 403, 200, 200, 403,
    ]  # fmt: skip
    assert statuses(city, lambda c, p: c.get(reverse("adjustments:create", args=[p.pk]))) == [
        302, 403, 403, 403, 200, 404, 404, 200, 404, 403,
    ]  # fmt: skip

    def decide(client, project):
        return client.post(
            reverse("adjustments:decide", args=[ask(city, project).pk]), {"decision": "approve"}
        )

    assert statuses(city, decide) == [302, 403, 302, 403, 403, 403, 403, 403, 403, 403]
    assert ChangeRequest.objects.filter(status=Status.APPROVED).count() == 1


def test_edit_form_shows_the_locked_key_figures(city):
    project = listed(city)
    page = client_for(city.owner).get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert 'name="annual_investment"' not in page
    assert 'name="leader_name"' not in page
    assert 'id="key-figures"' in page
    assert "10,000.00" in page
    assert reverse("adjustments:create", args=[project.pk]) in page
    county_page = client_for(city.county).get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert 'name="level"' not in county_page and 'id="key-figures"' in county_page
    city_page = client_for(city.city_admin).get(reverse("projects:edit", args=[project.pk])).content.decode()
    assert 'name="annual_investment"' in city_page
    assert 'id="key-figures"' not in city_page


def test_posting_a_locked_figure_through_the_edit_form_changes_nothing(city):
    project = listed(city)
    form = client_for(city.owner).get(reverse("projects:edit", args=[project.pk])).context["form"]
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "annual_investment": "1"}
    client_for(city.owner).post(reverse("projects:edit", args=[project.pk]), data)
    project.refresh_from_db()
    assert project.annual_investment == Decimal("10000")


def test_request_form_asks_for_what_changed(city):
    project = listed(city)
    url = reverse("adjustments:create", args=[project.pk])
    client = client_for(city.owner)
    page = client.get(url)
    assert page.context["form"]["annual_investment"].value() == Decimal("10000")
    data = {
        "annual_investment": "6000",
        "total_investment": "50000",
        "level": project.level,
        "planned_start": "2026-03-01",
        "planned_end": "2027-12-31",
        "leader_name": "",
        "leader_post": "",
        "reason": "征地延期，年内完成不了",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    change_request = ChangeRequest.objects.get()
    assert [c["field"] for c in change_request.changes] == ["annual_investment"]
    project.refresh_from_db()
    assert project.annual_investment == Decimal("10000")
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="project-adjustments"' in detail and "待审批" in detail and "征地延期" in detail


def test_request_form_puts_errors_beside_the_fields(city):
    project = listed(city)
    response = client_for(city.owner).post(
        reverse("adjustments:create", args=[project.pk]),
        {"annual_investment": "90000", "total_investment": "50000", "level": "municipal", "reason": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reason"]
    assert not ChangeRequest.objects.exists()
    response = client_for(city.owner).post(
        reverse("adjustments:create", args=[project.pk]),
        {"annual_investment": "90000", "total_investment": "50000", "level": "municipal", "reason": "扩产"},
    )
    assert response.context["form"].errors["annual_investment"] == ["年度计划投资不能超过总投资"]


def test_queue_approve_and_refuse(city):
    first, second = listed(city), listed(city)
    approve, refuse = ask(city, first), ask(city, second)
    client = client_for(city.city_admin)
    queue = client.get(reverse("adjustments:list")).content.decode()
    assert f'data-request="{approve.pk}"' in queue and f'data-request="{refuse.pk}"' in queue
    client.post(reverse("adjustments:decide", args=[approve.pk]), {"decision": "approve"})
    response = client.post(
        reverse("adjustments:decide", args=[refuse.pk]), {"decision": "refuse"}, follow=True
    )
    assert "审批意见：请填写理由" in response.content.decode()
    client.post(reverse("adjustments:decide", args=[refuse.pk]), {"decision": "refuse", "reason": "不符合"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.annual_investment, second.annual_investment) == (Decimal("6000"), Decimal("10000"))
    assert client.get(reverse("adjustments:list")).context["rows"] == []
    everything = client.get(reverse("adjustments:list"), {"status": "all"}).content.decode()
    assert "已批准" in everything and "未批准" in everything and "不符合" in everything


@pytest.mark.parametrize("role", ["city_admin", "county", "owner"])
def test_navigation_links_the_queue(city, role):
    page = client_for(getattr(city, role)).get(reverse("projects:list")).content.decode()
    assert reverse("adjustments:list") in page


def test_queue_queries_do_not_grow_with_the_requests(city, django_assert_max_num_queries):
    for _ in range(2):
        ask(city, listed(city))
    client = client_for(city.city_admin)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("adjustments:list"))
    for _ in range(5):
        ask(city, listed(city))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("adjustments:list"))
    assert len(response.context["rows"]) == 7


def test_queue_in_english(city):
    ask(city, listed(city))
    client = client_for(city.city_admin)
    client.cookies["django_language"] = "en"  # pages follow the language switch
    page = client.get(reverse("adjustments:list")).content.decode()
    assert "Change requests" in page and "Approve" in page and "Refuse" in page
    assert "待审批" not in page and "调整理由" not in page
