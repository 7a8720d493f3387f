"""The supervision pages as their users see them: issuing from a red warning, the notice's page and its
steps, a receiver's inbox, the city office's list with the overdue per receiver and its export, and the
links from the project page, the blocker page and the warnings page."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from keyprojects.blockers.tests.helpers import ok as blocker_ok
from keyprojects.blockers.tests.helpers import walk
from keyprojects.supervision.models import SupervisionNotice

from .conftest import make_warning
from .helpers import issued, ok

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-06-01")]


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_city_office_issues_from_a_red_warning_on_the_project_page(city, red_warning, clock):
    office = _client(city.city_admin)
    page = office.get(f"/projects/{red_warning.project_id}/").content.decode()
    link = f"/supervision/new/?source=warning&amp;id={red_warning.pk}"
    assert link in page
    assert link not in _client(city.county).get(f"/projects/{red_warning.project_id}/").content.decode()
    form = office.get(f"/supervision/new/?source=warning&id={red_warning.pk}")
    assert form.status_code == 200
    assert f'<option value="{city.guan_office.pk}" selected>' in form.content.decode()
    response = office.post(
        "/supervision/new/",
        {"source": "warning", "id": red_warning.pk, "receiver": city.guan_office.pk, "subject": "请限期整改",
         "deadline_workdays": 5},
    )  # fmt: skip
    notice = SupervisionNotice.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/{notice.pk}/"
    assert notice.deadline == datetime.date(2026, 6, 8)
    assert f"/supervision/{notice.pk}/" in office.get(f"/projects/{red_warning.project_id}/").content.decode()


def test_the_form_names_the_field_in_error_and_refuses_a_source_that_is_not_red(city, project, clock):
    office = _client(city.city_admin)
    red = make_warning(project)
    response = office.post("/supervision/new/", {"source": "warning", "id": red.pk, "subject": "x",
                                                 "receiver": city.guan_office.pk})  # fmt: skip
    assert response.status_code == 422 and "请填写答复期限" in response.content.decode()
    yellow = make_warning(project, color="yellow", subject="y")
    response = office.get(f"/supervision/new/?source=warning&id={yellow.pk}")
    assert response.status_code == 422 and "只能对当前的红灯预警下发督办单" in response.content.decode()
    assert SupervisionNotice.objects.count() == 0


def test_the_notice_page_offers_each_person_their_step(city, red_warning, clock):
    pk = issued(city.city_admin, "warning", red_warning.pk)["id"]
    county, office = _client(city.county), _client(city.city_admin)
    page = county.get(f"/supervision/{pk}/").content.decode()
    assert 'data-action="answer"' in page and 'data-action="accept"' not in page
    assert 'data-action="answer"' not in office.get(f"/supervision/{pk}/").content.decode()
    county.post(f"/supervision/{pk}/act/", {"action": "answer", "text": "已约谈企业"})
    page = office.get(f"/supervision/{pk}/").content.decode()
    assert 'data-action="accept"' in page and 'data-action="return"' in page and "已约谈企业" in page
    office.post(f"/supervision/{pk}/act/", {"action": "return", "text": ""})  # refused: no reason
    assert SupervisionNotice.objects.get().status == "answered"
    office.post(f"/supervision/{pk}/act/", {"action": "return", "text": "请补充完成时间"})
    page = county.get(f"/supervision/{pk}/").content.decode()
    assert 'data-kind="returned"' in page and "请补充完成时间" in page


def test_the_inbox_lists_what_the_county_must_answer_overdue_first(city, project, clock):
    later = issued(city.city_admin, "warning", make_warning(project, subject="a").pk, deadline_workdays=10)
    clock.move_to("2026-06-02")
    sooner = issued(city.city_admin, "warning", make_warning(project, subject="b").pk, deadline_workdays=1)
    done = issued(city.city_admin, "warning", make_warning(project, subject="c").pk)
    ok(city.county, done["id"], "answer", "已整改")
    clock.move_to("2026-06-05")
    page = _client(city.county).get("/supervision/inbox/").content.decode()
    assert page.index(f'data-notice="{sooner["id"]}"') < page.index(f'data-notice="{later["id"]}"')
    assert f'data-notice="{done["id"]}"' not in page
    assert _client(city.city_admin).get("/supervision/inbox/").status_code == 403


def test_the_list_counts_the_overdue_per_receiver_filters_and_exports(city, project, clock):
    overdue = issued(city.city_admin, "warning", make_warning(project, subject="a").pk, deadline_workdays=1)
    issued(city.city_admin, "warning", make_warning(project, subject="b").pk, receiver=city.department.pk)
    clock.move_to("2026-06-05")
    office = _client(city.city_admin)
    page = office.get("/supervision/").content.decode()
    assert f'data-receiver="{city.guan_office.pk}"' in page
    assert f'data-receiver="{city.department.pk}"' not in page
    filtered = office.get("/supervision/", {"overdue": "on"}).content.decode()
    assert filtered.count('data-notice="') == 1 and f'data-notice="{overdue["id"]}"' in filtered
    response = office.get("/supervision/export.xlsx", {"receiver": city.department.pk})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 1 and rows[0][3] == city.department.name and rows[0][8] == "否"
    assert _client(city.county).get("/supervision/").status_code == 403


def test_the_blocker_page_and_the_warnings_page_link_to_the_notices(city, project, clock):
    pk = walk(city, project, "accepted")
    blocker_ok(city.county, pk, "assign", department=city.department.pk, deadline_workdays=1)
    office = _client(city.city_admin)
    assert (
        f"/supervision/new/?source=blocker&amp;id={pk}" not in office.get(f"/blockers/{pk}/").content.decode()
    )
    clock.move_to("2026-06-05")
    office = _client(city.city_admin)
    assert f"/supervision/new/?source=blocker&amp;id={pk}" in office.get(f"/blockers/{pk}/").content.decode()
    notice = issued(city.city_admin, "blocker", pk)
    page = _client(city.department_officer).get(f"/blockers/{pk}/").content.decode()
    assert f"/supervision/{notice['id']}/" in page
    assert "/supervision/?source=warning" in office.get("/alerts/").content.decode()
    assert "/supervision/?source=warning" not in _client(city.county).get("/alerts/").content.decode()


def test_the_warnings_supervision_workbook_names_the_notices_of_each_warning(city, project, clock):
    red = make_warning(project, subject="a")
    make_warning(project, subject="b")
    notice = issued(city.city_admin, "warning", red.pk)
    response = _client(city.city_admin).get("/alerts/supervision.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[2]][-1] == "督办单"
    texts = sorted((row[-1] or "" for row in sheet.iter_rows(min_row=3, values_only=True)), key=len)
    assert texts == ["", f"#{notice['id']} 待答复（2026-06-08前答复）"]
