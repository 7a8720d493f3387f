"""The project pages as each role sees them: scoping, list, forms, history."""

import datetime
import html as html_module
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.core.tests.clock import session_today
from keyprojects.core.tests.forms import form_fields
from keyprojects.projects import services
from keyprojects.projects.forms import SORT_CHOICES
from keyprojects.projects.models import Project, Stage
from keyprojects.projects.selectors import SORTS
from keyprojects.projects.tests.factories import ProjectFactory

YEAR = session_today().year
pytestmark = pytest.mark.usefixtures("clock")  # the dates below are the pinned today


def guan_project(city, **kwargs) -> Project:
    return ProjectFactory(region=city.guanxian, owner=city.enterprise, **kwargs)


def create_payload(city, **overrides) -> dict:
    data = {
        "name": "冠县智慧物流园项目",
        "region": city.guanxian.pk,
        "owner": city.enterprise.pk,
        "level": "municipal",
        "category": "industry",
        "nature": "new",
        "approval_type": "filing",
        "total_investment": "12000",
        "annual_investment": "3000",
        "funding_sources": ["self_raised", "bank_loan"],
        "planned_start": f"{YEAR}-04-01",
        "year": str(YEAR),
        "list_kind": "implementation",
        "stage": "planning",
        "pipeline": "proposed",
    }
    data.update(overrides)
    return data


def edit_payload(project: Project, **overrides) -> dict:
    data = {}
    for field in services.EDITABLE_FIELDS:
        value = getattr(project, f"{field}_id" if field in {"region", "owner"} else field)
        if value is None:
            value = ""
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif not isinstance(value, list):
            value = str(value)
        data[field] = value
    data["version"] = str(project.version)
    data.update(overrides)
    return data


def field_errors(html: str, field: str) -> list[str]:
    """The error messages rendered inside the block of one form field."""
    match = re.search(rf'data-field="{field}">(.*?)\n</div>', html, re.S)
    assert match, f"field {field} is not on the page"
    return re.findall(r'class="invalid-feedback"[^>]*>([^<]*)<', match.group(1))


# --- permission matrix -------------------------------------------------------------------------------

PAGES = ("list", "detail", "create_get", "create_post", "edit_get", "edit_post", "transition_post")
MATRIX = {
    "anonymous": (302, 302, 302, 302, 302, 302, 302),
    "admin": (403, 403, 403, 403, 403, 403, 403),
    "city_admin": (200, 200, 200, 302, 200, 302, 302),
    "leader": (200, 200, 403, 403, 403, 403, 403),
    "county": (200, 200, 200, 302, 200, 302, 302),
    "other_county": (200, 404, 200, 200, 404, 404, 404),
    "department_officer": (200, 404, 403, 403, 404, 404, 404),
    "owner": (200, 200, 200, 302, 200, 302, 302),
    "other_owner": (200, 404, 200, 200, 404, 404, 404),
}


def hit(client, city, page: str, project: Project) -> int:
    detail = reverse("projects:detail", args=[project.pk])
    edit = reverse("projects:edit", args=[project.pk])
    requests = {
        "list": lambda: client.get(reverse("projects:list")),
        "detail": lambda: client.get(detail),
        "create_get": lambda: client.get(reverse("projects:create")),
        "create_post": lambda: client.post(reverse("projects:create"), create_payload(city)),
        "edit_get": lambda: client.get(edit),
        "edit_post": lambda: client.post(edit, edit_payload(project, name="冠州国际陆港（一期）")),
        "transition_post": lambda: client.post(
            reverse("projects:transition", args=[project.pk]),
            {
                "stage": Stage.UNDER_CONSTRUCTION,
                "actual_start": f"{YEAR - 1}-05-01",
                "version": project.version,
            },
        ),
    }
    return requests[page]().status_code


@pytest.mark.parametrize("role", MATRIX)
def test_permission_matrix(client, city, role):
    if role != "anonymous":
        client.force_login(getattr(city, role))
    results = tuple(hit(client, city, page, guan_project(city)) for page in PAGES)
    assert results == MATRIX[role]


def test_anonymous_is_sent_to_login(client, city):
    response = client.get(reverse("projects:list"))
    assert response.url.startswith(reverse("accounts:login"))


