import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keyprojects.accounts.tests.api_client import API, ApiClient
from keyprojects.chains.models import IndustrialChain
from keyprojects.core.tests.clock import session_today
from keyprojects.projects.models import Category, Level, Pipeline, Project, Stage
from keyprojects.projects.tests.factories import ProjectFactory

TODAY = session_today()
YEAR = TODAY.year
pytestmark = pytest.mark.usefixtures("clock")  # the dates below are the pinned today


def if_match(version) -> dict[str, str]:
    return {"If-Match": f'"{version}"'}


@pytest.fixture
def guan(city):
    return ProjectFactory(region=city.guanxian, owner=city.enterprise, name="冠州国际陆港")


def payload(**overrides) -> dict:
    return {
        "name": "冠县华超金属轻量化高强度车轮",
        "region": "371525",
        "total_investment": "85000.50",
        "annual_investment": "30000",
        "year": YEAR,
        **overrides,
    }


# --- reading -----------------------------------------------------------------------------------


def test_project_json_uses_the_published_names(city, guan):
    body = ApiClient(city.leader).get(f"/projects/{guan.pk}").json()
    assert {
        "id", "code", "name", "region", "level", "category", "pipeline", "stage", "year", "total_investment",
        "annual_investment", "planned_start", "planned_end", "actual_start", "actual_end", "owner", "version",
    } <= body.keys()  # fmt: skip
    assert body["region"] == "371525"
    assert body["owner"] == city.enterprise.pk
    assert body["total_investment"] == "50000.00"
    assert body["planned_start"] == f"{YEAR}-03-01"
    assert body["actual_start"] is None
    assert (body["level"], body["pipeline"], body["stage"]) == ("municipal", "scheduled", "preparation")


def test_get_sends_the_version_as_etag(city, guan):
    response = ApiClient(city.county).get(f"/projects/{guan.pk}")
    assert response["ETag"] == '"1"'


@pytest.fixture
def spread(city):
    """Projects across both counties, levels, categories, stages, pipelines and years."""
    ProjectFactory(
        region=city.guanxian, level=Level.PROVINCIAL, name="冠州國際陸港項目", total_investment=1020000
    )
    ProjectFactory(
        region=city.guanxian, category=Category.INFRASTRUCTURE, stage=Stage.PLANNING, year=YEAR - 1
    )
    ProjectFactory(region=city.gaotang, pipeline=Pipeline.RESERVE, name="奥博生物新型糖醇及氨基酸智造项目")
    ProjectFactory(
        region=city.gaotang,
        stage=Stage.NEW_START,
        actual_start=TODAY,
        level=Level.COUNTY,
        owner=city.other_enterprise,
    )


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({}, 4),
        ({"region": "371525"}, 2),
        ({"region": "999999"}, 0),
        ({"level": "provincial"}, 1),
        ({"category": "infrastructure"}, 1),
        ({"stage": "new_start"}, 1),
        ({"pipeline": "reserve"}, 1),
        ({"year": YEAR - 1}, 1),
        ({"q": "国际陆港"}, 1),
        ({"q": "國際"}, 1),
        ({"q": "糖醇 奥博"}, 1),
        ({"region": "371526", "level": "county"}, 1),
    ],
)
def test_list_filters(city, spread, query, count):
    response = ApiClient(city.city_admin).get("/projects", query)
    assert response.status_code == 200
    assert response.json()["count"] == count
    assert len(response.json()["items"]) == count


def test_list_pagination(city):
    for amount in range(1, 8):
        ProjectFactory(region=city.guanxian, total_investment=Decimal(amount * 1000))
    client = ApiClient(city.city_admin)
    page = client.get("/projects", {"limit": 3, "offset": 2}).json()
    assert page["count"] == 7
    assert [item["total_investment"] for item in page["items"]] == ["5000.00", "4000.00", "3000.00"]
    assert (
        client.get("/projects", {"limit": 3, "offset": 6}).json()["items"][0]["total_investment"] == "1000.00"
    )


