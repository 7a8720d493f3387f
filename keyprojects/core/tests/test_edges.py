"""Inputs at the edges — ids beyond 64 bits, years and dates out of range, NUL characters, CR/LF in a
download's name, a stored date far in the future — answer a 422 (API) or an error beside the field
(pages) in the reader's language, never a server error."""

import datetime

import pytest
from django.test import Client

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.versions import etag_of
from keyprojects.progress.tests.report_helpers import make_project
from keyprojects.projects.models import Project
from keyprojects.schedule.models import PlanNode
from keyprojects.schedule.services import node_templates_seed, plan_create_from_template

BIG = 2**64


@pytest.fixture
def project(city):
    return make_project(
        city,
        name="冠州国际陆港",
        year=2026,
        planned_start=datetime.date(2026, 3, 2),
        planned_end=datetime.date(2027, 6, 30),
    )


@pytest.fixture
def node(city, project):
    node_templates_seed(city=city.liaocheng)
    plan_create_from_template(user=city.city_admin, project_id=project.pk)
    return PlanNode.objects.filter(project=project).order_by("order").first()


def page_client(user):
    client = Client()
    client.force_login(user)
    return client


# --- ids beyond 64 bits ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/projects/{id}/",
        "/projects/{id}/edit/",
        "/schedule/nodes/{id}/edit/",
        "/progress/reports/{id}/",
        "/adjustments/new/{id}/",
    ],
)
def test_page_ids_beyond_64_bits_are_not_found(city, path):
    assert page_client(city.city_admin).get(path.format(id=BIG)).status_code == 404


@pytest.mark.django_db
def test_api_ids_and_offsets_beyond_64_bits_are_named(city, project):
    api = ApiClient(city.city_admin)
    answer = api.get(f"/projects/{BIG}")
    assert answer.status_code == 422 and "project_id" in answer.json()["errors"]
    answer = api.get("/projects", {"offset": BIG})
    assert answer.status_code == 422 and "offset" in answer.json()["errors"]
    answer = ApiClient(city.city_admin, language="en").get("/auth/tokens", {"limit": BIG})
    assert answer.status_code == 422
    assert answer.json()["errors"]["limit"] == ["Must not be greater than 1000"]
    answer = api.get("/warnings", {"project": BIG})
    assert answer.status_code == 422 and "project" in answer.json()["errors"]


@pytest.mark.django_db
def test_page_version_beyond_64_bits_is_stale_not_a_crash(city):
    """The defaults in force before the first save answer a stale version like a stored row does."""
    answer = page_client(city.city_admin).post(
        "/statistics/settings/", {"inclusion_threshold": "600", "version": str(BIG)}
    )
    assert answer.status_code in (200, 409, 412, 422)
    assert "纳统门槛已被他人修改为500万元" in answer.content.decode()


# --- years and dates out of range -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("year", [0, 99999, -5])
def test_api_list_years_out_of_range(city, year):
    for path in ("/projects", "/metrics", "/metrics/cities", "/statistics"):
        answer = ApiClient(city.city_admin).get(path, {"year": year})
        assert answer.status_code == 422, path
        assert list(answer.json()["errors"]) == ["year"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"])
def test_api_dates_out_of_range_are_named(city, project, value):
    api = ApiClient(city.city_admin)
    answer = api.patch(f"/projects/{project.pk}", {"planned_end": value}, **{"If-Match": etag_of(project)})
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"planned_end": ["日期须在 1900-01-01 至 2100-12-31 之间"]}
    english = ApiClient(city.city_admin, language="en").get("/metrics", {"as_of": value})
    assert english.status_code == 422
    assert english.json()["errors"] == {"as_of": ["The date must lie between 1900-01-01 and 2100-12-31"]}


