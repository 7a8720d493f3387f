"""The warnings pages, the supervision workbook, the rules page and the API, with their scoping."""

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import Client
from openpyxl import load_workbook

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.alerts.models import ProjectWarning, WarningRules
from keyprojects.alerts.services import warnings_refresh
from keyprojects.core.tests.forms import form_fields
from keyprojects.metrics.tests.helpers import list_project
from keyprojects.projects.models import Project
from keyprojects.schedule.models import PlanNode
from tests.access.roles import ROLES, user_of

D = datetime.date


@pytest.fixture
def warned(city):
    """A red project in 冠县 (not started for 3 months) and a yellow one in 高唐县."""
    guan = list_project(
        name="冠州国际陆港",
        region=city.guanxian,
        owner=city.enterprise,
        planned_start=D(2026, 3, 1),
        annual_investment=Decimal("0"),
        responsible_unit="冠县发展和改革局",
        leader_name="张三",
        leader_post="副县长",
    )
    gao = list_project(
        name="奥博生物新型糖醇",
        region=city.gaotang,
        owner=city.other_enterprise,
        planned_start=D(2026, 5, 1),
        annual_investment=Decimal("0"),
    )
    warnings_refresh(today=D(2026, 6, 1))
    return guan, gao


def test_the_list_is_scoped_and_filtered(client, city, warned):
    client.force_login(city.city_admin)
    page = client.get("/alerts/").content.decode()
    assert "冠州国际陆港" in page and "奥博生物新型糖醇" in page
    assert "计划2026-03-01开工，至今未开工（已过92天）" in page
    red = client.get("/alerts/", {"color": "red"}).content.decode()
    assert "冠州国际陆港" in red and "奥博生物新型糖醇" not in red
    by_county = client.get("/alerts/", {"region": "371526"}).content.decode()
    assert "冠州国际陆港" not in by_county and "奥博生物新型糖醇" in by_county
    assert "冠州国际陆港" not in client.get("/alerts/", {"rule": "node_overdue"}).content.decode()

    client.force_login(city.county)
    page = client.get("/alerts/").content.decode()
    assert "冠州国际陆港" in page and "奥博生物新型糖醇" not in page
    client.force_login(city.other_owner)
    page = client.get("/alerts/").content.decode()
    assert "冠州国际陆港" not in page and "奥博生物新型糖醇" in page
    client.force_login(city.admin)
    assert client.get("/alerts/").status_code == 403


@pytest.mark.today("2099-01-05")  # a year chinesecalendar will not know for a long while
def test_the_list_says_when_the_years_holidays_are_not_known(client, city, warned, clock):
    """Overdue nodes count working days: in a year the official calendar does not cover yet, Monday to
    Friday, and the list says so."""
    client.force_login(city.city_admin)
    page = client.get("/alerts/").content.decode()
    assert "2099：该年度法定节假日数据缺失，按周一至周五计算" in page
    clock.move_to("2026-12-31")
    assert "data-calendar-notice" not in client.get("/alerts/").content.decode()


NOTICE = "2027：该年度法定节假日数据缺失，按周一至周五计算"


@pytest.mark.today("2026-12-31")  # a known year: the notice comes from the warnings shown
def test_the_holiday_notice_is_said_once_where_the_rows_count_days_in_an_unknown_year(client, city, clock):
    """Two overdue nodes counted in 2027 (a year the official calendar lacks): the warnings list, the
    project page and the leader's page say so once, not on every warning."""
    projects = [
        list_project(name=name, region=city.guanxian, owner=city.enterprise, year=2027, leader=city.leader)
        for name in ("冠州国际陆港", "冠县物流园")
    ]
    for project in projects:
        for order in (1, 2):
            PlanNode.objects.create(
                project=project,
                order=order,
                code=f"n{order}",
                name=f"节点{order}",
                planned_date=D(2026, 12, 21),
            )
    warnings_refresh(today=D(2027, 1, 12))
    assert ProjectWarning.objects.filter(rule="node_overdue", is_active=True).count() == 4
    client.force_login(city.city_admin)
    page = client.get("/alerts/").content.decode()
    assert page.count("已逾期16个工作日") == 4
    assert page.count("节假日数据缺失") == 1 and NOTICE in page
    assert client.get("/alerts/", {"rule": "start_delay"}).content.decode().count("节假日数据缺失") == 0
    project_page = client.get(f"/projects/{projects[0].pk}/").content.decode()
    assert project_page.count("节假日数据缺失") == 1
    client.force_login(city.leader)
    assert client.get("/leaders/").content.decode().count("节假日数据缺失") == 1