def test_a_listed_project_reads_as_its_own_answer(city):
    """The list reads its rows as plain values: each must still be what the project's own answer says."""
    chain = IndustrialChain.objects.create(city=city.liaocheng, code="new-materials", name="新材料")
    ProjectFactory(
        region=city.guanxian,
        owner=city.enterprise,
        chain=chain,
        code="2403-371525-04-01-528171",
        latitude=Decimal("36.489000"),
        land_area=Decimal("120.5"),
        funding_sources=["special_bonds"],
        actual_start=TODAY,
    )
    ProjectFactory(region=city.gaotang, owner=None, planned_start=None, planned_end=None)
    client = ApiClient(city.city_admin)
    items = client.get("/projects").json()["items"]
    assert len(items) == 2
    for item in items:
        assert item == client.get(f"/projects/{item['id']}").json()


def test_list_query_count_does_not_grow_with_rows(city):
    client = ApiClient(city.city_admin)
    ProjectFactory(region=city.guanxian)
    client.get("/projects")  # the first use of a token also records when it was used
    with CaptureQueriesContext(connection) as few:
        client.get("/projects")
    for _ in range(10):
        ProjectFactory(region=city.gaotang)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/projects").json()["count"] == 11
    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"level": "national"}, "level"),
        ({"year": "soon"}, "year"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
    ],
)
def test_bad_filters_are_named(city, query, field):
    response = ApiClient(city.city_admin).get("/projects", query)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_history_is_readable(city, guan):
    client = ApiClient(city.city_admin)
    client.patch(f"/projects/{guan.pk}", {"level": "provincial"}, **if_match(1))
    history = client.get(f"/projects/{guan.pk}/history").json()
    assert history["count"] == 1
    row = history["items"][0]
    assert (row["field"], row["field_label"], row["old_value"], row["new_value"]) == (
        "level", "项目级别", "市重点", "省重点"
    )  # fmt: skip
    assert row["actor"] == city.city_admin.display_name


# --- creating and editing ----------------------------------------------------------------------


def test_create_answers_the_new_project(city):
    response = ApiClient(city.county).post(
        "/projects", payload(owner=city.enterprise.pk, funding_sources=["bank_loan"])
    )
    assert response.status_code == 201
    body = response.json()
    assert response["ETag"] == '"1"'
    assert (body["region"], body["owner"], body["total_investment"]) == (
        "371525",
        city.enterprise.pk,
        "85000.50",
    )
    assert (body["pipeline"], body["stage"], body["version"]) == ("proposed", "planning", 1)
    assert Project.objects.get(pk=body["id"]).events.count() == 1


def test_owner_creates_for_its_own_enterprise(city):
    body = ApiClient(city.owner).post("/projects", payload()).json()
    assert body["owner"] == city.enterprise.pk


@pytest.mark.parametrize(
    ("extra", "status", "field"),
    [
        ({"region": "000000"}, 422, "region"),
        ({"owner": 987654}, 422, "owner"),
        ({"region": "371526"}, 422, "region"),  # the other county is out of the officer's reach
        ({"annual_investment": "90000"}, 422, "annual_investment"),
        ({"total_investment": "0"}, 422, "total_investment"),
        ({"planned_start": f"{YEAR}-05-01", "planned_end": f"{YEAR}-04-01"}, 422, "planned_end"),
        ({"stage": "new_start"}, 422, "actual_start"),
        ({"stage": "withdrawn"}, 422, "stage"),
        ({"pipeline": "scheduled"}, 403, None),  # only the city office puts projects on the list
    ],
)
def test_create_refuses_bad_fields(city, extra, status, field):
    response = ApiClient(city.county).post("/projects", payload(**extra))
    assert response.status_code == status
    if field:
        assert field in response.json()["errors"]
    assert not Project.objects.exists()


def test_owner_must_be_an_enterprise(city):
    response = ApiClient(city.city_admin).post("/projects", payload(owner=city.department.pk))
    assert response.status_code == 422
    assert "项目单位必须是企业" in response.json()["errors"]["owner"]


def test_patch_needs_if_match(city, guan):
    client = ApiClient(city.county)
    missing = client.patch(f"/projects/{guan.pk}", {"name": "新名"})
    assert missing.status_code == 428
    assert "版本" in missing.json()["detail"]
    assert client.patch(f"/projects/{guan.pk}", {"name": "新名"}, **{"If-Match": "*"}).status_code == 428


