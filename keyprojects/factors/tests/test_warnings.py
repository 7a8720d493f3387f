"""A demand not met past the date it was needed by turns the project's light red (the warnings of the
alerts app), and the warning goes once the demand is met; a change of the factors marks the project for
the city's next refresh."""

import datetime

import pytest

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.alerts.models import Color, PendingRefresh, ProjectWarning, Rule
from keyprojects.alerts.queue import refresh_pending
from keyprojects.alerts.services import warnings_refresh
from keyprojects.metrics.tests.helpers import list_project

from .helpers import demand, pool

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 9, 15)


def factor_warnings(project):
    return list(ProjectWarning.objects.filter(project=project, rule=Rule.FACTOR_UNMET, is_active=True))


def test_an_unmet_demand_past_its_date_is_a_red_warning_until_it_is_met(city):
    project = list_project(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)
    land = pool(city, supply="100")
    late = demand(city, project, amount="30", needed_by=D(2026, 9, 1))
    demand(city, project, kind="energy", amount="500", needed_by=D(2026, 10, 1))  # not due yet
    warnings_refresh(today=TODAY)
    (warning,) = factor_warnings(project)
    assert (warning.color, warning.subject, warning.since) == (Color.RED, f"demand:{late.pk}", D(2026, 9, 2))
    assert warning.message == "建设用地需求30亩，要求2026-09-01前保障，尚缺30亩（已逾期14天）"
    page = ApiClient(city.city_admin).get(f"/projects/{project.pk}/warnings").json()
    assert "尚缺30亩" in str(page)

    ApiClient(city.city_admin).post(
        "/factor-allocations",
        {"pool": land.pk, "project": project.pk, "amount": "12.5", "reason": "先行配置"},
    )
    warnings_refresh(today=TODAY)
    (warning,) = factor_warnings(project)
    assert "尚缺17.5亩" in warning.message
    ApiClient(city.city_admin).post(
        "/factor-allocations", {"pool": land.pk, "project": project.pk, "amount": "17.5", "reason": "配足"}
    )
    warnings_refresh(today=TODAY)
    assert factor_warnings(project) == []


def test_an_allocation_marks_its_project_for_the_next_refresh(
    city, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    project = list_project(region=city.guanxian, owner=city.enterprise)
    land = pool(city)
    demand(city, project, amount="10")
    refresh_pending(city.liaocheng.pk)
    with django_capture_on_commit_callbacks(execute=True):
        answer = ApiClient(city.city_admin).post(
            "/factor-allocations", {"pool": land.pk, "project": project.pk, "amount": "5", "reason": "配置"}
        )
    assert answer.status_code == 201
    assert list(PendingRefresh.objects.values_list("project_id", flat=True)) == [project.pk]
