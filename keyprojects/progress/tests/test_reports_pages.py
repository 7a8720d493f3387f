"""The dispatch pages: 本月填报, the report form with its double-submit guard, the review queue (htmx),
the report page with its versions, and the project page section."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.core.tests.forms import form_fields
from keyprojects.progress.models import MonthlyReport

from .report_helpers import accept, make_project, open_round, submit, this_month

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # rounds open around today


@pytest.fixture
def project(city):
    project = make_project(city, name="冠州国际陆港")
    open_round(city, [project])
    return project


def form_data(client, url, **overrides):
    """The fields of the form at `url` as a browser would send them, with `overrides` typed in."""
    html = client.get(url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    data = {
        "construction": "60",
        "installation": "20",
        "equipment": "15",
        "other": "5",
        "total": "100",
        "progress_text": "主体结构施工至三层",
        "problems": "",
        "workers": "120",
        "override_reason": "",
        "token": token,
    }
    revision = re.search(r'name="revision" value="(\d+)"', html)
    if revision:
        data["revision"] = revision.group(1)
    return {**data, **overrides}


def create_url(project):
    month = this_month()
    return f"/progress/projects/{project.pk}/{month.year}-{month.month}/"


def test_the_month_page_lists_the_owners_projects_with_their_status(client, city, project):
    reported = make_project(city, name="鑫林纸制品瓦楞纸板")
    open_round(city, [reported], this_month().replace(year=this_month().year - 5))
    client.force_login(city.owner)
    html = client.get("/progress/").content.decode()
    assert project.name in html
    assert 'data-status="missing"' in html
    assert create_url(project) in html
    submit(city.owner, project)
    html = client.get("/progress/").content.decode()
    assert 'data-status="submitted"' in html
    client.force_login(city.other_owner)
    assert project.name not in client.get("/progress/").content.decode()


def test_a_split_that_does_not_add_up_is_refused_beside_the_total(client, city, project):
    client.force_login(city.owner)
    url = create_url(project)
    response = client.post(url, form_data(client, url, total="120"))
    assert response.status_code == 422
    assert "四项之和" in response.content.decode()
    assert not MonthlyReport.objects.exists()
    response = client.post(url, form_data(client, url))
    report = MonthlyReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/progress/reports/{report.pk}/"
    assert report.total == Decimal("100")


def test_a_form_submitted_twice_makes_one_report(client, city, project):
    client.force_login(city.owner)
    url = create_url(project)
    data = form_data(client, url)
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert MonthlyReport.objects.count() == 1


def test_a_fresh_form_for_a_month_already_reported_is_refused(client, city, project):
    client.force_login(city.owner)
    url = create_url(project)
    stale_form = form_data(client, url)
    submit(city.owner, project)
    response = client.post(url, stale_form)
    assert response.status_code == 422
    assert "不能重复提交" in response.content.decode()


def test_only_those_who_may_fill_get_the_form(client, city, project):
    url = create_url(project)
    for user, status in (
        (city.county, 403),
        (city.leader, 403),
        (city.other_owner, 404),
        (city.other_county, 404),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user


def test_review_queue_returns_and_accepts_with_htmx(client, city, project):
    report = submit(city.owner, project)
    client.force_login(city.county)
    html = client.get("/progress/review/").content.decode()
    assert project.name in html and 'name="csrfmiddlewaretoken"' in html
    url = f"/progress/reports/{report.pk}/review/"
    refused = client.post(url, {"decision": "return", "reason": ""}, headers={"HX-Request": "true"})
    assert "退回报告须说明原因" in refused.content.decode()
    assert refused.content.decode().lstrip().startswith("<tr")
    returned = client.post(
        url, {"decision": "return", "reason": "照片不清晰"}, headers={"HX-Request": "true"}
    )
    assert 'data-status="returned"' in returned.content.decode()
    report.refresh_from_db()
    assert (report.status, report.return_reason) == ("returned", "照片不清晰")
    assert project.name not in client.get("/progress/review/").content.decode()
    client.cookies["django_language"] = "en"  # the rows are in the language of the page
    assert "No report awaiting review" in client.get("/progress/review/").content.decode()
    del client.cookies["django_language"]
    client.force_login(city.other_county)
    assert client.post(url, {"decision": "accept"}).status_code == 404
    client.force_login(city.owner)
    assert client.get("/progress/review/").status_code == 403


def test_owner_resubmits_a_returned_report_from_its_page(client, city, project):
    report = submit(city.owner, project)
    client.force_login(city.county)
    client.post(f"/progress/reports/{report.pk}/review/", {"decision": "return", "reason": "设备金额有误"})
    client.force_login(city.owner)
    page = client.get(f"/progress/reports/{report.pk}/").content.decode()
    assert "设备金额有误" in page
    edit = f"/progress/reports/{report.pk}/edit/"
    assert edit in page
    response = client.post(edit, form_data(client, edit, equipment="25", total="110"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.total) == ("submitted", Decimal("110"))
    assert client.get(edit).status_code == 302  # nothing to edit while it awaits review


def test_two_editing_a_returned_report_see_who_sent_what_and_reapply_their_own(client, city, project):
    """Two of the owner's people edit the same returned report: the second to send sees who sent it in
    between and when, the figures now in the form, and keeps its own typed fields on top of them."""
    report = submit(city.owner, project)
    review = f"/progress/reports/{report.pk}/review/"
    county = Client()
    county.force_login(city.county)
    county.post(review, {"decision": "return", "reason": "设备金额有误"})
    edit = f"/progress/reports/{report.pk}/edit/"
    form = '<form method="post" enctype="multipart/form-data" class="kp-form"'
    colleague = Client()
    colleague.force_login(
        UserFactory(
            username="owner-2", role=Role.PROJECT_OWNER, organization=city.enterprise, full_name="王五"
        )
    )
    theirs = form_fields(colleague.get(edit).content.decode(), form)
    client.force_login(city.owner)
    mine = form_fields(client.get(edit).content.decode(), form)
    theirs.update(equipment=["25"], total=["110"])
    assert colleague.post(edit, theirs).status_code == 302
    county.post(review, {"decision": "return", "reason": "形象进度写得太简略"})
    mine.update(progress_text=["主体结构封顶，开始砌筑"], workers=["150"])

    page = client.post(edit, mine).content.decode()
    report.refresh_from_db()
    assert (report.status, report.total, report.workers) == ("returned", Decimal("110"), 120)
    saved = re.search(r'id="merge-saved">(.*?)</ul>', page, re.S).group(1)
    assert re.search(r"王五 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 将“[^”]+”由 15\S* 改为 25", saved), saved
    assert saved.count("王五") == 2  # the equipment and the total
    rows = re.findall(r'data-merge="(\w+)">\s*<td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>', page)
    assert {name: typed for name, _latest, typed in rows} == {
        "progress_text": "主体结构封顶，开始砌筑",
        "workers": "150",
    }

    again = form_fields(page, form)
    again["keep"] = ["progress_text", "workers"]
    assert client.post(edit, again).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.total, report.workers, report.progress_text) == (
        "submitted",
        Decimal("110"),
        150,
        "主体结构封顶，开始砌筑",
    )


def test_the_report_page_shows_every_version_and_the_correction_flow(client, city, project):
    report = submit(city.owner, project)
    accept(city.county, report)
    client.force_login(city.owner)
    correct = f"/progress/reports/{report.pk}/correct/"
    assert correct in client.get(f"/progress/reports/{report.pk}/").content.decode()
    refused = client.post(correct, form_data(client, correct, reason=""))
    assert refused.status_code == 422 and MonthlyReport.objects.count() == 1
    response = client.post(
        correct, form_data(client, correct, other="15", total="110", reason="其他费用漏报")
    )
    correction = MonthlyReport.objects.get(version=2)
    assert response["Location"] == f"/progress/reports/{correction.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert 'data-version="1"' in html and 'data-version="2"' in html
    assert "其他费用漏报" in html


def test_the_project_page_shows_the_month_by_month_table(client, city, project):
    client.force_login(city.owner)
    assert create_url(project) in client.get(f"/projects/{project.pk}/").content.decode()
    client.force_login(city.leader)
    assert create_url(project) not in client.get(f"/projects/{project.pk}/").content.decode()
    report = submit(city.owner, project, progress_text="完成桩基施工")
    accept(city.county, report)
    client.force_login(city.owner)
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'id="project-reports"' in html
    assert "完成桩基施工" in html
    assert f'data-month="{this_month():%Y-%m}"' in html
    client.force_login(city.leader)
    assert "完成桩基施工" in client.get(f"/projects/{project.pk}/").content.decode()


def test_the_nav_has_the_dispatch_entry_for_project_roles(client, city):
    client.force_login(city.owner)
    assert 'href="/progress/"' in client.get("/progress/").content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["home", "review_queue", "round"])
def test_list_pages_do_not_query_per_project(client, city, page):
    """Reported and unreported projects alike, in a round where the county may fill."""
    projects = [make_project(city) for _ in range(2)]
    dispatch_round = open_round(city, projects, county_may_fill=True)
    submit(city.owner, projects[0])
    url = reverse(f"progress:{page}", args=[dispatch_round.pk] if page == "round" else [])
    client.force_login(city.county)
    few = _queries(client, url)
    for n in range(6):
        project = make_project(city)
        dispatch_round.projects.add(project)
        if n % 2:
            submit(city.owner, project)
    assert _queries(client, url) == few


def test_the_county_gets_fill_links_only_when_the_round_allows_it(client, city):
    project = make_project(city)
    dispatch_round = open_round(city, [project])
    client.force_login(city.county)
    assert create_url(project) not in client.get("/progress/").content.decode()
    dispatch_round.county_may_fill = True
    dispatch_round.save()
    assert create_url(project) in client.get("/progress/").content.decode()
