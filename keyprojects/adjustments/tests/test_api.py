"""Change requests over the API: who may ask and decide, what counts until approval, and the history."""

import datetime
from decimal import Decimal

import pytest

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.adjustments.models import ChangeRequest, Status
from keyprojects.notifications.models import Notification
from keyprojects.projects.models import Level, Pipeline, Project
from keyprojects.projects.tests.factories import ProjectFactory
from tests.access.roles import ROLES

YEAR = 2026


def listed(city, **kwargs) -> Project:
    return ProjectFactory(
        region=city.guanxian,
        owner=city.enterprise,
        year=YEAR,
        planned_start=datetime.date(YEAR, 3, 1),
        planned_end=datetime.date(YEAR + 1, 12, 31),
        **kwargs,
    )


def ask(client, project, **changes):
    body = {"project": project.pk, "changes": changes or {"annual_investment": "6000"}, "reason": "用地延期"}
    return client.post("/adjustments", body)


def pending(city, project) -> ChangeRequest:
    response = ask(ApiClient(city.owner), project)
    assert response.status_code == 201, response.json()
    return ChangeRequest.objects.get(pk=response.json()["id"])


def statuses(city, call) -> list[int]:
    results = []
    for role in ROLES:
        project = listed(city)
        client = ApiClient(getattr(city, role) if role else None)
        results.append(call(client, project).status_code)
    return results


def test_who_may_ask(city):
    assert statuses(city, ask) == [401, 403, 403, 403, 201, 404, 404, 201, 404, 403]


def test_who_may_see_the_list_and_a_request(city):
    def detail(client, project):
        return client.get(f"/adjustments/{pending(city, project).pk}")

    assert statuses(city, detail) == [401, 403, 200, 200, 200, 404, 404, 200, 404, 200]
    # the department has no change requests to follow: refused, as on the page
    assert statuses(city, lambda c, p: c.get("/adjustments")) == [
        401,
        403,
        200,
        200,
        200,
        200,
        403,
        200,
        200,
        403,
    ]


@pytest.mark.parametrize("decision", ["approve", "refuse"])
def test_only_the_city_office_decides(city, decision):
    def decide(client, project):
        return client.post(f"/adjustments/{pending(city, project).pk}/{decision}", {"reason": "同意"})

    assert statuses(city, decide) == [401, 403, 200, 403, 403, 403, 403, 403, 403, 403]


def test_lists_count_only_visible_requests(city):
    pending(city, listed(city))
    hidden = ProjectFactory(region=city.gaotang, owner=city.other_enterprise)
    ApiClient(city.other_owner).post(
        "/adjustments", {"project": hidden.pk, "changes": {"level": "provincial"}, "reason": "升级"}
    )

    def count(user):
        return ApiClient(user).get("/adjustments").json()["count"]

    assert [count(u) for u in (city.city_admin, city.county, city.owner, city.other_owner)] == [2, 1, 1, 1]


def test_old_figures_count_until_approval(city):
    project = listed(city, annual_investment=Decimal("10000"))
    city_client = ApiClient(city.city_admin)
    as_of = {"as_of": "2100-12-31", "year": YEAR}  # after every event, whatever today is
    before = city_client.get("/metrics", as_of).json()["investment_rate"]["denominator"]
    change_request = pending(city, project)

    assert city_client.get(f"/projects/{project.pk}").json()["annual_investment"] == "10000.00"
    assert city_client.get("/metrics", as_of).json()["investment_rate"]["denominator"] == before
    assert ApiClient(city.city_admin).get("/projects").json()["items"][0]["annual_investment"] == "10000.00"

    response = city_client.post(f"/adjustments/{change_request.pk}/approve", {})
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    detail = city_client.get(f"/projects/{project.pk}")
    assert (detail.json()["annual_investment"], detail["ETag"]) == ("6000.00", '"2"')
    after = city_client.get("/metrics", as_of).json()["investment_rate"]["denominator"]
    assert Decimal(after) == Decimal(before) - 4000


def test_request_and_decision_are_in_the_history(city):
    project = listed(city)
    change_request = pending(city, project)
    ApiClient(city.city_admin).post(f"/adjustments/{change_request.pk}/approve", {"reason": "符合年中调整"})
    history = ApiClient(city.city_admin).get(f"/projects/{project.pk}/history").json()["items"]
    rows = [(h["field"], h["old_value"], h["new_value"], h["reason"]) for h in history]
    assert rows == [
        ("adjustment", "待审批", "已批准", "符合年中调整"),
        ("annual_investment", "10,000.00", "6,000.00", f"调整申请 #{change_request.pk} 获批"),
        ("adjustment", "", "待审批", "用地延期"),
    ]


