import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keyprojects.accounts.tests.api_client import API, ApiClient
from keyprojects.projects.models import Stage
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.schedule.models import NodeCode, NodeEvent, NodeTemplate, PlanNode
from keyprojects.schedule.services import plan_create_from_template
from tests.access.roles import ROLES, user_of

# The plans of these tests (the fixtures' 2026 project, a 2027 one) are read in December 2026.
pytestmark = [pytest.mark.today("2026-12-01"), pytest.mark.usefixtures("clock")]


def statuses(city, method, path, data=None, **headers):
    return [
        getattr(ApiClient(user_of(city, role)), method)(path, data, **headers).status_code for role in ROLES
    ]


@pytest.fixture
def plan(city, templates, project):
    return plan_create_from_template(user=city.county, project_id=project.pk)


def test_who_sees_a_plan(city, plan, project):
    other = ProjectFactory(region=city.gaotang, owner=city.other_enterprise)
    assert statuses(city, "get", f"/projects/{project.pk}/plan") == [
        401,
        403,
        200,
        200,
        200,
        404,
        200,
        200,
        404,
        200,
    ]
    assert statuses(city, "get", f"/projects/{other.pk}/plan") == [
        401,
        403,
        200,
        200,
        404,
        200,
        404,
        404,
        200,
        200,
    ]


def test_plan_answers_nodes_with_their_computed_status(city, plan, project):
    body = ApiClient(city.county).get(f"/projects/{project.pk}/plan").json()
    assert body["project"] == project.pk
    assert body["calendar_known"] is False  # the plan runs into 2027, not yet in the official calendar
    start = next(n for n in body["nodes"] if n["code"] == "start")
    assert start["planned_date"] == "2026-03-02"
    assert start["status"] in {"overdue", "due_soon", "on_time"}
    supply = next(n for n in body["nodes"] if n["code"] == "land_supply")
    assert (supply["department_name"], supply["region"], supply["version"]) == (
        "聊城市自然资源和规划局",
        "371525",
        1,
    )


def test_creating_a_plan(city, templates, project):
    path = f"/projects/{project.pk}/plan"
    assert ApiClient(city.other_county).post(path, {}).status_code == 404
    assert ApiClient(city.leader).post(path, {}).status_code == 403
    response = ApiClient(city.owner).post(path, {})
    assert response.status_code == 201
    assert len(response.json()["nodes"]) == 12
    again = ApiClient(city.county).post(path, {})
    assert again.status_code == 422
    assert "template" in again.json()["errors"]


def test_creating_a_plan_without_a_planned_start_names_the_field(city, templates):
    bare = ProjectFactory(region=city.guanxian, planned_start=None)
    response = ApiClient(city.county).post(f"/projects/{bare.pk}/plan", {})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["planned_start"]


def test_node_updates_use_etags(city, plan):
    supply = next(n for n in plan if n.code == NodeCode.LAND_SUPPLY)
    client = ApiClient(city.county)
    path = f"/plan-nodes/{supply.pk}"
    got = client.get(path)
    assert got.headers["ETag"] == '"1"'
    assert client.patch(path, {"remarks": "已报件"}).status_code == 428
    response = client.patch(
        path, {"remarks": "已报件", "planned_date": "2025-12-01", "reason": "提前供地"}, **{"If-Match": '"1"'}
    )
    assert response.status_code == 200, response.json()
    assert response.headers["ETag"] == '"2"'
    assert (response.json()["remarks"], response.json()["planned_date"]) == ("已报件", "2025-12-01")
    stale = ApiClient(city.department_officer).patch(path, {"remarks": "x"}, **{"If-Match": '"1"'})
    assert stale.status_code == 412
    bad = client.patch(
        path, {"actual_date": "2099-01-01", "department": city.enterprise.pk}, **{"If-Match": '"2"'}
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"actual_date", "department"}


def test_node_update_permission_matrix(city, plan):
    supply = next(n for n in plan if n.code == NodeCode.LAND_SUPPLY)  # assigned to 自然资源和规划局
    results = []
    for role in ROLES:
        version = PlanNode.objects.get(pk=supply.pk).version
        response = ApiClient(user_of(city, role)).patch(
            f"/plan-nodes/{supply.pk}", {"evidence_number": f"文号-{role}"}, **{"If-Match": f'"{version}"'}
        )
        results.append(response.status_code)
    assert results == [401, 404, 200, 403, 200, 404, 200, 403, 404, 403]
    version = PlanNode.objects.get(pk=supply.pk).version
    for role in ("department_officer", "owner"):
        planned = ApiClient(getattr(city, role)).patch(
            f"/plan-nodes/{supply.pk}",
            {"planned_date": "2026-01-05", "reason": "改期"},
            **{"If-Match": f'"{version}"'},
        )
        assert planned.status_code == 403


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"planned_date": "2030-01-01", "reason": "企业要求"}, [200, 403, 200, 403, 403]),
        ({"department": "department"}, [200, 403, 200, 403, 403]),
        ({"remarks": "已进场"}, [200, 403, 200, 200, 403]),
    ],
)
def test_who_changes_the_owners_own_steps(city, plan, change, expected):
    """开工 has no department: the owner fills in its outcome; its date and department are the offices'."""
    start = next(n for n in plan if n.code == NodeCode.START)
    payload = {k: (city.department.pk if v == "department" else v) for k, v in change.items()}
    results = []
    for role in ("city_admin", "leader", "county", "owner", "department_officer"):
        PlanNode.objects.filter(pk=start.pk).update(planned_date=start.planned_date, department=None)
        version = PlanNode.objects.get(pk=start.pk).version
        response = ApiClient(user_of(city, role)).patch(
            f"/plan-nodes/{start.pk}", payload, **{"If-Match": f'"{version}"'}
        )
        results.append(response.status_code)
    assert results == expected