def test_stale_patch_is_refused_and_changes_nothing(city, guan):
    client = ApiClient(city.county)
    first = client.patch(f"/projects/{guan.pk}", {"name": "第一次修改"}, **if_match(1))
    assert first.status_code == 200
    assert first["ETag"] == '"2"'
    stale = client.patch(f"/projects/{guan.pk}", {"name": "基于旧版本的修改"}, **if_match(1))
    assert stale.status_code == 412
    assert "刷新" in stale.json()["detail"]
    assert client.patch(f"/projects/{guan.pk}", {"name": "x"}, **{"If-Match": '"abc"'}).status_code == 412
    guan.refresh_from_db()
    assert (guan.name, guan.version) == ("第一次修改", 2)
    weak = client.patch(f"/projects/{guan.pk}", {"name": "弱标记"}, **{"If-Match": 'W/"2"'})
    assert weak.status_code == 200


def test_failed_patch_is_not_half_saved(city, guan):
    response = ApiClient(city.city_admin).patch(
        f"/projects/{guan.pk}", {"name": "改好的名字", "annual_investment": "60000"}, **if_match(1)
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["annual_investment"]
    guan.refresh_from_db()
    assert (guan.name, guan.version, guan.events.count()) == ("冠州国际陆港", 1, 0)


def test_patch_cannot_set_stage_or_version(city, guan):
    response = ApiClient(city.city_admin).patch(
        f"/projects/{guan.pk}", {"stage": "completed", "version": 9}, **if_match(1)
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"stage", "version"}


@pytest.mark.parametrize(
    ("change", "value"), [("level", "provincial"), ("region", "371526"), ("year", YEAR + 1)]
)
def test_owner_cannot_change_level_region_or_year(city, guan, change, value):
    response = ApiClient(city.owner).patch(f"/projects/{guan.pk}", {change: value}, **if_match(1))
    assert response.status_code == 403
    guan.refresh_from_db()
    assert guan.version == 1


def test_owner_edits_its_other_fields(city, guan):
    response = ApiClient(city.owner).patch(
        f"/projects/{guan.pk}", {"contact_phone": "0635-1234567"}, **if_match(1)
    )
    assert response.status_code == 200
    assert response.json()["contact_phone"] == "0635-1234567"


# --- the unified project code --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status", "expected"),
    [
        ("2403-371525-04-01-52817X", 201, "2403-371525-04-01-52817X"),
        (" 2403-371525-04-01-52817x ", 201, "2403-371525-04-01-52817X"),
        ("2403-371500-04-01-52817X", 201, "2403-371500-04-01-52817X"),  # the city segment is accepted
        ("2403371525040152817X", 422, None),
        ("2413-371525-04-01-52817X", 422, None),
        ("2403-371526-04-01-52817X", 422, None),  # 高唐's segment on a 冠县 project
        ("", 201, None),
    ],
)
def test_code_is_validated(city, code, status, expected):
    response = ApiClient(city.county).post("/projects", payload(code=code))
    assert response.status_code == status, response.json()
    if status == 201:
        assert response.json()["code"] == expected
    else:
        assert "code" in response.json()["errors"]


def test_code_is_unique(city):
    client = ApiClient(city.city_admin)
    assert client.post("/projects", payload(code="2403-371525-04-01-52817X")).status_code == 201
    again = client.post("/projects", payload(code="2403-371525-04-01-52817X", name="另一个项目"))
    assert again.status_code == 422
    assert again.json()["errors"]["code"] == ["该统一项目代码已被其他项目使用"]


# --- transitions -------------------------------------------------------------------------------


def move(client, project, version=1, **body):
    return client.post(f"/projects/{project.pk}/transitions", body, **if_match(version))


def test_new_start_needs_actual_start(city, guan):
    client = ApiClient(city.county)
    refused = move(client, guan, stage="new_start")
    assert refused.status_code == 422
    assert "actual_start" in refused.json()["errors"]
    done = move(client, guan, stage="new_start", actual_start=TODAY.isoformat())
    assert done.status_code == 200
    assert (done.json()["stage"], done.json()["actual_start"], done["ETag"]) == (
        "new_start",
        TODAY.isoformat(),
        '"2"',
    )


def test_completed_needs_an_end_not_before_the_start(city):
    started = ProjectFactory(
        region=city.guanxian, stage=Stage.UNDER_CONSTRUCTION, actual_start=datetime.date(YEAR - 1, 6, 1)
    )
    client = ApiClient(city.county)
    assert "actual_end" in move(client, started, stage="completed").json()["errors"]
    early = move(client, started, stage="completed", actual_end=f"{YEAR - 1}-05-01")
    assert early.status_code == 422
    assert "actual_end" in early.json()["errors"]
    assert move(client, started, stage="completed", actual_end=f"{YEAR - 1}-12-01").status_code == 200