def test_system_administrator_is_pointed_to_account_management(client, city):
    client.force_login(city.admin)
    response = client.get(reverse("projects:list"))
    assert response.status_code == 403
    assert reverse("admin:index") in response.content.decode()
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_organization_changelist")).status_code == 200


def test_projects_are_not_managed_in_the_admin(client, city):
    client.force_login(city.admin)
    assert client.get("/admin/projects/project/").status_code == 404


def test_only_staff_reach_the_admin(client, city):
    client.force_login(city.city_admin)
    response = client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


# --- the list ----------------------------------------------------------------------------------------


def list_names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_county_officer_sees_only_its_county(client, city):
    guan_project(city, name="冠州国际陆港")
    ProjectFactory(region=city.gaotang, owner=city.other_enterprise, name="奥博生物糖醇项目")
    client.force_login(city.county)
    response = client.get(reverse("projects:list"))
    assert list_names(response) == ["冠州国际陆港"]
    assert "奥博生物" not in response.content.decode()


def test_list_rows_show_each_cell_escaped(client, city):
    project = guan_project(
        city, name='<b>冠州</b> "陆港"', planned_start=None, total_investment=Decimal("1234567.5")
    )
    ProjectFactory(region=city.gaotang, owner=None, name="无单位项目")
    client.force_login(city.city_admin)
    html = client.get(reverse("projects:list")).content.decode()
    row = re.search(rf'<a href="/projects/{project.pk}/">(.*?)</tr>', html, re.S).group(1)
    assert "<b>" not in row and html_module.unescape(row).startswith('<b>冠州</b> "陆港"</a>')
    assert "<td>1,234,567.50</td>" in row.replace(' class="kp-num"', "")
    assert '<td class="text-nowrap">—</td>' in row
    assert re.search(r"无单位项目</a>.*?<td>—</td>", html, re.S), "a project without an owner shows a dash"


def test_list_filters(client, city):
    guan_project(
        city, name="在建项目", stage=Stage.UNDER_CONSTRUCTION, actual_start=datetime.date(YEAR - 1, 5, 1)
    )
    guan_project(city, name="前期项目", stage=Stage.PREPARATION, level="provincial")
    guan_project(city, name="去年项目", year=YEAR - 1)
    ProjectFactory(region=city.gaotang, owner=city.other_enterprise, name="高唐项目")
    client.force_login(city.city_admin)
    url = reverse("projects:list")
    assert sorted(list_names(client.get(url, {"region": "371525"}))) == ["前期项目", "去年项目", "在建项目"]
    assert list_names(client.get(url, {"stage": "under_construction"})) == ["在建项目"]
    assert list_names(client.get(url, {"level": "provincial"})) == ["前期项目"]
    assert list_names(client.get(url, {"year": YEAR - 1})) == ["去年项目"]
    assert len(list_names(client.get(url))) == 4, "no year filter by default"
    form = client.get(url, {"region": "371526"}).context["form"]
    assert form["region"].value() == "371526"


def test_search_finds_traditional_and_simplified_alike(client, city):
    guan_project(city, name="冠县智慧物流项目")
    guan_project(city, name="冠县灵芝大健康产业集群")
    client.force_login(city.county)
    response = client.get(reverse("projects:list"), {"q": "物流項目"})
    assert list_names(response) == ["冠县智慧物流项目"]
    assert list_names(client.get(reverse("projects:list"), {"q": "灵芝"})) == ["冠县灵芝大健康产业集群"]


def test_totals_follow_the_filter_and_read_in_yi_yuan(client, city):
    guan_project(city, total_investment=Decimal("516000"), annual_investment=Decimal("120000"))
    guan_project(city, total_investment=Decimal("4000"), annual_investment=Decimal("1500.5"), level="county")
    ProjectFactory(region=city.gaotang, owner=city.other_enterprise, total_investment=Decimal("99999"))
    client.force_login(city.county)
    response = client.get(reverse("projects:list"))
    html = response.content.decode()
    assert response.context["totals"].count == 2
    assert re.search(r'data-total="total_investment">52\.00<span class="kp-total-unit">亿元', html)
    assert re.search(r'data-total="annual_investment">12\.15<span class="kp-total-unit">亿元', html)
    response = client.get(reverse("projects:list"), {"level": "county"})
    assert re.search(
        r'data-total="total_investment">4,000\.00<span class="kp-total-unit">万元', response.content.decode()
    )