@pytest.mark.django_db
def test_api_round_window_lies_around_its_month(city, project):
    answer = ApiClient(city.city_admin).post(
        "/rounds",
        {
            "year": 2026,
            "month": 5,
            "opens_on": "2041-05-01",
            "closes_on": "2041-05-10",
            "project_ids": [project.pk],
        },
    )
    assert answer.status_code == 422
    assert set(answer.json()["errors"]) == {"opens_on", "closes_on"}
    assert answer.json()["errors"]["opens_on"][0].startswith("须在该月或今天前后一年内（2025-05-01 至 ")


@pytest.mark.django_db
def test_api_plan_dates_lie_around_the_project(city, node):
    answer = ApiClient(city.city_admin, language="en").patch(
        f"/plan-nodes/{node.pk}",
        {"planned_date": "2090-01-01", "reason": "顺延"},
        **{"If-Match": f'"{node.version}"'},
    )
    assert answer.status_code == 422
    assert answer.json()["errors"]["planned_date"] == [
        "Must lie between 2016-01-01 and 2037-12-31 (within ten years of the project's span)"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_page_dates_out_of_range_are_form_errors(city, project, value):
    client = page_client(city.city_admin)
    answer = client.get(f"/projects/{project.pk}/edit/")
    form = answer.context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "funding_sources"}
    data.update(planned_end=value, region=project.region_id, owner=project.owner_id)
    answer = client.post(f"/projects/{project.pk}/edit/", data)
    assert answer.status_code == 200
    assert answer.context["form"].errors["planned_end"] == ["日期须在 1900-01-01 至 2100-12-31 之间"]


@pytest.mark.django_db
def test_page_round_window_and_year_are_form_errors(city, project):
    client = page_client(city.city_admin)
    answer = client.post(
        "/progress/rounds/", {"year": 2026, "month": 5, "opens_on": "2041-05-01", "closes_on": "9999-12-31"}
    )
    assert answer.context["form"].errors["closes_on"] == ["日期须在 1900-01-01 至 2100-12-31 之间"]
    answer = client.post(
        "/progress/rounds/", {"year": 2026, "month": 5, "opens_on": "2041-05-01", "closes_on": "2041-05-10"}
    )
    assert answer.context["form"].errors["opens_on"][0].startswith("须在该月或今天前后一年内（2025-05-01 至 ")
    answer = client.get("/metrics/", {"year": "99999", "as_of": "0001-01-01"})
    assert answer.status_code == 200
    assert set(answer.context["form"].errors) == {"year", "as_of"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", [{"year": "99999"}, {"year": "0"}, {"as_of": "0001-01-01"}, {"page": str(10**30)}]
)
def test_list_pages_survive_edge_filters(city, project, query):
    client = page_client(city.city_admin)
    for path in (
        "/projects/",
        "/metrics/",
        "/statistics/",
        "/alerts/",
        "/schedule/queue/",
        "/notifications/",
    ):
        assert client.get(path, query).status_code in (200, 400), path


@pytest.mark.django_db
def test_page_of_a_month_beyond_any_calendar_is_not_found(city, project):
    answer = page_client(city.city_admin).get(f"/progress/projects/{project.pk}/{10**30}-1/")
    assert answer.status_code == 404


@pytest.mark.django_db
def test_stored_far_future_dates_are_shown_and_refused_on_use(city, project):
    """A date stored before the bounds existed still renders, and a plan built on it is refused."""
    Project.objects.filter(pk=project.pk).update(planned_end=datetime.date(9999, 12, 31))
    node_templates_seed(city=city.liaocheng)
    client = page_client(city.city_admin)
    assert client.get(f"/projects/{project.pk}/").status_code == 200
    answer = ApiClient(city.city_admin).post(f"/projects/{project.pk}/plan", {})
    assert answer.status_code == 422
    assert "planned_end" in answer.json()["errors"]