@pytest.mark.parametrize("stage", ["on_hold", "withdrawn"])
def test_hold_and_withdraw_need_a_reason(city, guan, stage):
    client = ApiClient(city.city_admin)
    refused = move(client, guan, stage=stage, reason="  ")
    assert refused.status_code == 422
    assert "reason" in refused.json()["errors"]
    done = move(client, guan, stage=stage, reason="土地指标未落实")
    assert done.status_code == 200
    assert done.json()["stage_reason"] == "土地指标未落实"
    history = client.get(f"/projects/{guan.pk}/history").json()["items"]
    assert history[0]["reason"] == "土地指标未落实"


def test_only_the_city_admits_to_the_scheduled_list(city):
    reserve = ProjectFactory(region=city.guanxian, owner=city.enterprise, pipeline=Pipeline.RESERVE)
    assert move(ApiClient(city.county), reserve, pipeline="scheduled").status_code == 403
    assert move(ApiClient(city.owner), reserve, pipeline="scheduled").status_code == 403
    assert move(ApiClient(city.city_admin), reserve, pipeline="scheduled").json()["pipeline"] == "scheduled"


def test_owner_cannot_move_pipeline_or_withdraw(city, guan):
    client = ApiClient(city.owner)
    assert move(client, guan, pipeline="reserve", reason="调整").status_code == 403
    assert move(client, guan, stage="withdrawn", reason="不建了").status_code == 403


def test_transition_takes_the_version_in_the_body(city, guan):
    client = ApiClient(city.county)
    url = f"/projects/{guan.pk}/transitions"
    assert client.post(url, {"stage": "planning", "reason": "重新论证"}).status_code == 428
    assert client.post(url, {"stage": "planning", "reason": "重新论证", "version": 3}).status_code == 412
    assert client.post(url, {"stage": "planning", "reason": "重新论证", "version": 1}).status_code == 200


def test_failed_transition_is_not_half_saved(city, guan):
    # The stage move is valid, the pipeline step back lacks a reason: neither may stay.
    response = move(
        ApiClient(city.city_admin),
        guan,
        stage="new_start",
        actual_start=TODAY.isoformat(),
        pipeline="reserve",
    )
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
    guan.refresh_from_db()
    assert (guan.stage, guan.pipeline, guan.actual_start, guan.version) == (
        "preparation",
        "scheduled",
        None,
        1,
    )
    assert guan.events.count() == 0


# --- errors in the client's language -------------------------------------------------------------


def test_validation_messages_in_chinese(city):
    response = ApiClient(city.county).post(
        "/projects",
        payload(
            total_investment="很多",
            planned_start="2024-13-01",
            year="明年",
            level="national",
            name="项" * 201,
        ),
    )
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "请修正标出的错误"
    assert body["errors"]["total_investment"] == ["请输入有效的数字"]
    assert body["errors"]["planned_start"] == ["请输入有效的日期，格式为 YYYY-MM-DD"]
    assert body["errors"]["year"] == ["请输入整数"]
    assert body["errors"]["name"] == ["最多200个字符"]
    assert body["errors"]["level"] == ["请选择有效的选项：provincial / municipal / county"]


def test_validation_messages_in_english(city):
    client = ApiClient(city.county, language="en")
    body = client.post(
        "/projects", {"region": "371525", "total_investment": "lots", "planned_end": "soon"}
    ).json()
    assert body["detail"] == "Please correct the marked errors"
    assert body["errors"]["name"] == ["This field is required"]
    assert body["errors"]["total_investment"] == ["Enter a valid number"]
    assert body["errors"]["planned_end"] == ["Enter a valid date as YYYY-MM-DD"]


def test_service_messages_in_english(city, guan):
    client = ApiClient(city.county, language="en")
    over = client.post("/projects", payload(annual_investment="90000")).json()
    assert over["errors"]["annual_investment"] == [
        "The annual planned investment cannot exceed the total investment"
    ]
    stage = move(client, guan, stage="new_start").json()
    assert stage["errors"]["actual_start"] == [
        "Enter the actual start date before a project moves to new start or a later stage"
    ]
    assert client.get("/projects/999999").json() == {"detail": "Project not found"}
    stale = client.patch(f"/projects/{guan.pk}", {"name": "x"}, **if_match(7)).json()
    assert stale["detail"].startswith("This project has been changed by someone else")