def test_the_project_page_shows_its_warnings_and_light(client, city, warned):
    guan, _gao = warned
    client.force_login(city.county)
    page = client.get(f"/projects/{guan.pk}/").content.decode()
    assert 'id="project-warnings"' in page
    assert "计划开工未开工" in page
    assert 'data-color="red"' in page


def supervision(client, **params):
    response = client.get("/alerts/supervision.xlsx", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_supervision_workbook(client, city, warned, clock):
    client.force_login(city.city_admin)
    rows = supervision(client, region="371525")
    assert rows[0][0] == "冠县重点项目督办清单（截至" + clock.today.isoformat() + "）"
    assert rows[1] == [
        "序号",
        "项目名称",
        "县（市、区）",
        "预警类型",
        "预警颜色",
        "预警原因",
        "预警起始日期",
        "责任单位",
        "包保领导",
        "督办单",  # the supervision app's column: the notices issued from the warning
    ]
    assert len(rows) == 3
    number, name, county, rule, color, reason, since, unit, leader, notices = rows[2]
    assert notices is None
    assert (number, name, county, rule, color) == (1, "冠州国际陆港", "冠县", "计划开工未开工", "红灯")
    assert reason.startswith("计划2026-03-01开工")
    assert since.date() == D(2026, 3, 1)
    assert (unit, leader) == ("冠县发展和改革局", "张三 副县长")
    assert len(supervision(client)) == 4  # the whole city: both projects


@pytest.mark.parametrize("name", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx"])
def test_the_supervision_workbook_keeps_formula_like_names_as_text(client, city, warned, name):
    guan, _gao = warned
    Project.objects.filter(pk=guan.pk).update(name=name)
    client.force_login(city.city_admin)
    response = client.get("/alerts/supervision.xlsx", {"region": "371525"})
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    number, cell, *_rest, since, _unit, _leader, _notices = load_workbook(BytesIO(response.content)).active[3]
    assert (cell.value, cell.data_type) == (name, "s")
    assert (number.value, number.data_type) == (1, "n")
    assert since.is_date and since.value.date() == D(2026, 3, 1)


def test_the_supervision_workbook_is_scoped(client, city, warned):
    client.force_login(city.county)
    assert len(supervision(client, region="371526")) == 2  # title and headers only
    assert [row[1] for row in supervision(client)[2:]] == ["冠州国际陆港"]


@pytest.mark.parametrize(
    ("user", "status"),
    [
        ("city_admin", 200),
        ("leader", 403),
        ("county", 403),
        ("department_officer", 403),
        ("owner", 403),
        ("admin", 403),
    ],
)
def test_only_the_city_office_edits_the_rules(client, city, user, status):
    client.force_login(getattr(city, user))
    assert client.get("/alerts/rules/").status_code == status
    assert client.post("/alerts/rules/", {}).status_code in {status, 200}
    if status == 403:
        assert client.post("/alerts/rules/", {}).status_code == 403


def rule_form(city_id, **changes):
    data = {
        "start_red_months": 3,
        "investment_yellow_points": "10",
        "investment_red_points": "30",
        "statistics_yellow_months": 1,
        "statistics_red_months": 2,
        "node_red_workdays": 0,
        "report_red_rounds": 2,
        "version": WarningRules.for_city(city_id).version,
    }
    data.update(changes)
    return data


def test_the_rules_page_saves_and_refuses_bad_or_stale_input(
    client, city, warned, django_capture_on_commit_callbacks
):
    client.force_login(city.city_admin)
    assert client.get("/alerts/").content.decode().count("预警规则") >= 1
    response = client.post("/alerts/rules/", rule_form(city.liaocheng.pk, investment_red_points="5"))
    assert "红灯阈值不能小于黄灯阈值" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/alerts/rules/", rule_form(city.liaocheng.pk, start_red_months=12))
    assert response.status_code == 302
    rules = WarningRules.for_city(city.liaocheng.pk)
    assert (rules.start_red_months, rules.version) == (12, 2)
    stale = client.post("/alerts/rules/", rule_form(city.liaocheng.pk, start_red_months=4, version=1))
    assert 'id="merge"' in stale.content.decode()
    assert WarningRules.for_city(city.liaocheng.pk).start_red_months == 12


RULES_FORM = '<form method="post" class="kp-card'


def test_two_editing_the_rules_see_who_saved_what_and_reapply_their_own_field_by_field(client, city):
    client.force_login(city.city_admin)
    mine = form_fields(client.get("/alerts/rules/").content.decode(), RULES_FORM)
    mine.update(start_red_months=["5"], node_red_workdays=["7"])
    colleague = UserFactory(
        username="city-2",
        role=Role.CITY_ADMIN,
        organization=city.city_admin.organization,
        full_name="李四",
    )
    other = Client()
    other.force_login(colleague)
    theirs = form_fields(other.get("/alerts/rules/").content.decode(), RULES_FORM)
    theirs.update(start_red_months=["6"], report_red_rounds=["4"])
    assert other.post("/alerts/rules/", theirs).status_code == 302

    page = client.post("/alerts/rules/", mine).content.decode()
    rules = WarningRules.for_city(city.liaocheng.pk)
    assert (rules.start_red_months, rules.node_red_workdays, rules.version) == (
        6,
        0,
        2,
    )  # nothing of mine saved
    saved = re.search(r'id="merge-saved">(.*?)</ul>', page, re.S).group(1)
    who = "李四"
    assert re.search(who + r" \d{4}-\d{2}-\d{2} \d{2}:\d{2} 将“未按期开工转红灯（月）”由 3 改为 6", saved), (
        saved
    )
    assert who in saved and "由 2 改为 4" in saved
    rows = re.findall(r'data-merge="(\w+)">\s*<td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>', page)
    # the latest value beside what I typed, for each field I changed
    assert {name: (latest, typed) for name, latest, typed in rows} == {
        "start_red_months": ("6", "5"),
        "node_red_workdays": ("0", "7"),
    }

    again = form_fields(page, RULES_FORM)
    again["keep"] = ["node_red_workdays"]  # the other's start threshold stays
    assert client.post("/alerts/rules/", again).status_code == 302
    rules = WarningRules.for_city(city.liaocheng.pk)
    assert (rules.start_red_months, rules.report_red_rounds, rules.node_red_workdays, rules.version) == (
        6,
        4,
        7,
        3,
    )


def test_the_api(client, city, warned):
    guan, gao = warned
    client.force_login(city.county)
    body = client.get("/api/v1/warnings").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["project"] == guan.pk
    assert (item["region"], item["rule"], item["color"], item["since"]) == (
        "371525",
        "start_delay",
        "red",
        "2026-03-01",
    )
    assert item["rule_label"] == "计划开工未开工"
    assert client.get(f"/api/v1/projects/{guan.pk}/warnings").json()["count"] == 1
    assert client.get(f"/api/v1/projects/{gao.pk}/warnings").status_code == 404
    client.force_login(city.city_admin)
    assert client.get("/api/v1/warnings", {"color": "yellow"}).json()["items"][0]["project"] == gao.pk
    assert client.get("/api/v1/warnings", {"active": "false"}).json()["count"] == 0


def test_the_rules_api(client, city):
    client.force_login(city.county)
    response = client.get("/api/v1/warning-rules")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert Decimal(response.json()["investment_red_points"]) == 30
    assert (
        client.put(
            "/api/v1/warning-rules",
            {"start_red_months": 2},
            content_type="application/json",
            headers={"If-Match": '"1"'},
        ).status_code
        == 403
    )

    client.force_login(city.city_admin)

    def put(data, **headers):
        return client.put("/api/v1/warning-rules", data, content_type="application/json", headers=headers)

    assert put({"start_red_months": 2}).status_code == 428
    response = put({"start_red_months": 2}, **{"If-Match": '"1"'})
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    assert response.json()["start_red_months"] == 2
    assert put({"start_red_months": 4}, **{"If-Match": '"1"'}).status_code == 412
    bad = put({"statistics_yellow_months": 5}, **{"If-Match": '"2"'})
    assert bad.status_code == 422
    assert "statistics_red_months" in bad.json()["errors"]
    assert ProjectWarning.objects.count() == 0


def test_the_rules_api_takes_back_what_it_gives(client, city):
    client.force_login(city.city_admin)
    body = client.get("/api/v1/warning-rules").json()
    body["start_red_months"] = 5

    def put(data, **headers):
        return client.put("/api/v1/warning-rules", data, content_type="application/json", headers=headers)

    response = put(body)  # the body's version stands in for If-Match
    assert response.status_code == 200, response.content
    assert response.json()["start_red_months"] == 5
    assert response.json()["version"] == 2
    assert put(body).status_code == 412  # still says version 1
    again = response.json()
    assert put(again, **{"If-Match": '"2"'}).status_code == 200
    assert put({**again, "version": 2}, **{"If-Match": '"3"'}).status_code == 412


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/alerts/", [302, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("/alerts/supervision.xlsx", [302, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("/alerts/rules/", [302, 403, 200, 403, 403, 403, 403, 403, 403, 200]),
        ("/metrics/", [302, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("/api/v1/warnings", [401, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("/api/v1/warning-rules", [401, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("/api/v1/metrics", [401, 403, 200, 200, 200, 200, 200, 200, 200, 200]),
    ],
)
def test_permission_matrix(client, city, url, expected):
    """Every role of tests/access/roles.py: anonymous, admin, city_admin, leader, county, other_county,
    department_officer, owner, other_owner, province_officer."""
    results = []
    for role in ROLES:
        client.logout()
        if role:
            client.force_login(user_of(city, role))
        results.append(client.get(url).status_code)
    assert results == expected


def test_a_project_out_of_reach_answers_404(client, city, warned):
    guan, gao = warned
    for role, hidden in (
        ("county", gao),
        ("owner", gao),
        ("other_owner", guan),
        ("department_officer", guan),
    ):
        client.force_login(getattr(city, role))
        assert client.get(f"/api/v1/projects/{hidden.pk}/warnings").status_code == 404


def test_pages_and_messages_in_english(client, city, warned):
    client.force_login(city.city_admin)
    client.cookies["django_language"] = "en"  # pages follow the language switch, the API Accept-Language
    page = client.get("/alerts/").content.decode()
    assert "Traffic-light warnings" in page
    assert "Not started as planned" in page
    response = client.put(
        "/api/v1/warning-rules", {}, content_type="application/json", headers={"accept-language": "en"}
    )
    assert response.status_code == 428
    assert (
        response.json()["detail"]
        == "Changing the warning rules needs the version they are based on (If-Match)"
    )
    metrics = client.get("/metrics/", {"as_of": "2026-03-31"}).content.decode()
    assert "Rates: start, statistics inclusion, investment completion" in metrics


def test_a_warning_keeps_its_figures_and_speaks_the_readers_language(client, city, warned):
    """The refresh stores the rule's figures, typed; the message is written when read, so the
    English UI shows English reasons on the page, in the API and in the supervision workbook."""
    guan, _gao = warned
    warning = ProjectWarning.objects.get(project=guan)
    assert warning.facts == {
        "t": "map",
        "v": {"planned_start": {"t": "date", "v": "2026-03-01"}, "days": {"t": "int", "v": 92}},
    }
    english = "Planned to start on 2026-03-01, not started yet (92 days ago)"
    chinese = "计划2026-03-01开工，至今未开工（已过92天）"
    client.force_login(city.city_admin)
    assert chinese in client.get("/alerts/").content.decode()
    api = client.get("/api/v1/warnings", {"region": "371525"}, headers={"Accept-Language": "en"}).json()
    assert api["items"][0]["message"] == english
    assert api["items"][0]["facts"] == warning.facts["v"]
    client.cookies["django_language"] = "en"
    assert english in client.get("/alerts/").content.decode()
    assert english in client.get(f"/projects/{guan.pk}/").content.decode()
    assert supervision(client, region="371525")[2][5] == english