def test_pagination_and_sorting(client, city):
    for i in range(53):
        guan_project(city, name=f"项目{i:02d}", total_investment=Decimal(1000 + i))
    client.force_login(city.county)
    first = client.get(reverse("projects:list"))
    assert len(first.context["page"].object_list) == 50
    assert list_names(first)[0] == "项目52", "largest investment first by default"
    assert "?page=2" in first.content.decode()
    second = client.get(reverse("projects:list"), {"page": 2})
    assert list_names(second) == ["项目02", "项目01", "项目00"]
    by_name = client.get(reverse("projects:list"), {"sort": "name"})
    assert list_names(by_name)[:2] == ["项目00", "项目01"]


def test_every_sort_choice_is_known_to_the_selector():
    assert {value for value, _ in SORT_CHOICES} == set(SORTS)


def test_htmx_requests_get_only_the_results(client, city):
    guan_project(city, name="冠州国际陆港")
    client.force_login(city.county)
    response = client.get(reverse("projects:list"), {"q": "陆港"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="project-results"')
    assert "<html" not in html and "冠州国际陆港" in html
    assert "HX-Request" in response["Vary"]
    full = client.get(reverse("projects:list"))
    assert "<html" in full.content.decode() and 'id="project-results"' in full.content.decode()


def test_list_query_count_does_not_grow_with_the_page(client, city, django_assert_max_num_queries):
    enterprises = [city.enterprise, city.other_enterprise]
    for i in range(60):
        ProjectFactory(region=[city.guanxian, city.gaotang][i % 2], owner=enterprises[i % 2])
    client.force_login(city.city_admin)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("projects:list"), {"region": "371525", "sort": "name"})
    with django_assert_max_num_queries(10) as many:
        response = client.get(reverse("projects:list"))
    assert len(response.context["page"].object_list) == 50
    assert len(few.captured_queries) == len(many.captured_queries)


# --- the project page -----------------------------------------------------------------------------------


def test_project_page_shows_every_group_with_labels_and_actions(client, city):
    project = guan_project(
        city,
        name="冠州国际陆港",
        code="2403-371525-04-01-52817X",
        total_investment=Decimal("1020000"),
        funding_sources=["special_bonds", "self_raised"],
        level="provincial",
    )
    client.force_login(city.county)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    for title in ("基本信息", "投资", "进度与日期", "联系与包保", "库与阶段"):
        assert title in html
    assert "统一项目代码" in html and "2403-371525-04-01-52817X" in html
    assert "省重点" in html and "1,020,000.00" in html and "地方专项债、企业自筹" in html
    assert reverse("projects:edit", args=[project.pk]) in html
    assert reverse("projects:transition", args=[project.pk]) in html


def test_readers_get_no_actions(client, city):
    project = guan_project(city)
    client.force_login(city.leader)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert reverse("projects:edit", args=[project.pk]) not in html
    assert 'id="project-actions"' not in html


def test_history_is_readable(client, city):
    project = services.project_create(user=city.county, data={**_service_data(city), "name": "旧名称"})
    services.project_update(user=city.county, project_id=project.pk, data={"name": "新名称"}, version=1)
    services.project_transition(
        user=city.county, project_id=project.pk, version=2, stage=Stage.PREPARATION, reason="完成可研"
    )
    client.force_login(city.county)
    html = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    history = html[html.index('id="project-history"') :]
    assert "创建了项目" in history
    assert re.search(
        r"项目名称</strong>：<span class=\"kp-old\">旧名称</span> → <span class=\"kp-new\">新名称", history
    )
    assert re.search(
        r"建设阶段</strong>：<span class=\"kp-old\">谋划</span> → <span class=\"kp-new\">前期", history
    )
    assert "完成可研" in history
    assert city.county.display_name in history


def _service_data(city) -> dict:
    return {
        "region": city.guanxian,
        "owner": city.enterprise,
        "total_investment": Decimal("10000"),
        "annual_investment": Decimal("2000"),
        "year": YEAR,
    }


# --- create and edit ---------------------------------------------------------------------------------------


def test_county_creates_a_project(client, city):
    client.force_login(city.county)
    response = client.post(reverse("projects:create"), create_payload(city, code="2403-371525-04-01-52817x"))
    project = Project.objects.get(name="冠县智慧物流园项目")
    assert response.url == reverse("projects:detail", args=[project.pk])
    assert project.code == "2403-371525-04-01-52817X"
    assert project.funding_sources == ["self_raised", "bank_loan"]
    assert project.planned_start == datetime.date(YEAR, 4, 1)
    assert project.events.count() == 1


def test_create_errors_are_shown_beside_their_fields(client, city):
    client.force_login(city.county)
    url = reverse("projects:create")
    response = client.post(url, create_payload(city, name="", total_investment="abc"))
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "name") == ["这个字段是必填项。"]
    assert field_errors(html, "total_investment") == ["输入一个数字。"]
    response = client.post(url, create_payload(city, code="2403-37152-04-01"))
    assert field_errors(response.content.decode(), "code") == [
        "统一项目代码应为24位，形如 2403-371526-04-01-52817X"
    ]
    response = client.post(url, create_payload(city, total_investment="1000", annual_investment="2000"))
    html = response.content.decode()
    assert field_errors(html, "annual_investment") == ["年度计划投资不能超过总投资"]
    assert 'aria-describedby="id_annual_investment-errors"' in html
    assert field_errors(html, "total_investment") == []
    assert 'id="form-errors"' in html and "请修正标出的错误" in html
    assert not Project.objects.exists()