def test_unreadable_body_is_refused_in_the_language_asked(city):
    client = ApiClient(city.county)
    url = f"{API}/projects"
    zh = client.client.post(url, "{not json", content_type="application/json", headers=client.headers)
    en = client.client.post(
        url, "{not json", content_type="application/json", headers={**client.headers, "Accept-Language": "en"}
    )
    assert (zh.status_code, zh.json()) == (400, {"detail": "请求体不是有效的 JSON"})
    assert en.json() == {"detail": "The request body is not valid JSON"}
    listed = client.post("/projects", ["not", "an", "object"])
    assert (listed.status_code, listed.json()["errors"]) == (422, {"__all__": ["请求体应为 JSON 对象"]})


def test_unauthenticated_message_follows_the_language(city):
    assert ApiClient(language="en").get("/me").json() == {"detail": "Log in, or send a valid API token"}
    assert ApiClient().get("/me").json() == {"detail": "请先登录，或提供有效的接口令牌"}


# --- the API's own description -------------------------------------------------------------------


def test_openapi_lists_every_endpoint(db):
    schema = Client().get(f"{API}/openapi.json").json()
    operations = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    assert {
        ("POST", "/api/v1/auth/token"),
        ("DELETE", "/api/v1/auth/token"),
        ("GET", "/api/v1/auth/tokens"),
        ("DELETE", "/api/v1/auth/tokens/{token_id}"),
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/regions"),
        ("GET", "/api/v1/organizations"),
        ("GET", "/api/v1/projects"),
        ("POST", "/api/v1/projects"),
        ("GET", "/api/v1/projects/{project_id}"),
        ("PATCH", "/api/v1/projects/{project_id}"),
        ("POST", "/api/v1/projects/{project_id}/transitions"),
        ("GET", "/api/v1/projects/{project_id}/history"),
    } <= operations
    assert "BearerTokenAuth" in schema["components"]["securitySchemes"]
    patch = schema["paths"]["/api/v1/projects/{project_id}"]["patch"]
    assert "If-Match" in [parameter["name"] for parameter in patch["parameters"]]


def test_docs_page_uses_only_local_assets(db):
    response = Client().get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "<script>" not in html  # the CSP forbids inline scripts


def test_the_annual_list_is_the_city_offices(city, guan):
    """A county may not take a listed project off 调度库, withdraw it, or move it to another year or kind."""
    county = ApiClient(city.county)
    assert move(county, guan, pipeline="reserve", reason="调整").status_code == 403
    assert move(county, guan, stage="withdrawn", reason="调整").status_code == 403
    etag = county.get(f"/projects/{guan.pk}")["ETag"]
    assert county.patch(f"/projects/{guan.pk}", {"year": 2030}, **{"If-Match": etag}).status_code == 403
    assert (
        county.patch(f"/projects/{guan.pk}", {"list_kind": "preparation"}, **{"If-Match": etag}).status_code
        == 403
    )
    assert move(ApiClient(city.city_admin), guan, stage="withdrawn", reason="不再列入").status_code == 200


def test_an_owner_proposes_projects_in_its_own_county_at_the_start_of_the_path(city):
    owner = ApiClient(city.owner)
    data = {"name": "企业申报项目", "region": "371525", "total_investment": "800", "year": 2026}
    for field, value in (
        ("level", "provincial"),
        ("stage", "under_construction"),
        ("list_kind", "preparation"),
    ):
        assert owner.post("/projects", {**data, field: value}).status_code == 403, field
    assert "region" in owner.post("/projects", {**data, "region": "371526"}).json()["errors"]
    created = owner.post("/projects", data).json()
    assert (created["pipeline"], created["stage"], created["owner"]) == (
        "proposed",
        "planning",
        city.enterprise.pk,
    )


def test_a_move_to_where_the_project_already_is_changes_nothing(city, guan):
    client = ApiClient(city.county)
    answer = move(client, guan, stage=guan.stage, pipeline=guan.pipeline)
    assert answer.status_code == 200 and answer.json()["version"] == 1
    assert not guan.events.filter(kind="transition").exists()