def test_a_new_planned_date_needs_a_reason_kept_in_the_history(city, plan):
    supply = next(n for n in plan if n.code == NodeCode.LAND_SUPPLY)
    client = ApiClient(city.county)
    path = f"/plan-nodes/{supply.pk}"
    refused = client.patch(path, {"planned_date": "2026-02-02"}, **{"If-Match": '"1"'})
    assert refused.status_code == 422
    assert list(refused.json()["errors"]) == ["reason"]
    assert PlanNode.objects.get(pk=supply.pk).planned_date != datetime.date(2026, 2, 2)
    done = client.patch(path, {"planned_date": "2026-02-02", "reason": "土地挂牌延后"}, **{"If-Match": '"1"'})
    assert done.status_code == 200
    event = NodeEvent.objects.get(node=supply, field="planned_date")
    assert (event.new, event.reason, event.actor) == (
        {"t": "date", "v": "2026-02-02"},
        "土地挂牌延后",
        city.county,
    )


def test_the_owner_completes_its_start_step_and_the_project_starts(city, plan, project):
    start = next(n for n in plan if n.code == NodeCode.START)
    response = ApiClient(city.owner).patch(
        f"/plan-nodes/{start.pk}", {"actual_date": "2026-03-09"}, **{"If-Match": '"1"'}
    )
    assert response.status_code == 200
    project.refresh_from_db()
    assert (project.stage, project.actual_start) == (Stage.NEW_START, datetime.date(2026, 3, 9))