@pytest.mark.django_db
def test_stored_dates_beyond_the_calendar_draw_and_warn(city, project, node, clock):
    """Plan dates and a start stored before the bounds: the project page (with its timeline) renders
    and the warnings refresh."""
    from keyprojects.alerts.services import warnings_refresh

    PlanNode.objects.filter(pk=node.pk).update(
        planned_date=datetime.date(9999, 12, 31), actual_date=datetime.date(1, 1, 1)
    )
    Project.objects.filter(pk=project.pk).update(planned_start=datetime.date(9999, 12, 1), year=clock.year)
    assert page_client(city.city_admin).get(f"/projects/{project.pk}/").status_code == 200
    warnings_refresh(project_ids=[project.pk])


# --- NUL characters -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_nul_in_body_and_query_is_named(city, project):
    api = ApiClient(city.city_admin)
    answer = api.patch(f"/projects/{project.pk}", {"remarks": "a\x00b"}, **{"If-Match": etag_of(project)})
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"remarks": ["不能包含空字符（\\0）"]}
    answer = ApiClient(city.city_admin, language="en").get("/projects", {"region": "37\x0015"})
    assert answer.status_code == 422
    assert answer.json()["errors"] == {"region": ["Must not contain a NUL character (\\0)"]}
    answer = ApiClient().post("/auth/token", {"username": "city\x00", "password": "x"})
    assert answer.status_code == 422 and "username" in answer.json()["errors"]


@pytest.mark.django_db
def test_page_nul_in_query_is_named(city, project):
    answer = page_client(city.city_admin).get("/projects/", {"q": "陆港\x00"})
    assert answer.status_code == 400
    assert "<code>q</code>：不能包含空字符" in answer.content.decode()


@pytest.mark.django_db
def test_page_nul_in_form_is_a_form_error(city, project):
    client = page_client(city.city_admin)
    form = client.get(f"/projects/{project.pk}/edit/").context["form"]
    data = {name: form[name].value() or "" for name in form.fields if name != "funding_sources"}
    data.update(remarks="a\x00b", region=project.region_id, owner=project.owner_id)
    answer = client.post(f"/projects/{project.pk}/edit/", data)
    assert answer.status_code == 200 and "remarks" in answer.context["form"].errors


# --- CR/LF in a download's name -------------------------------------------------------------------


@pytest.mark.django_db
def test_export_name_keeps_no_line_breaks(city, project):
    answer = page_client(city.city_admin).get(
        "/alerts/supervision.xlsx", {"region": "371525\r\nSet-Cookie: x=1"}
    )
    assert answer.status_code == 200
    disposition = answer["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.startswith('attachment; filename="supervision-371525_Set-Cookie_ x=1-')


# --- errors are JSON, answers private -------------------------------------------------------------


@pytest.mark.django_db
def test_unhandled_api_error_is_json_in_the_readers_language(city, monkeypatch, settings):
    from keyprojects.projects import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "project_list", broken)
    for debug in (False, True):
        settings.DEBUG = debug
        api = ApiClient(city.city_admin, language="en")
        api.client = Client(raise_request_exception=False)
        answer = api.get("/projects")
        assert answer.status_code == 500
        assert answer["Content-Type"] == "application/json; charset=utf-8"
        assert answer.json() == {
            "detail": "Internal server error; it has been logged, please try again later"
        }


@pytest.mark.django_db
def test_unknown_api_path_is_json(city):
    answer = ApiClient(city.city_admin).get("/no-such-thing")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "未找到"}


@pytest.mark.django_db
def test_signed_in_answers_are_not_stored(city, project):
    client = page_client(city.city_admin)
    for path in (
        f"/projects/{project.pk}/",
        "/projects/",
        "/metrics/export.xlsx",
        "/alerts/supervision.xlsx",
    ):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert "no-store" in answer["Cache-Control"], path
    answer = ApiClient(city.city_admin).get(f"/projects/{project.pk}")
    assert "no-store" in answer["Cache-Control"]
    assert "no-store" in ApiClient().get("/projects")["Cache-Control"]
