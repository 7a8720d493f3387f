"""Statistics inclusion (入库纳统): who should be in the statistics, recording and clearing it, the
per-county list, the project-page section, the threshold setting, the API and its scoping."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.core.errors import ApplicationError, PreconditionRequiredError, StaleVersionError
from keyprojects.core.tests.forms import form_fields, merge_offered, merge_saved
from keyprojects.inclusion import selectors, services
from keyprojects.inclusion.models import StatisticsInclusion
from keyprojects.inclusion.permissions import can_record_inclusion
from keyprojects.progress.models import ProgressSettings
from keyprojects.projects.models import ProjectEvent, Stage
from keyprojects.projects.selectors import project_history
from keyprojects.projects.tests.factories import ProjectFactory

TODAY = datetime.date(2026, 11, 22)
pytestmark = pytest.mark.today(TODAY)


@pytest.fixture(autouse=True)
def today(clock):
    with translation.override("zh-hans"):  # messages are asserted in the source language
        yield


def started(city, *, region=None, start=datetime.date(2026, 6, 1), total="50000", **kwargs):
    return ProjectFactory(
        region=region or city.guanxian,
        owner=city.enterprise,
        stage=Stage.NEW_START,
        actual_start=start,
        total_investment=Decimal(total),
        annual_investment=Decimal(total) / 5,
        year=TODAY.year,
        **kwargs,
    )


def record(user, project, day=datetime.date(2026, 7, 1), code="ST-001"):
    etag = selectors.inclusion_status(project=project).etag
    return services.inclusion_record(
        user=user, project_id=project.pk, included_on=day, statistics_code=code, etag=etag
    )


# --- the rule -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_started_projects_at_or_above_threshold_should_be_included(city):
    due = started(city, total="500")
    small = started(city, total="499.99")
    not_started = ProjectFactory(region=city.guanxian, actual_start=None, total_investment=Decimal(90000))
    later = started(city, start=datetime.date(2026, 12, 1))
    assert selectors.inclusion_status(project=due).due
    assert not selectors.inclusion_status(project=small).due
    assert not selectors.inclusion_status(project=not_started).due
    assert not selectors.inclusion_status(project=later).due
    status = selectors.inclusion_status(project=due)
    assert status.missing and status.due_since == datetime.date(2026, 6, 1)
    assert status.days_missing == (TODAY - datetime.date(2026, 6, 1)).days


@pytest.mark.django_db
def test_threshold_is_configurable(city):
    project = started(city, total="800")
    assert selectors.inclusion_status(project=project).due
    services.inclusion_settings_update(user=city.city_admin, threshold=Decimal(1000), version=1)
    assert not selectors.inclusion_status(project=project).due


@pytest.mark.django_db
def test_included_since_a_date(city):
    project = started(city)
    record(city.county, project, day=datetime.date(2026, 7, 15))
    project.refresh_from_db()
    assert selectors.inclusion_status(project=project).included
    before = selectors.inclusion_status(project=project, as_of=datetime.date(2026, 7, 14))
    assert before.due and not before.included and before.missing
    assert selectors.inclusion_status(project=project, as_of=datetime.date(2026, 5, 1)).due is False


# --- recording ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_record_keeps_history_and_who(city):
    project = started(city)
    saved = record(city.county, project, code=" ST-9 ")
    assert saved.statistics_code == "ST-9" and saved.recorded_by == city.county
    event = ProjectEvent.objects.filter(project=project).latest("id")
    assert event.actor == city.county
    assert event.old is None
    assert event.new == {
        "t": "map",
        "v": {"included_on": {"t": "date", "v": "2026-07-01"}, "statistics_code": {"t": "text", "v": "ST-9"}},
    }
    row = project_history(project=project)[0]
    assert (row.field_label, row.old, row.new) == (
        "入库纳统",
        "未入库纳统",
        "入库纳统 2026-07-01，统计库编码 ST-9",
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (datetime.date(2026, 5, 31), "不能早于实际开工时间"),
        (datetime.date(2026, 11, 23), "不能晚于今天"),
        (None, "请填写入库纳统日期"),
    ],
)
@pytest.mark.django_db
def test_record_refuses_bad_dates_and_saves_nothing(city, day, message):
    project = started(city)
    with pytest.raises(ApplicationError) as exc:
        record(city.county, project, day=day)
    assert message in str(exc.value.errors["included_on"][0])
    assert not StatisticsInclusion.objects.exists()
    assert not ProjectEvent.objects.filter(project=project).exists()


@pytest.mark.django_db
def test_record_refuses_unstarted_and_small_projects(city):
    not_started = ProjectFactory(region=city.guanxian, actual_start=None)
    with pytest.raises(ApplicationError) as exc:
        record(city.county, not_started)
    assert "尚未开工" in str(exc.value.errors["included_on"][0])
    small = started(city, total="300")
    with pytest.raises(ApplicationError) as exc:
        record(city.county, small)
    assert "低于纳统门槛" in str(exc.value.errors["included_on"][0])


@pytest.mark.django_db
def test_who_may_record(city):
    project = started(city)
    assert can_record_inclusion(city.city_admin, project)
    assert can_record_inclusion(city.county, project)
    for user in (city.leader, city.owner, city.department_officer):
        assert not can_record_inclusion(user, project)
    with pytest.raises(PermissionDenied):
        record(city.owner, project)
    with pytest.raises(Http404):
        record(city.other_county, project)


@pytest.mark.django_db
def test_stale_and_missing_version_are_refused(city):
    project = started(city)
    stale = selectors.inclusion_status(project=project).etag
    record(city.city_admin, project)
    with pytest.raises(StaleVersionError):
        services.inclusion_record(
            user=city.county, project_id=project.pk, included_on=TODAY, statistics_code="", etag=stale
        )
    with pytest.raises(PreconditionRequiredError):
        services.inclusion_record(
            user=city.county, project_id=project.pk, included_on=TODAY, statistics_code="", etag=None
        )


@pytest.mark.django_db
def test_clear_needs_a_reason_and_is_recorded(city):
    project = started(city)
    record(city.county, project)
    etag = selectors.inclusion_status(project=project).etag
    with pytest.raises(ApplicationError) as exc:
        services.inclusion_clear(user=city.county, project_id=project.pk, reason=" ", etag=etag)
    assert "reason" in exc.value.errors
    services.inclusion_clear(user=city.county, project_id=project.pk, reason="误录入", etag=etag)
    project.refresh_from_db()
    assert not selectors.inclusion_status(project=project).included
    assert ProjectEvent.objects.filter(project=project, reason="误录入").exists()


# --- pages ----------------------------------------------------------------------------------------


def three_projects(city):
    missing = started(city, name="冠县应纳未纳项目", start=datetime.date(2026, 8, 1))
    included = started(city, name="冠县已纳统项目")
    record(city.county, included)
    small = started(city, name="冠县小项目", total="100")
    other = started(city, region=city.gaotang, name="高唐应纳未纳项目")
    return missing, included, small, other


@pytest.mark.django_db
def test_list_page_counts_per_county_and_filters_missing(client, city):
    three_projects(city)
    client.force_login(city.city_admin)
    html = client.get(reverse("inclusion:list")).content.decode()
    assert "冠县应纳未纳项目" in html and "高唐应纳未纳项目" in html
    assert html.index("应纳未纳项目") < html.index("冠县已纳统项目")  # missing ones first
    guan = html[html.index('data-region="371525"') :]
    assert 'data-count="due">2<' in guan and 'data-count="included">1<' in guan
    assert 'data-count="missing">' in guan and ">1</a>" in guan
    # the rate with the precision it has everywhere else: one decimal (1 of 3 due is 33.3%, not 33%)
    assert ">50.0%<" in guan and ">33.3%<" in html
    missing = client.get(reverse("inclusion:list"), {"state": "missing", "region": "371525"}).content.decode()
    assert "冠县应纳未纳项目" in missing
    assert "冠县已纳统项目" not in missing and "高唐应纳未纳项目" not in missing


@pytest.mark.django_db
def test_list_page_as_of_a_past_date(client, city):
    three_projects(city)
    client.force_login(city.city_admin)
    html = client.get(reverse("inclusion:list"), {"as_of": "2026-06-30", "state": "missing"}).content.decode()
    assert "冠县已纳统项目" in html  # started 6-01, included only on 7-01
    assert "冠县应纳未纳项目" not in html  # not started yet on 6-30


@pytest.mark.django_db
def test_county_sees_only_its_projects(client, city):
    three_projects(city)
    client.force_login(city.county)
    html = client.get(reverse("inclusion:list")).content.decode()
    assert "冠县应纳未纳项目" in html and "高唐" not in html


@pytest.mark.django_db
def test_htmx_filter_answers_only_the_results(client, city):
    three_projects(city)
    client.force_login(city.city_admin)
    response = client.get(reverse("inclusion:list"), {"state": "missing"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="inclusion-results">') and "<html" not in html


@pytest.mark.django_db
def test_project_page_section_and_record_form(client, city):
    project = started(city, name="冠县应纳未纳项目")
    client.force_login(city.county)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="project-statistics"' in page and "应纳未纳" in page
    assert reverse("inclusion:edit", args=[project.pk]) in page

    form_url = reverse("inclusion:edit", args=[project.pk])
    etag = selectors.inclusion_status(project=project).etag
    bad = client.post(form_url, {"included_on": "2026-05-01", "statistics_code": "", "etag": etag})
    assert bad.status_code == 200 and "不能早于实际开工时间" in bad.content.decode()
    good = client.post(form_url, {"included_on": "2026-06-10", "statistics_code": "ST-1", "etag": etag})
    assert good.status_code == 302
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "已纳统，自 2026-06-10" in page

    etag = selectors.inclusion_status(project=project).etag
    cleared = client.post(reverse("inclusion:clear", args=[project.pk]), {"reason": "重复登记", "etag": etag})
    assert cleared.status_code == 302
    assert not StatisticsInclusion.objects.get(project=project).included_on


@pytest.mark.django_db
def test_pages_scoping(client, city):
    project = started(city)
    form_url = reverse("inclusion:edit", args=[project.pk])
    expected = {
        "city_admin": 200,
        "county": 200,
        "other_county": 404,
        "leader": 403,
        "owner": 403,
        "department_officer": 404,
        "admin": 403,
    }
    for role, status in expected.items():
        client.force_login(getattr(city, role))
        assert client.get(form_url).status_code == status, role
    client.force_login(city.owner)
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert 'id="project-statistics"' in page and form_url not in page
    client.logout()
    assert client.get(reverse("inclusion:list")).status_code == 302


@pytest.mark.django_db
def test_threshold_page_is_for_the_city_office(client, city):
    client.force_login(city.county)
    assert client.get(reverse("inclusion:settings")).status_code == 403
    client.force_login(city.city_admin)
    bad = client.post(reverse("inclusion:settings"), {"inclusion_threshold": "0", "version": "1"})
    assert "纳统门槛必须大于0万元" in bad.content.decode()
    saved = client.post(reverse("inclusion:settings"), {"inclusion_threshold": "1000", "version": "1"})
    assert saved.status_code == 302
    assert ProgressSettings.for_city(city.liaocheng.pk).inclusion_threshold == Decimal(1000)


@pytest.mark.django_db
def test_threshold_page_refuses_a_change_based_on_an_older_version(client, city):
    client.force_login(city.city_admin)
    page = client.get(reverse("inclusion:settings")).content.decode()
    assert 'name="version" value="1"' in page
    other = Client()
    other.force_login(city.city_admin)
    other.post(reverse("inclusion:settings"), {"inclusion_threshold": "800", "version": "1"})
    stale = client.post(reverse("inclusion:settings"), {"inclusion_threshold": "1000", "version": "1"})
    assert stale.status_code == 200
    html = stale.content.decode()
    assert "纳统门槛已被他人修改为800万元" in html
    assert 'name="version" value="2"' in html and 'value="1000"' in html
    assert ProgressSettings.for_city(city.liaocheng.pk).inclusion_threshold == Decimal(800)
    again = client.post(reverse("inclusion:settings"), {"inclusion_threshold": "1000", "version": "2"})
    assert again.status_code == 302
    assert ProgressSettings.for_city(city.liaocheng.pk).inclusion_threshold == Decimal(1000)


def colleague_of(user, name):
    """Another account of the same city office."""
    return UserFactory(role=Role.CITY_ADMIN, organization=user.organization, full_name=name)


SETTINGS_FORM = '<form method="post" class="kp-form"'


@pytest.mark.django_db
def test_two_editing_the_threshold_see_who_saved_it_and_reapply_their_own(client, city):
    url = reverse("inclusion:settings")
    client.force_login(city.city_admin)
    mine = form_fields(client.get(url).content.decode(), SETTINGS_FORM)
    other = Client()
    other.force_login(colleague_of(city.city_admin, "李四"))
    theirs = form_fields(other.get(url).content.decode(), SETTINGS_FORM)
    assert other.post(url, {**theirs, "inclusion_threshold": ["800"]}).status_code == 302

    page = client.post(url, {**mine, "inclusion_threshold": ["1000"]}).content.decode()
    assert ProgressSettings.for_city(city.liaocheng.pk).inclusion_threshold == Decimal(800)
    assert re.search(
        r"李四 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 将“纳统投资门槛（万元）”由 500\S* 改为 800", merge_saved(page)
    )
    latest, typed = merge_offered(page)["inclusion_threshold"]
    assert (latest, typed) == ("800", "1000")

    again = form_fields(page, SETTINGS_FORM)
    assert again["keep"] == ["inclusion_threshold"] and again["inclusion_threshold"] == ["800.00"]
    assert client.post(url, again).status_code == 302
    assert ProgressSettings.for_city(city.liaocheng.pk).inclusion_threshold == Decimal(1000)


@pytest.mark.django_db
def test_the_threshold_form_offers_no_merge_without_a_conflict(client, city):
    url = reverse("inclusion:settings")
    client.force_login(city.city_admin)
    page = client.get(url).content.decode()
    assert 'id="merge"' not in page
    bad = client.post(url, {**form_fields(page, SETTINGS_FORM), "inclusion_threshold": ["0"]})
    assert "纳统门槛必须大于0万元" in bad.content.decode() and 'id="merge"' not in bad.content.decode()
    assert (
        client.post(url, {**form_fields(page, SETTINGS_FORM), "inclusion_threshold": ["600"]}).status_code
        == 302
    )


# --- API ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_project_statistics_get_and_put(city):
    project = started(city)
    api = ApiClient(city.county)
    got = api.get(f"/projects/{project.pk}/statistics")
    assert got.status_code == 200
    assert got.json() == {
        "project": project.pk,
        "as_of": "2026-11-22",
        "threshold": "500.00",
        "should_include": True,
        "should_include_since": "2026-06-01",
        "included": False,
        "included_on": None,
        "statistics_code": "",
        "missing": True,
    }
    etag = got["ETag"]
    body = {"included_on": "2026-06-20", "statistics_code": "ST-7"}
    assert api.request("put", f"/projects/{project.pk}/statistics", body).status_code == 428
    put = api.request("put", f"/projects/{project.pk}/statistics", body, **{"If-Match": etag})
    assert put.status_code == 200, put.json()
    assert put.json()["included"] is True and put.json()["included_on"] == "2026-06-20"
    assert put["ETag"] != etag
    stale = api.request("put", f"/projects/{project.pk}/statistics", body, **{"If-Match": etag})
    assert stale.status_code == 412
    bad = api.request(
        "put",
        f"/projects/{project.pk}/statistics",
        {"included_on": "2030-01-01"},
        **{"If-Match": put["ETag"]},
    )
    assert bad.status_code == 422 and "included_on" in bad.json()["errors"]
    clear = api.request(
        "put",
        f"/projects/{project.pk}/statistics",
        {"included_on": None, "reason": "统计局核减"},
        **{"If-Match": put["ETag"]},
    )
    assert clear.status_code == 200 and clear.json()["included"] is False


@pytest.mark.django_db
def test_api_scoping(city):
    project = started(city)
    expected = {
        None: (401, 401),
        "admin": (403, 403),
        "city_admin": (200, 200),
        "leader": (200, 403),
        "county": (200, 200),
        "other_county": (404, 404),
        "department_officer": (404, 404),
        "owner": (200, 403),
        "other_owner": (404, 404),
    }
    for role, (read, write) in expected.items():
        StatisticsInclusion.objects.all().delete()
        api = ApiClient(getattr(city, role) if role else None)
        got = api.get(f"/projects/{project.pk}/statistics")
        assert got.status_code == read, role
        etag = selectors.inclusion_status(project=project).etag
        put = api.request(
            "put", f"/projects/{project.pk}/statistics", {"included_on": "2026-07-01"}, **{"If-Match": etag}
        )
        assert put.status_code == write, role


@pytest.mark.django_db
def test_api_list_and_summary(city):
    missing, included, small, _other = three_projects(city)
    api = ApiClient(city.county)
    body = api.get("/statistics").json()
    assert body["count"] == 3
    first = body["items"][0]
    assert first["project"] == missing.pk and first["missing"] is True
    assert set(first) == {
        "project", "name", "region", "region_name", "total_investment", "actual_start",
        "should_include", "included", "included_on", "statistics_code", "missing",
    }  # fmt: skip
    rows = {row["project"]: row for row in body["items"]}
    assert (
        rows[included.pk]["included_on"] == "2026-07-01" and rows[included.pk]["statistics_code"] == "ST-001"
    )
    assert rows[small.pk]["should_include"] is False
    assert [r["project"] for r in api.get("/statistics", {"state": "missing"}).json()["items"]] == [
        missing.pk
    ]

    summary = ApiClient(city.city_admin).get("/statistics/summary").json()
    regions = {r["region"]: r for r in summary["regions"]}
    assert regions["371525"] == {
        "region": "371525", "region_name": "冠县", "due": 2, "included": 1, "missing": 1, "rate": "0.500",
    }  # fmt: skip
    assert summary["total"]["due"] == 3 and summary["total"]["missing"] == 2


@pytest.mark.django_db
def test_list_page_and_api_queries_do_not_grow_with_projects(client, city):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    client.force_login(city.county)
    three_projects(city)
    few = (queries(reverse("inclusion:list")), queries("/api/v1/statistics"))
    for day in range(10):
        record(city.county, started(city, start=datetime.date(2026, 5, 1 + day)))
        started(city)
    assert (queries(reverse("inclusion:list")), queries("/api/v1/statistics")) == few


@pytest.mark.django_db(transaction=True)
def test_changing_the_threshold_recomputes_the_warnings(city):
    from keyprojects.alerts.models import ProjectWarning, Rule
    from keyprojects.alerts.services import warnings_refresh

    project = started(city, total="800", start=datetime.date(2026, 6, 1))
    warnings_refresh()
    active = ProjectWarning.objects.filter(project=project, rule=Rule.STATISTICS_MISSING, is_active=True)
    assert active.exists()
    services.inclusion_settings_update(user=city.city_admin, threshold=Decimal(1000), version=1)
    assert not active.exists()