def test_completing_the_start_node_over_the_api_moves_the_stage(city, plan, project):
    start = next(n for n in plan if n.code == NodeCode.START)
    response = ApiClient(city.county).patch(
        f"/plan-nodes/{start.pk}", {"actual_date": "2026-03-09"}, **{"If-Match": '"1"'}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "done"
    project.refresh_from_db()
    assert (project.stage, project.actual_start) == (Stage.NEW_START, datetime.date(2026, 3, 9))


def test_evidence_upload(city, plan):
    supply = next(n for n in plan if n.code == NodeCode.LAND_SUPPLY)
    client = ApiClient(city.department_officer)
    upload = SimpleUploadedFile("土地出让合同.pdf", b"%PDF-1.7 test", content_type="application/pdf")
    response = client.client.post(
        f"{API}/plan-nodes/{supply.pk}/evidence",
        {"file": upload},
        headers={**client.headers, "If-Match": '"1"'},
    )
    assert response.status_code == 200, response.json()
    url = response.json()["evidence_file"]
    assert url == f"/schedule/nodes/{supply.pk}/evidence/"
    fake = SimpleUploadedFile("照片.jpg", b"not an image", content_type="image/jpeg")
    refused = client.client.post(
        f"{API}/plan-nodes/{supply.pk}/evidence",
        {"file": fake},
        headers={**client.headers, "If-Match": '"2"'},
    )
    assert refused.status_code == 422
    assert "evidence_file" in refused.json()["errors"]


def test_department_queue_is_its_open_nodes_most_urgent_first(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    later = ProjectFactory(
        region=city.gaotang, planned_start=datetime.date(2027, 9, 1), planned_end=datetime.date(2028, 12, 31)
    )
    plan_create_from_template(user=city.city_admin, project_id=later.pk)
    mine = PlanNode.objects.filter(department=city.department)
    done = mine.filter(project=project).order_by("order").first()
    PlanNode.objects.filter(pk=done.pk).update(actual_date=datetime.date(2025, 10, 1))
    body = ApiClient(city.department_officer).get("/plan-nodes", {"mine": 1, "open": 1, "limit": 100}).json()
    items = body["items"]
    expected = mine.filter(actual_date=None).count()
    assert body["count"] == expected and len(items) == expected
    assert {i["department"] for i in items} == {city.department.pk}
    dates = [i["planned_date"] for i in items]
    assert dates == sorted(dates)
    statuses_seen = [i["status"] for i in items]
    assert statuses_seen.index("overdue") < statuses_seen.index("on_time")
    assert {i["project"] for i in items} == {project.pk, later.pk}
    # A county sees only the nodes of its own projects.
    county = (
        ApiClient(city.county).get("/plan-nodes", {"department": city.department.pk, "limit": 100}).json()
    )
    assert {i["project"] for i in county["items"]} == {project.pk}


def test_template_endpoints(city, templates):
    template = NodeTemplate.objects.get(approval_type="filing", kind="industrial")
    path = f"/node-templates/{template.pk}"
    assert statuses(city, "get", "/node-templates") == [401, 403, 200, 200, 200, 200, 200, 200, 200, 200]
    body = ApiClient(city.city_admin).get(path).json()
    nodes = body["nodes"]
    reordered = [nodes[1], nodes[0], *nodes[2:-1]]  # swap the first two, drop 达产
    payload = {
        "nodes": [
            {k: n[k] for k in ("code", "name", "offset_days", "relative_to_end", "department")}
            for n in reordered
        ]
    }
    for role in ("admin", "leader", "county", "owner", "department_officer"):
        assert ApiClient(getattr(city, role)).patch(path, payload, **{"If-Match": '"1"'}).status_code == 403
    city_client = ApiClient(city.city_admin)
    assert city_client.patch(path, payload).status_code == 428
    response = city_client.patch(path, payload, **{"If-Match": '"1"'})
    assert response.status_code == 200, response.json()
    assert [n["code"] for n in response.json()["nodes"]] == [n["code"] for n in reordered]
    assert response.headers["ETag"] == '"2"'
    assert city_client.patch(path, {"name": "x"}, **{"If-Match": '"1"'}).status_code == 412
    bad = city_client.patch(
        path,
        {"nodes": [{"code": "start"}, {"code": "start", "department": city.enterprise.pk}]},
        **{"If-Match": '"2"'},
    )
    assert bad.status_code == 422
    assert set(bad.json()["errors"]) == {"nodes.1.code", "nodes.1.department"}


def test_creating_a_template(city, templates):
    NodeTemplate.objects.filter(approval_type="filing", kind="infrastructure").delete()
    payload = {
        "name": "备案类·基础设施类",
        "approval_type": "filing",
        "kind": "infrastructure",
        "nodes": [{"code": "project_approval", "offset_days": -90}, {"code": "start"}],
    }
    assert ApiClient(city.county).post("/node-templates", payload).status_code == 403
    created = ApiClient(city.city_admin).post("/node-templates", payload)
    assert created.status_code == 201
    assert [n["name"] for n in created.json()["nodes"]] == ["立项（审批/核准/备案）", "开工"]
    duplicate = ApiClient(city.city_admin).post("/node-templates", payload)
    assert duplicate.status_code == 422
    assert "kind" in duplicate.json()["errors"]


def test_due_soon_setting(city):
    got = ApiClient(city.county).get("/plan-settings")
    assert got.json() == {"due_soon_workdays": 5, "version": 1}
    assert got.headers["ETag"] == '"1"'
    current = {"If-Match": '"1"'}
    assert (
        ApiClient(city.county).patch("/plan-settings", {"due_soon_workdays": 3}, **current).status_code == 403
    )
    office = ApiClient(city.city_admin)
    assert office.patch("/plan-settings", {"due_soon_workdays": 3}).status_code == 428
    saved = office.patch("/plan-settings", {"due_soon_workdays": 3}, **current)
    assert saved.json() == {"due_soon_workdays": 3, "version": 2}
    assert saved.headers["ETag"] == '"2"'
    stale = office.patch("/plan-settings", {"due_soon_workdays": 8}, **current)
    assert stale.status_code == 412
    assert office.get("/plan-settings").json()["due_soon_workdays"] == 3
    assert office.patch("/plan-settings", {"due_soon_workdays": -1}, **{"If-Match": '"2"'}).status_code == 422


def test_templates_and_plans_written_in_bulk_are_recorded_row_by_row(
    city, project, django_capture_on_commit_callbacks
):
    from keyprojects.audit.models import AuditKind, AuditRecord
    from keyprojects.schedule.models import TemplateNode
    from keyprojects.schedule.services import node_templates_seed

    with django_capture_on_commit_callbacks(execute=True):
        node_templates_seed(city=city.liaocheng)
        plan = plan_create_from_template(user=city.county, project_id=project.pk)
    nodes = AuditRecord.objects.filter(object_model="schedule.templatenode")
    assert nodes.count() == TemplateNode.objects.count() > 0
    assert set(nodes.values_list("kind", flat=True)) == {AuditKind.SETTINGS}
    planned = AuditRecord.objects.filter(object_model="schedule.plannode")
    assert sorted(int(pk) for pk in planned.values_list("object_pk", flat=True)) == sorted(n.pk for n in plan)
    first = planned.order_by("seq").first()
    assert first.kind == AuditKind.WRITE and first.old is None and first.new["name"]["t"] == "text"