def test_refusal_needs_a_reason_and_keeps_the_figures(city):
    project = listed(city)
    change_request = pending(city, project)
    client = ApiClient(city.city_admin)
    refused = client.post(f"/adjustments/{change_request.pk}/refuse", {"reason": " "})
    assert (refused.status_code, refused.json()["errors"]) == (422, {"reason": ["请填写理由"]})
    response = client.post(f"/adjustments/{change_request.pk}/refuse", {"reason": "年度计划已上报省里"})
    assert (response.status_code, response.json()["status"]) == (200, "refused")
    project.refresh_from_db()
    assert (project.annual_investment, project.version) == (Decimal("10000"), 1)
    again = client.post(f"/adjustments/{change_request.pk}/approve", {})
    assert again.status_code == 422


def test_one_pending_request_per_project(city):
    project = listed(city)
    first = pending(city, project)
    second = ask(ApiClient(city.county), project, level="provincial")
    assert second.status_code == 422
    assert "待审批" in second.json()["detail"]
    ApiClient(city.city_admin).post(f"/adjustments/{first.pk}/refuse", {"reason": "不同意"})
    assert ask(ApiClient(city.county), project, level="provincial").status_code == 201


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"annual_investment": "60000"}, "annual_investment"),
        ({"planned_end": f"{YEAR}-01-01"}, "planned_end"),
        ({"annual_investment": "-1"}, "annual_investment"),
        ({"level": "national"}, "changes.level"),
        ({"name": "改名"}, "changes.name"),
    ],
)
def test_bad_values_name_the_field(city, changes, field):
    response = ask(ApiClient(city.owner), listed(city), **changes)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not ChangeRequest.objects.exists()


def test_nothing_changed_is_refused(city):
    response = ask(ApiClient(city.owner), listed(city), annual_investment="10000")
    assert response.status_code == 422
    assert ApiClient(city.owner).post(
        "/adjustments", {"project": listed(city).pk, "changes": {"level": "municipal"}, "reason": ""}
    ).json()["errors"] == {"__all__": ["请至少修改一项关键指标"]}


def test_approval_checks_the_figures_again(city):
    project = listed(city)
    change_request = pending(city, project)  # annual 6000
    ApiClient(city.city_admin).patch(
        f"/projects/{project.pk}",
        {"total_investment": "5000", "annual_investment": "5000"},
        **{"If-Match": '"1"'},
    )
    response = ApiClient(city.city_admin).post(f"/adjustments/{change_request.pk}/approve", {})
    assert response.status_code == 422
    assert "annual_investment" in response.json()["errors"]
    change_request.refresh_from_db()
    assert change_request.status == Status.PENDING


@pytest.mark.parametrize(
    ("role", "body"),
    [
        ("owner", {"annual_investment": "6000"}),
        ("owner", {"planned_start": f"{YEAR}-05-01"}),
        ("owner", {"leader_name": "张三"}),
        ("county", {"level": "provincial"}),
        ("county", {"total_investment": "90000"}),
    ],
)
def test_listed_key_figures_have_no_side_door(city, role, body):
    project = listed(city, level=Level.PROVINCIAL if "level" not in body else Level.MUNICIPAL)
    response = ApiClient(getattr(city, role)).patch(f"/projects/{project.pk}", body, **{"If-Match": '"1"'})
    assert response.status_code == 403
    assert "调整申请" in response.json()["detail"]
    project.refresh_from_db()
    assert project.version == 1


def test_key_figures_of_an_unlisted_project_are_edited_directly(city):
    project = listed(city, pipeline=Pipeline.RESERVE)
    response = ApiClient(city.county).patch(
        f"/projects/{project.pk}", {"annual_investment": "6000", "level": "provincial"}, **{"If-Match": '"1"'}
    )
    assert response.status_code == 200
    assert ask(ApiClient(city.county), project).status_code == 403


def test_errors_speak_english_when_asked(city):
    project = listed(city)
    client = ApiClient(city.owner, language="en")
    ask(client, project)
    again = ask(client, project, level="provincial")
    assert again.json()["detail"].startswith("This project already has a pending change request")
    locked = client.patch(f"/projects/{project.pk}", {"annual_investment": "1"}, **{"If-Match": '"1"'})
    assert "request a change" in locked.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize(("decision", "word"), [("approve", "已获批准"), ("refuse", "未获批准")])
def test_the_requester_is_told_of_the_decision(city, decision, word):
    project = listed(city)
    change_request = pending(city, project)
    assert not Notification.objects.exists()
    ApiClient(city.city_admin).post(f"/adjustments/{change_request.pk}/{decision}", {"reason": "按程序办理"})
    told = Notification.objects.get()
    assert (told.recipient, told.kind) == (city.owner, "change_decided")
    assert word in told.title and told.body == "审批意见：按程序办理"
    assert told.url == f"/projects/{project.pk}/#project-adjustments"