def test_code_must_match_the_region(client, city):
    client.force_login(city.county)
    response = client.post(reverse("projects:create"), create_payload(city, code="2403-371526-04-01-52817X"))
    assert field_errors(response.content.decode(), "code") == ["代码中的区划 371526 不属于 冠县"]


def test_county_can_only_place_projects_in_its_county(client, city):
    client.force_login(city.county)
    form = client.get(reverse("projects:create")).context["form"]
    assert list(form.fields["region"].queryset) == [city.guanxian]
    assert "pipeline" not in form.fields
    owners = set(form.fields["owner"].queryset.values_list("kind", flat=True))
    assert owners == {"enterprise"}


def test_owner_form_hides_locked_fields(client, city):
    project = guan_project(city, level="municipal")
    client.force_login(city.owner)
    html = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    for locked in ("level", "region", "year", "list_kind", "owner"):
        assert f'name="{locked}"' not in html
    response = client.post(
        reverse("projects:edit", args=[project.pk]),
        edit_payload(project, level="provincial", location="冠县东环路"),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.level == "municipal" and project.location == "冠县东环路"


def test_owner_creates_projects_for_its_own_enterprise(client, city):
    client.force_login(city.owner)
    form = client.get(reverse("projects:create")).context["form"]
    assert "owner" not in form.fields and "pipeline" not in form.fields
    client.post(reverse("projects:create"), create_payload(city, owner=city.other_enterprise.pk))
    assert Project.objects.get().owner == city.enterprise


def test_edit_saves_and_records_the_change(client, city):
    project = guan_project(city, name="冠州陆港")
    client.force_login(city.county)
    response = client.post(
        reverse("projects:edit", args=[project.pk]), edit_payload(project, name="冠州国际陆港")
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "冠州国际陆港" and project.version == 2
    follow = client.get(response.url)
    assert "已保存" in follow.content.decode()


def test_stale_edit_is_refused_and_nothing_is_overwritten(client, city):
    project = guan_project(city, name="冠州陆港")
    client.force_login(city.county)
    payload = edit_payload(project, name="我的修改")
    services.project_update(
        user=city.city_admin, project_id=project.pk, data={"name": "他人的修改"}, version=1
    )
    response = client.post(reverse("projects:edit", args=[project.pk]), payload)
    assert response.status_code == 200
    html = response.content.decode()
    assert "您编辑期间，该记录已被他人保存" in html
    assert re.search(r'data-merge="name">\s*<td>项目名称</td><td>他人的修改</td><td>我的修改</td>', html)
    project.refresh_from_db()
    assert project.name == "他人的修改" and project.version == 2


# --- transitions ---------------------------------------------------------------------------------------------


def test_transition_errors_are_shown_beside_their_fields(client, city):
    project = guan_project(city)
    client.force_login(city.county)
    url = reverse("projects:transition", args=[project.pk])
    response = client.post(url, {"stage": Stage.NEW_START, "version": project.version})
    assert field_errors(response.content.decode(), "actual_start") == [
        "项目进入新开工及以后阶段前须填写实际开工时间"
    ]
    response = client.post(url, {"stage": Stage.ON_HOLD, "version": project.version})
    assert field_errors(response.content.decode(), "reason") == ["暂缓或退出必须说明原因"]
    project.refresh_from_db()
    assert project.stage == Stage.PREPARATION and project.version == 1


def test_transition_moves_the_project(client, city):
    project = guan_project(city)
    client.force_login(city.county)
    start = session_today().replace(day=1)
    response = client.post(
        reverse("projects:transition", args=[project.pk]),
        {
            "stage": Stage.NEW_START,
            "actual_start": start.isoformat(),
            "version": project.version,
            "reason": "主体开工",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.stage == Stage.NEW_START and project.actual_start == start


def test_transition_offers_only_allowed_moves(client, city):
    project = guan_project(city)
    client.force_login(city.owner)
    form = client.get(reverse("projects:transition", args=[project.pk])).context["form"]
    stages = {value for value, _ in form.fields["stage"].choices}
    assert Stage.WITHDRAWN not in stages and Stage.ON_HOLD not in stages and Stage.NEW_START in stages
    assert "pipeline" not in form.fields
    # The annual list is the city office's: a county can neither unlist nor withdraw a listed project.
    client.force_login(city.county)
    form = client.get(reverse("projects:transition", args=[project.pk])).context["form"]
    assert "pipeline" not in form.fields
    assert Stage.WITHDRAWN not in {value for value, _ in form.fields["stage"].choices}
    reserve = guan_project(city, pipeline="reserve")
    form = client.get(reverse("projects:transition", args=[reserve.pk])).context["form"]
    assert {value for value, _ in form.fields["pipeline"].choices} == {"", "proposed"}
    client.force_login(city.city_admin)
    form = client.get(reverse("projects:transition", args=[project.pk])).context["form"]
    assert {value for value, _ in form.fields["pipeline"].choices} == {"", "proposed", "reserve"}


def test_forbidden_move_answers_403(client, city):
    project = guan_project(city, pipeline="reserve")
    client.force_login(city.county)
    response = client.post(
        reverse("projects:transition", args=[project.pk]),
        {"pipeline": "scheduled", "version": project.version},
    )
    assert response.status_code == 200, "the form refuses a choice it does not offer"
    assert field_errors(response.content.decode(), "pipeline")
    project.refresh_from_db()
    assert project.pipeline == "reserve"


@pytest.mark.django_db
def test_a_filter_value_the_list_does_not_offer_is_named_and_not_applied(client, city):
    ProjectFactory(region=city.guanxian, owner=city.enterprise, name="冠州国际陆港")
    client.force_login(city.city_admin)
    page = client.get("/projects/", {"year": "99999", "level": "galactic"}).content.decode()
    assert "冠州国际陆港" in page  # neither bad value filters the list
    assert page.count('class="invalid-feedback d-block"') == 2


FORM = '<form method="post" class="kp-form"'


def test_an_edit_conflict_shows_who_saved_what_and_reapplies_what_the_user_keeps(client, city):
    project = guan_project(city, name="冠州陆港", annual_investment=Decimal("600"))
    url = reverse("projects:edit", args=[project.pk])
    client.force_login(city.city_admin)
    mine = form_fields(client.get(url).content.decode(), FORM)
    mine.update(name=["我的名称"], annual_investment=["800"], contact_phone=["0635-1234567"])
    services.project_update(
        user=city.county,
        project_id=project.pk,
        data={"name": "他人的名称", "contact_name": "王五"},
        version=1,
    )

    html = client.post(url, mine).content.decode()
    project.refresh_from_db()
    assert (project.name, project.annual_investment, project.version) == ("他人的名称", Decimal("600"), 2)
    saved = re.search(r'id="merge-saved">(.*?)</ul>', html, re.S).group(1)
    assert "将“项目名称”由 冠州陆港 改为 他人的名称" in saved and "王五" in saved
    assert city.county.display_name in saved
    typed = dict(re.findall(r'data-merge="(\w+)">\s*<td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>', html))
    assert typed == {"name": "我的名称", "annual_investment": "800", "contact_phone": "0635-1234567"}
    assert 'name="version" value="2"' in html  # the form now edits the latest version

    again = form_fields(html, FORM)
    again["keep"] = ["annual_investment", "contact_phone"]  # the other's name stays
    response = client.post(url, again)
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.name, project.contact_name, project.annual_investment, project.contact_phone) == (
        "他人的名称",
        "王五",
        Decimal("800"),
        "0635-1234567",
    )
