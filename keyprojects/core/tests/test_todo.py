"""我的待办 (/todo/): what waits for each role, where everyone lands."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.blockers.tests.helpers import walk
from keyprojects.progress import services as progress_services
from keyprojects.progress.tests.report_helpers import make_project, open_round, submit, this_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # rounds open around today


def report_url(project):
    month = this_month()
    return f"/progress/projects/{project.pk}/{month.year}-{month.month}/"


def todo(client, user) -> str:
    client.force_login(user)
    response = client.get("/todo/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "role", ["admin", "city_admin", "province_officer", "county", "department_officer", "owner", "leader"]
)
def test_every_role_has_a_todo_in_its_navigation(client, city, role):
    html = todo(client, getattr(city, role))
    assert "我的待办" in html and 'href="/todo/"' in html


def test_the_owner_sees_the_month_s_reports_to_file_or_fix_one_tap_from_each(client, city):
    missing = make_project(city, name="冠州国际陆港")
    drafted = make_project(city, name="鑫林纸制品")
    returned = make_project(city, name="鲁西化工新材料")
    sent = make_project(city, name="冠县光伏电站")
    open_round(city, [missing, drafted, returned, sent])
    progress_services.draft_save(user=city.owner, project_id=drafted.pk, month=this_month(), fields={})
    report = submit(city.owner, returned)
    progress_services.report_review(
        user=city.county, report_id=report.pk, decision="return", reason="设备购置金额与发票不符"
    )
    submit(city.owner, sent)
    html = todo(client, city.owner)
    assert f'href="{report_url(missing)}">填报</a>' in html
    assert f'href="{report_url(drafted)}">继续填写</a>' in html and "草稿未提交" in html
    assert f'href="/progress/reports/{report.pk}/edit/"' in html
    assert "退回原因：设备购置金额与发票不符" in html
    assert "冠县光伏电站" not in html
    assert "冠州国际陆港" not in todo(client, city.other_owner)


def test_the_county_is_led_to_its_review_queue_and_the_department_to_its_blockers(client, city):
    project = make_project(city, name="冠州国际陆港")
    open_round(city, [project])
    submit(city.owner, project)
    html = todo(client, city.county)
    assert "1 份报告待审核" in html and 'href="/progress/review/"' in html
    walk(city, project, "in_progress")
    html = todo(client, city.department_officer)
    assert 'id="todo-blockers"' in html and "办理中" in html and 'href="/blockers/inbox/"' in html
    owner = todo(client, city.owner)
    assert 'id="todo-blockers"' in owner and "土地组卷报批迟迟未批" in owner
    assert 'id="todo-notifications"' in owner  # told that the blocker was accepted and assigned


@pytest.mark.parametrize("role", ["owner", "county", "department_officer"])
def test_the_todo_does_not_query_per_item(client, city, role):
    def queries() -> int:
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/todo/").status_code == 200
        return len(captured)

    user = getattr(city, role)
    projects = [make_project(city) for _ in range(2)]
    dispatch_round = open_round(city, projects)
    submit(city.owner, projects[0])
    walk(city, projects[1], "in_progress")
    few = queries()
    for n in range(5):
        project = make_project(city)
        dispatch_round.projects.add(project)
        walk(city, project, "in_progress")
        if n % 2:
            submit(city.owner, project)
    assert queries() == few
