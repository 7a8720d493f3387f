"""The OC4IDS export: only projects marked public, in the standard's words, valid by the official
validator (libcoveoc4ids, a test-only dependency) against the schema copy served on loopback."""

import datetime
import functools
import http.server
import os
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.metrics.tests.helpers import list_project, report
from keyprojects.projects.models import Category, Nature, Stage
from keyprojects.schedule.models import PlanNode

SCHEMA_DIR = Path(os.environ.get("OC4IDS_SCHEMA_DIR", "/work/shared/oc4ids"))


@pytest.fixture(scope="module")
def schema_host():
    if not (SCHEMA_DIR / "0__9__5" / "project-schema.json").exists():
        pytest.skip(f"no OC4IDS schema copy in {SCHEMA_DIR} (set OC4IDS_SCHEMA_DIR)")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(SCHEMA_DIR))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def validate(package, base):
    from libcoveoc4ids.api import oc4ids_json_output
    from libcoveoc4ids.config import LibCoveOC4IDSConfig

    config = LibCoveOC4IDSConfig(
        {
            "schema_host": base + "0__9__5/",
            "schema_version_choices": {"0.9.5": ("0.9.5", base + "0__9__5/")},
            "schema_codelists": {"0.9": base + "codelists/"},
        }
    )
    return oc4ids_json_output(output_dir="", json_data=package, lib_cove_oc4ids_config=config)


@pytest.fixture
def portfolio(city):
    port = list_project(
        name="冠州国际陆港", code="2403-371525-04-01-52817X", region=city.guanxian, owner=city.enterprise,
        category=Category.INFRASTRUCTURE, nature=Nature.NEW, scope="3207亩物流园区", location="冠县城东",
        latitude=Decimal("36.48"), longitude=Decimal("115.44"), responsible_unit="冠县发展和改革局",
        actual_start=datetime.date(2026, 1, 10), planned_end=datetime.date(2028, 12, 31), is_public=True,
    )  # fmt: skip
    PlanNode.objects.create(project=port, order=1, code="project_approval", name="立项",
                            planned_date=datetime.date(2025, 10, 1), actual_date=datetime.date(2025, 9, 20))  # fmt: skip
    PlanNode.objects.create(project=port, order=2, code="acceptance", name="竣工验收",
                            planned_date=datetime.date(2028, 12, 1))  # fmt: skip
    report(port, datetime.date(2026, 1, 1), "1200.5", by=city.owner, reviewed_on=datetime.date(2026, 2, 3))
    idea = list_project(
        name="=未公开的谋划项目", region=city.gaotang, owner=city.enterprise, stage=Stage.PLANNING
    )
    withdrawn = list_project(name="已退出项目", region=city.gaotang, owner=city.enterprise,
                             stage=Stage.WITHDRAWN, category=Category.SOCIAL, is_public=True)  # fmt: skip
    return port, idea, withdrawn


def _package(user, **params):
    response = ApiClient(user).get("/exports/oc4ids", params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.today("2026-03-01")
def test_only_public_projects_in_the_standards_words(city, portfolio):
    package = _package(city.city_admin)
    assert package["version"] == "0.9" and package["publisher"]["name"] == city.city_admin.organization.name
    by_title = {p["title"]: p for p in package["projects"]}
    assert set(by_title) == {"冠州国际陆港", "已退出项目"}
    project = by_title["冠州国际陆港"]
    assert project["identifiers"] == [{"id": "2403-371525-04-01-52817X", "scheme": "CN-TZXM"}]
    assert project["status"] == "implementation" and project["type"] == "construction"
    assert project["sector"] == ["transport"] and project["description"] == "3207亩物流园区"
    assert project["budget"]["amount"] == {"amount": 500000000, "currency": "CNY"}
    assert project["locations"][0]["geometry"] == {"type": "Point", "coordinates": [115.44, 36.48]}
    assert {p["name"]: p["roles"] for p in project["parties"]} == {
        city.enterprise.name: ["publicAuthority"], "冠县发展和改革局": ["administrativeEntity"],
    }  # fmt: skip
    assert [(m["title"], m["status"], m["type"]) for m in project["milestones"]] == [
        ("立项", "met", "approval"), ("竣工验收", "scheduled", "delivery"),
    ]  # fmt: skip
    financial = project["metrics"][0]
    assert financial["id"] == "financialProgress"
    assert financial["observations"][0]["value"] == {"amount": 12005000, "currency": "CNY"}
    assert by_title["已退出项目"]["status"] == "cancelled"


@pytest.mark.today("2026-03-01")
def test_the_export_is_valid_oc4ids(city, portfolio, schema_host):
    package = _package(city.city_admin)
    result = validate(package, schema_host)
    assert result["validation_errors"] == []
    assert not result.get("additional_closed_codelist_values")


@pytest.mark.today("2026-03-01")
def test_the_slice_filters_as_the_project_list(city, portfolio):
    assert [p["title"] for p in _package(city.city_admin, region="371526")["projects"]] == ["已退出项目"]


@pytest.mark.today("2026-03-01")
def test_only_the_city_office_publishes(city, portfolio):
    for user in (city.county, city.owner, city.leader):
        assert ApiClient(user).get("/exports/oc4ids").status_code == 403


@pytest.mark.today("2026-03-01")
def test_only_the_city_office_marks_a_project_public(city, portfolio):
    port, idea, _withdrawn = portfolio
    response = ApiClient(city.county).patch(
        f"/projects/{port.pk}", {"is_public": False}, **{"If-Match": '"1"'}
    )
    port.refresh_from_db()
    assert response.status_code == 403 and port.is_public
    response = ApiClient(city.city_admin).patch(
        f"/projects/{idea.pk}", {"is_public": True}, **{"If-Match": '"1"'}
    )
    assert response.status_code == 200 and response.json()["is_public"] is True
    assert "=未公开的谋划项目" in [p["title"] for p in _package(city.city_admin)["projects"]]


@pytest.mark.today("2026-03-01")
def test_the_edit_form_offers_the_mark_to_the_city_office_only(client, city, portfolio):
    port, _idea, _withdrawn = portfolio
    client.force_login(city.city_admin)
    assert 'name="is_public"' in client.get(f"/projects/{port.pk}/edit/").content.decode()
    client.force_login(city.county)
    assert 'name="is_public"' not in client.get(f"/projects/{port.pk}/edit/").content.decode()
