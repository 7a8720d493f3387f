"""The blocker pages as people use them: raising (from a monthly report too), the page with its
timeline and buttons, a department's inbox by urgency, the ledger with its filters and export, the
figures, and a coordination meeting with its minutes list."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from keyprojects.blockers.models import Blocker, BlockerEvent, Decision
from keyprojects.metrics.tests.helpers import report
from keyprojects.notifications.models import Notification
from keyprojects.projects.tests.factories import ProjectFactory

from .helpers import ok, raise_blocker, walk

pytestmark = pytest.mark.django_db


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def test_raise_from_a_monthly_reports_problems_in_one_click(city, project):
    monthly = report(
        project, datetime.date(2026, 2, 1), "300", by=city.owner, reviewed_on=datetime.date(2026, 3, 10)
    )
    monthly.problems = "二期用地未取得土地证"
    monthly.save()
    owner = client_of(city.owner)
    page = owner.get(f"/projects/{project.pk}/").content.decode()
    link = f"/blockers/new/{project.pk}/?report={monthly.pk}"
    assert "一键反映" in page and link in page
    report_page = owner.get(f"/progress/reports/{monthly.pk}/").content.decode()
    assert "一键反映为难点堵点问题" in report_page and link in report_page
    form = owner.get(link).content.decode()
    assert "二期用地未取得土地证" in form
    response = owner.post(
        f"/blockers/new/{project.pk}/",
        {"category": "land", "description": "二期用地未取得土地证", "request": "", "report": monthly.pk},
    )
    blocker = Blocker.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/blockers/{blocker.pk}/"
    assert blocker.report == monthly and blocker.raised_by == city.owner
    assert "一键反映" not in owner.get(f"/projects/{project.pk}/").content.decode()  # raised once
    assert "一键反映" not in owner.get(f"/progress/reports/{monthly.pk}/").content.decode()
    assert "一键反映" not in client_of(city.leader).get(f"/progress/reports/{monthly.pk}/").content.decode()
    assert Notification.objects.filter(recipient=city.county, kind="blocker.raised").exists()


def test_raising_without_a_category_names_the_field(city, project):
    response = client_of(city.owner).post(f"/blockers/new/{project.pk}/", {"description": "x"})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not Blocker.objects.exists()


def test_the_page_shows_the_timeline_and_only_the_steps_the_user_may_take(city, project):
    pk = walk(city, project, "assigned")
    page = client_of(city.department_officer).get(f"/blockers/{pk}/").content.decode()
    assert 'data-action="answer"' in page and 'data-action="resolve"' in page
    assert 'data-action="accept"' not in page and 'data-action="rate"' not in page
    assert page.count("data-kind=") == 3  # raised, accepted, assigned
    assert city.department.name in page
    owner_page = client_of(city.owner).get(f"/blockers/{pk}/").content.decode()
    assert 'id="blocker-actions"' not in owner_page


def test_a_step_through_the_page(city, project):
    pk = raise_blocker(city.owner, project)
    county = client_of(city.county)
    county.post(f"/blockers/{pk}/act/", {"action": "accept"})
    response = county.post(
        f"/blockers/{pk}/act/",
        {"action": "assign", "department": city.department.pk, "deadline_workdays": "5"},
    )
    assert response.status_code == 302
    assert Blocker.objects.get(pk=pk).status == "assigned"
    response = county.post(f"/blockers/{pk}/act/", {"action": "accept"}, follow=True)
    assert "不能受理" in response.content.decode()  # the state refuses it, said on the page


@pytest.mark.today("2026-06-15")
def test_the_inbox_puts_overdue_then_due_soon_then_new(city, clock):
    projects = [
        ProjectFactory(name=f"项目{i}", region=city.guanxian, owner=city.enterprise) for i in range(4)
    ]
    fresh = walk(city, projects[0], "assigned")
    soon = walk(city, projects[1], "assigned")
    late = walk(city, projects[2], "assigned")
    answered = walk(city, projects[3], "in_progress")
    Blocker.objects.filter(pk=fresh).update(deadline=datetime.date(2026, 7, 30))
    Blocker.objects.filter(pk=answered).update(deadline=datetime.date(2026, 7, 31))
    Blocker.objects.filter(pk=soon).update(deadline=datetime.date(2026, 6, 16))
    Blocker.objects.filter(pk=late).update(deadline=datetime.date(2026, 6, 10))
    walk(city, projects[0], "closed")  # not in the inbox
    page = client_of(city.department_officer).get("/blockers/inbox/").content.decode()
    order = [int(p.split('"')[0]) for p in page.split('data-blocker="')[1:]]
    assert order == [late, soon, fresh, answered]
    assert (
        'data-urgency="overdue"' in page
        and 'data-urgency="due_soon"' in page
        and 'data-urgency="new"' in page
    )
    assert client_of(city.county).get("/blockers/inbox/").status_code == 403


@pytest.mark.today("2026-06-15")
def test_the_ledger_filters_and_exports(city, clock):
    mine = ProjectFactory(name="冠县项目", region=city.guanxian, owner=city.enterprise)
    other = ProjectFactory(name="高唐项目", region=city.gaotang, owner=city.other_enterprise)
    late = walk(city, mine, "assigned")
    Blocker.objects.filter(pk=late).update(deadline=datetime.date(2026, 6, 1))
    raise_blocker(city.other_owner, other, category="funds")
    office = client_of(city.city_admin)
    page = office.get("/blockers/").content.decode()
    assert "冠县项目" in page and "高唐项目" in page
    page = office.get("/blockers/", {"overdue": "on"}).content.decode()
    assert "冠县项目" in page and "高唐项目" not in page
    page = office.get("/blockers/", {"region": "371526"}).content.decode()
    assert "冠县项目" not in page and "高唐项目" in page
    county_page = client_of(city.county).get("/blockers/").content.decode()
    assert "冠县项目" in county_page and "高唐项目" not in county_page
    response = office.get("/blockers/export.xlsx", {"category": "land"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 and rows[0][1] == "冠县项目" and rows[0][11] == "是"
    assert client_of(city.owner).get("/blockers/").status_code == 403


@pytest.mark.today("2026-06-15")
def test_the_figures_per_department_county_and_category(city, clock):
    project = ProjectFactory(name="冠县项目", region=city.guanxian, owner=city.enterprise)
    walk(city, project, "closed")
    pk = walk(city, project, "resolved")
    ok(city.owner, pk, "rate", rating="unsatisfied", text="没解决")
    raise_blocker(city.owner, project, category="funds")
    page = client_of(city.city_admin).get("/blockers/figures/").content.decode()
    department = page.split(city.department.name)[1].split("</tr>")[0]
    cells = [c.split("<")[0] for c in department.split('data-label="')[1:]]
    values = [c.split(">", 1)[1] for c in cells] if cells else []
    assert values[:6] == ["2", "1", "1", "100.0%", "0.0", "50.0%"]


def test_a_meeting_with_its_agenda_decisions_and_minutes(city, project):
    pk = walk(city, project, "assigned")
    ok(city.county, pk, "escalate", text="县级无法协调")
    office = client_of(city.city_admin)
    response = office.post("/blockers/meetings/", {"title": "第一次协调调度会", "held_on": "2026-03-05"})
    meeting = response["Location"].rstrip("/").split("/")[-1]
    office.post(f"/blockers/meetings/{meeting}/agenda/", {"blocker": pk})
    assert BlockerEvent.objects.filter(blocker_id=pk, kind="on_agenda").count() == 1
    response = office.post(
        f"/blockers/meetings/{meeting}/decisions/",
        {
            "text": "市自然资源和规划局3月底前完成组卷",
            "department": city.department.pk,
            "deadline": "2026-03-31",
            "blocker": pk,
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert Notification.objects.filter(recipient=city.department_officer, kind="blocker.decision").exists()
    inbox = client_of(city.department_officer).get("/blockers/inbox/").content.decode()
    assert f'data-decision="{decision.pk}"' in inbox
    client_of(city.department_officer).post(
        f"/blockers/decisions/{decision.pk}/done/", {"note": "已完成组卷"}
    )
    decision.refresh_from_db()
    assert decision.status == "done" and decision.done_by == city.department_officer
    sheet = load_workbook(io.BytesIO(office.get(f"/blockers/meetings/{meeting}/minutes.xlsx").content)).active
    row = next(sheet.iter_rows(min_row=3, values_only=True))
    assert (
        row[2] == "市自然资源和规划局3月底前完成组卷"
        and row[3] == city.department.name
        and row[5] == "已完成组卷"
    )
    assert "第一次协调调度会" in client_of(city.city_admin).get(f"/blockers/{pk}/").content.decode()


def test_attachments_are_kept_and_served_only_to_who_sees_the_blocker(city, project):
    from django.core.files.uploadedfile import SimpleUploadedFile

    owner = client_of(city.owner)
    letter = SimpleUploadedFile("用地报批情况说明.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    owner.post(
        f"/blockers/new/{project.pk}/",
        {"category": "land", "description": "用地报批延后", "attachments": [letter]},
    )
    blocker = Blocker.objects.get()
    item = blocker.attachments.get()
    assert item.name == "用地报批情况说明.pdf" and item.uploaded_by == city.owner
    assert "用地报批情况说明.pdf" in owner.get(f"/blockers/{blocker.pk}/").content.decode()
    response = client_of(city.county).get(f"/blockers/attachments/{item.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 demo"
    assert client_of(city.other_owner).get(f"/blockers/attachments/{item.pk}/").status_code == 404
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = owner.post(
        f"/blockers/new/{project.pk}/",
        {"category": "land", "description": "另一个问题", "attachments": [script]},
    )
    assert response.status_code == 200 and "run.exe" in response.content.decode()
    assert Blocker.objects.count() == 1  # nothing half-saved


def test_the_navigation_marks_the_meetings_not_also_the_ledger(city):
    page = client_of(city.city_admin).get("/blockers/meetings/").content.decode()
    active = [part.split("</a>")[0].rsplit(">", 1)[-1] for part in page.split('aria-current="page"')[1:]]
    assert "协调调度会" in active and "问题台账" not in active
