import datetime
import re
from functools import partial

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core.tests.forms import form_fields
from keyprojects.core.tests.queries import queries_of
from keyprojects.projects.models import Stage
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.schedule.models import NodeCode, NodeTemplate, PlanNode, ScheduleSettings
from keyprojects.schedule.services import plan_create_from_template, plan_node_update
from keyprojects.schedule.workdays import overdue_workdays
from tests.access.roles import ROLES, user_of

# The plans of these tests (the fixtures' 2026 project, a 2027 one) are read in December 2026.
pytestmark = [pytest.mark.today("2026-12-01"), pytest.mark.usefixtures("clock")]


def login(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def plan(city, templates, project):
    return {n.code: n for n in plan_create_from_template(user=city.county, project_id=project.pk)}


def detail(project):
    return reverse("projects:detail", args=[project.pk])


def test_a_project_without_plan_offers_to_make_one_to_those_who_may_edit(city, templates, project):
    page = login(city.county).get(detail(project)).content.decode()
    assert "尚未制定节点计划" in page and "按模板生成节点计划" in page
    leader_page = login(city.leader).get(detail(project)).content.decode()
    assert "尚未制定节点计划" in leader_page and "按模板生成节点计划" not in leader_page
    assert login(city.leader).post(reverse("schedule:plan_create", args=[project.pk])).status_code == 403
    assert (
        login(city.other_county).post(reverse("schedule:plan_create", args=[project.pk])).status_code == 404
    )
    response = login(city.county).post(reverse("schedule:plan_create", args=[project.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#plan")
    assert PlanNode.objects.filter(project=project).count() == 12


def test_plan_creation_errors_are_shown(city, templates):
    bare = ProjectFactory(region=city.guanxian, planned_start=None)
    client = login(city.county)
    response = client.post(reverse("schedule:plan_create", args=[bare.pk]), follow=True)
    assert "请先填写项目的计划开工时间" in response.content.decode()


def test_the_project_page_shows_the_timeline_and_node_statuses(city, plan, project):
    PlanNode.objects.filter(pk=plan[NodeCode.PROJECT_APPROVAL].pk).update(
        actual_date=datetime.date(2025, 9, 1)
    )
    page = login(city.leader).get(detail(project)).content.decode()
    assert 'id="plan"' in page and "kp-gantt-today" in page
    assert page.count('class="kp-gantt-row" data-node=') == 12
    assert 'data-status="done"' in page and 'data-status="overdue"' in page
    assert "2027、2028：该年度法定节假日数据缺失，按周一至周五计算" in page
    assert "schedule/schedule.css" in page
    assert reverse("schedule:node_edit", args=[plan[NodeCode.START].pk]) not in page  # leaders only read


def test_a_department_gets_edit_buttons_only_for_its_nodes(city, plan, project):
    page = login(city.department_officer).get(detail(project)).content.decode()
    assert reverse("schedule:node_edit", args=[plan[NodeCode.LAND_SUPPLY].pk]) in page
    assert reverse("schedule:node_edit", args=[plan[NodeCode.ENVIRONMENT].pk]) not in page


def test_node_edit_inline_and_on_its_own_page(city, plan, project):
    start = plan[NodeCode.START]
    url = reverse("schedule:node_edit", args=[start.pk])
    client = login(city.county)
    partial = client.get(url, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode() and 'name="planned_date"' in partial.content.decode()
    assert "<html" in client.get(url).content.decode()
    response = client.post(
        url,
        {"version": 1, "planned_date": "2026-03-02", "actual_date": "2026-03-05", "department": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    project.refresh_from_db()
    assert (project.stage, project.actual_start) == (Stage.NEW_START, datetime.date(2026, 3, 5))


def merge_rows(page: str) -> dict[str, tuple[str, str]]:
    """The merge offer's rows: each field the user typed, the latest value beside the user's."""
    rows = re.findall(r'data-merge="(\w+)">\s*<td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>', page)
    return {name: (latest, typed) for name, latest, typed in rows}


def test_two_editing_a_node_see_who_saved_what_and_reapply_their_own_field_by_field(city, plan):
    supply = plan[NodeCode.LAND_SUPPLY]
    url = reverse("schedule:node_edit", args=[supply.pk])
    form = f'<form method="post" action="{url}"'
    county, office = login(city.county), login(city.city_admin)
    theirs = form_fields(county.get(url).content.decode(), form)
    mine = form_fields(office.get(url).content.decode(), form)
    theirs.update(planned_date=["2026-01-05"], remarks=["县里改期"], reason=["挂牌延后"])
    assert county.post(url, theirs).status_code == 302
    mine.update(planned_date=["2026-01-20"], remarks=["市里改期"], reason=["统筹"])

    page = office.post(url, mine).content.decode()
    supply.refresh_from_db()
    assert (supply.planned_date, supply.remarks, supply.version) == (datetime.date(2026, 1, 5), "县里改期", 2)
    saved = re.search(r'id="merge-saved">(.*?)</ul>', page, re.S).group(1)
    assert re.search(
        city.county.display_name + r" \d{4}-\d{2}-\d{2} \d{2}:\d{2} 将“计划完成时间”由 \S+ 改为 2026-01-05",
        saved,
    )
    assert "将“备注”由 — 改为 县里改期" in saved
    assert merge_rows(page) == {
        "planned_date": ("2026-01-05", "2026-01-20"),
        "remarks": ("县里改期", "市里改期"),
        "reason": ("—", "统筹"),
    }

    again = form_fields(page, form)
    again["keep"] = ["remarks", "reason"]  # the county's date stays
    assert office.post(url, again).status_code == 302
    supply.refresh_from_db()
    assert (supply.planned_date, supply.remarks, supply.version) == (datetime.date(2026, 1, 5), "市里改期", 3)


def test_node_edit_form_errors_stay_beside_the_fields(city, plan):
    url = reverse("schedule:node_edit", args=[plan[NodeCode.LAND_SUPPLY].pk])
    response = login(city.county).post(
        url, {"version": 1, "planned_date": "2026-01-05", "actual_date": "2099-01-01"}
    )
    assert response.status_code == 200
    assert "实际完成时间不能晚于今天" in response.content.decode()
    assert PlanNode.objects.get(pk=plan[NodeCode.LAND_SUPPLY].pk).version == 1


def test_a_new_planned_date_asks_for_a_reason_shown_in_the_history(city, plan, project):
    supply = plan[NodeCode.LAND_SUPPLY]
    url = reverse("schedule:node_edit", args=[supply.pk])
    client = login(city.county)
    assert 'name="reason"' in client.get(url).content.decode()
    refused = client.post(url, {"version": 1, "planned_date": "2026-01-05"})
    assert refused.status_code == 200
    assert 'id="id_reason-errors"' in refused.content.decode()
    assert PlanNode.objects.get(pk=supply.pk).version == 1
    saved = client.post(url, {"version": 1, "planned_date": "2026-01-05", "reason": "土地挂牌延后"})
    assert saved.status_code == 302
    history = client.get(detail(project)).content.decode()
    assert "土地挂牌延后" in history


def test_the_owner_is_offered_only_the_outcome_of_its_own_steps(city, plan, project):
    owner = login(city.owner)
    page = owner.get(detail(project)).content.decode()
    start_url = reverse("schedule:node_edit", args=[plan[NodeCode.START].pk])
    supply_url = reverse("schedule:node_edit", args=[plan[NodeCode.LAND_SUPPLY].pk])
    assert start_url in page and supply_url not in page
    form = owner.get(start_url).content.decode()
    assert 'name="actual_date"' in form and 'name="remarks"' in form
    assert (
        'name="planned_date"' not in form and 'name="department"' not in form and 'name="reason"' not in form
    )
    assert owner.get(supply_url).status_code == 403
    sneaked = owner.post(start_url, {"version": 1, "planned_date": "2030-01-01", "remarks": "已进场"})
    assert sneaked.status_code == 302
    start = PlanNode.objects.get(pk=plan[NodeCode.START].pk)
    assert (start.planned_date, start.remarks) == (plan[NodeCode.START].planned_date, "已进场")


def test_node_edit_access(city, plan):
    supply_url = reverse("schedule:node_edit", args=[plan[NodeCode.LAND_SUPPLY].pk])
    environment_url = reverse("schedule:node_edit", args=[plan[NodeCode.ENVIRONMENT].pk])
    assert login(city.other_county).get(supply_url).status_code == 404
    assert login(city.leader).get(supply_url).status_code == 403
    department = login(city.department_officer)
    assert department.get(environment_url).status_code == 403
    form = department.get(supply_url).content.decode()
    assert (
        'name="actual_date"' in form and 'name="planned_date"' not in form and 'name="department"' not in form
    )
    assert 'name="reason"' not in form


def test_department_queue_lists_its_open_nodes_most_urgent_first(city, plan, project):
    other = ProjectFactory(
        region=city.gaotang, planned_start=datetime.date(2027, 5, 6), planned_end=datetime.date(2028, 6, 30)
    )
    plan_create_from_template(user=city.city_admin, project_id=other.pk)
    PlanNode.objects.filter(pk=plan[NodeCode.LAND_SUPPLY].pk).update(actual_date=datetime.date(2025, 11, 20))
    response = login(city.department_officer).get(reverse("schedule:queue"))
    assert response.status_code == 200
    ids = [node.pk for node in response.context["page"]]
    expected = PlanNode.objects.filter(department=city.department, actual_date=None).order_by(
        "planned_date", "project_id", "order"
    )
    assert ids == [n.pk for n in expected]
    assert plan[NodeCode.LAND_SUPPLY].pk not in ids
    page = response.content.decode()
    assert [int(pk) for pk in re.findall(r'data-node-id="(\d+)"', page)] == ids  # as shown, in that order
    statuses = re.findall(r'data-status="(\w+)"', page)
    assert statuses[0] == "overdue" and statuses[-1] == "on_time" and len(statuses) == len(ids)
    assert "冠县" in page and "高唐县" in page and "我的节点" in page


def test_offices_filter_the_queue_by_department_within_their_scope(city, plan, project):
    other = ProjectFactory(region=city.gaotang)
    plan_create_from_template(user=city.city_admin, project_id=other.pk)
    county = login(city.county).get(reverse("schedule:queue"), {"department": city.department.pk})
    assert {n.project_id for n in county.context["page"]} == {project.pk}
    everyone = login(city.city_admin).get(reverse("schedule:queue"), {"department": city.department.pk})
    assert {n.project_id for n in everyone.context["page"]} == {project.pk, other.pk}
    assert {n.department_id for n in everyone.context["page"]} == {city.department.pk}
    partial = login(city.city_admin).get(
        reverse("schedule:queue"), {"status": "overdue"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in partial.content.decode()
    # a partial's own context is not captured by the test client: its rows are read from the HTML
    assert set(re.findall(r'data-status="(\w+)"', partial.content.decode())) == {"overdue"}


def test_queue_shows_only_projects_a_department_is_assigned(city, plan, project):
    unrelated = ProjectFactory(region=city.guanxian, name="与本部门无关的项目")
    response = login(city.department_officer).get(reverse("schedule:queue"))
    assert "与本部门无关的项目" not in response.content.decode()
    assert login(city.department_officer).get(detail(unrelated)).status_code == 404
    assert login(city.department_officer).get(detail(project)).status_code == 200


def test_only_the_city_office_edits_templates(city, templates):
    template = NodeTemplate.objects.get(approval_type="filing", kind="industrial")
    url = reverse("schedule:template_edit", args=[template.pk])
    county_page = login(city.county).get(url).content.decode()
    assert "保存模板" not in county_page and "土地供应" in county_page
    assert login(city.county).post(url, {}).status_code == 403
    city_client = login(city.city_admin)
    assert "保存模板" in city_client.get(url).content.decode()
    nodes = list(template.nodes.order_by("order"))
    data = {
        "version": 1, "name": "备案类产业项目", "is_active": "on",
        "nodes-TOTAL_FORMS": len(nodes) + 1, "nodes-INITIAL_FORMS": len(nodes),
        "nodes-MIN_NUM_FORMS": 0, "nodes-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for i, node in enumerate(nodes):
        data.update({
            f"nodes-{i}-code": node.code, f"nodes-{i}-name": node.name, f"nodes-{i}-offset_days": node.offset_days,
            f"nodes-{i}-department": node.department_id or "", f"nodes-{i}-ORDER": i + 1,
        })  # fmt: skip
        if node.relative_to_end:
            data[f"nodes-{i}-relative_to_end"] = "on"
    data.update({"nodes-0-ORDER": 3, "nodes-1-ORDER": 1, "nodes-2-ORDER": 2})  # 立项 moves down two places
    data["nodes-11-DELETE"] = "on"  # 达产 goes
    new = len(nodes)
    data.update({
        f"nodes-{new}-code": "other", f"nodes-{new}-name": "电力接入", f"nodes-{new}-offset_days": -10,
        f"nodes-{new}-ORDER": 9,
    })  # fmt: skip
    response = city_client.post(url, data)
    assert response.status_code == 302, response.context["formset"].errors
    template.refresh_from_db()
    names = list(template.nodes.order_by("order").values_list("name", flat=True))
    assert names[:3] == ["土地供应", "建设用地规划许可", "立项"]
    assert "达产" not in names and "电力接入" in names
    assert (template.name, template.version) == ("备案类产业项目", 2)
    stale = city_client.post(url, {**data, "version": 1})
    assert stale.status_code == 200 and "该模板已被他人修改" in stale.content.decode()


def test_due_soon_setting_on_the_templates_page(city):
    url = reverse("schedule:settings")
    assert login(city.county).post(url, {"version": 1, "due_soon_workdays": 3}).status_code == 403
    assert "临期提醒" not in login(city.county).get(reverse("schedule:templates")).content.decode()
    office = login(city.city_admin)
    assert 'name="version" value="1"' in office.get(reverse("schedule:templates")).content.decode()
    response = office.post(url, {"version": 1, "due_soon_workdays": 3})
    assert response.status_code == 302
    assert ScheduleSettings.for_city(city.liaocheng.pk).due_soon_workdays == 3
    stale = office.post(url, {"version": 1, "due_soon_workdays": 8})
    assert stale.status_code == 422
    page = stale.content.decode()
    assert 'id="merge"' in page and 'name="version" value="2"' in page
    assert merge_rows(page) == {"due_soon_workdays": ("3", "8")}  # the saved value beside the one typed
    assert ScheduleSettings.for_city(city.liaocheng.pk).due_soon_workdays == 3
    again = form_fields(page, f'<form method="post" action="{url}"')
    assert again["keep"] == ["due_soon_workdays"]
    assert office.post(url, again).status_code == 302
    assert ScheduleSettings.for_city(city.liaocheng.pk).due_soon_workdays == 8
    assert office.post(url, {"due_soon_workdays": 5}).status_code == 422
    assert ScheduleSettings.for_city(city.liaocheng.pk).due_soon_workdays == 8


def test_navigation_entries(city):
    assert "我的节点" in login(city.department_officer).get(reverse("schedule:queue")).content.decode()
    page = login(city.city_admin).get(reverse("schedule:templates")).content.decode()
    assert "节点督办" in page and "节点模板" in page
    assert login(city.admin).get(reverse("schedule:queue")).status_code == 403


def test_plan_and_queue_pages_and_the_api_do_not_query_per_node(city, plan, project):
    county, department = login(city.county), login(city.department_officer)
    asked = {
        "plan page": lambda: county.get(detail(project)),
        "queue page": lambda: department.get(reverse("schedule:queue")),
        **{
            f"{url} as {user.username}": partial(ApiClient(user).get, url)
            for url in ("/plan-nodes?open=true", "/plan-nodes")
            for user in (city.department_officer, city.city_admin, city.county)
        },
    }
    before = {name: queries_of(get) for name, get in asked.items()}
    PlanNode.objects.bulk_create(
        PlanNode(project=project, order=20 + i, code=NodeCode.OTHER, name=f"附加{i}", planned_date=datetime.date(2026, 5, i + 1),
                 department=city.department)
        for i in range(10)
    )  # fmt: skip
    for region in (city.guanxian, city.gaotang):
        plan_create_from_template(user=city.city_admin, project_id=ProjectFactory(region=region).pk)
    assert {name: queries_of(get) for name, get in asked.items()} == before


def test_pages_and_errors_speak_english_when_asked(city, plan):
    client = login(city.department_officer)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("schedule:queue")).content.decode()
    assert "Open nodes, overdue first, then by planned date" in page
    url = reverse("schedule:node_edit", args=[plan[NodeCode.LAND_SUPPLY].pk])
    refused = client.post(url, {"version": 1, "actual_date": "2099-01-01"})
    assert "The actual date cannot be later than today" in refused.content.decode()


def test_page_permission_matrix(city, plan, project):
    supply = plan[NodeCode.LAND_SUPPLY]
    plan_node_update(
        user=city.county,
        node_id=supply.pk,
        version=1,
        data={"evidence_file": SimpleUploadedFile("出让合同.pdf", b"%PDF-1.4 contract")},
    )
    template = NodeTemplate.objects.first()
    pages = {
        reverse("schedule:queue"): [302, 403, 200, 200, 200, 200, 200, 200, 200, 200],
        reverse("schedule:templates"): [302, 403, 200, 200, 200, 200, 200, 200, 200, 200],
        reverse("schedule:template_edit", args=[template.pk]): [
            302,
            403,
            200,
            200,
            200,
            200,
            200,
            200,
            200,
            200,
        ],
        reverse("schedule:node_edit", args=[supply.pk]): [302, 403, 200, 403, 200, 404, 200, 403, 404, 403],
        reverse("schedule:node_edit", args=[plan[NodeCode.START].pk]): [
            302,
            403,
            200,
            403,
            200,
            404,
            403,
            200,
            404,
            403,
        ],
        reverse("schedule:evidence", args=[supply.pk]): [302, 403, 200, 200, 200, 404, 200, 200, 404, 200],
    }
    for url, expected in pages.items():
        assert [login(user_of(city, role)).get(url).status_code for role in ROLES] == expected, url
    evidence = login(city.department_officer).get(reverse("schedule:evidence", args=[supply.pk]))
    assert b"".join(evidence.streaming_content) == b"%PDF-1.4 contract"


@pytest.mark.today("2026-10-09")
@pytest.mark.usefixtures("clock")
def test_the_node_queue_counts_an_overdue_node_in_working_days_as_the_warnings_do(client, city):
    """Planned for the day before the National Day holiday, on 10-09 the node is late by the working days
    between, as its warning says, not by the nine days of the calendar."""
    project = ProjectFactory(region=city.guanxian, owner=city.enterprise)
    planned = datetime.date(2026, 9, 30)
    PlanNode.objects.create(
        project=project,
        order=1,
        code=NodeCode.OTHER,
        name="施工许可",
        planned_date=planned,
        department=city.department,
    )
    client.force_login(city.city_admin)
    html = client.get("/schedule/queue/").content.decode()
    late = overdue_workdays(planned, datetime.date(2026, 10, 9))
    assert late < 9 and f"逾期{late}个工作日" in html
