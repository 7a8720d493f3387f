"""Monthly reports through the API: every consistency rule, review, resubmission, immutability and
corrections, and the figures in force."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.progress.in_force import figures_in_force
from keyprojects.progress.models import MonthlyReport, ProjectBaseline, ReportEvent

from .report_helpers import (
    accept,
    api_payload,
    fields_payload,
    last_month,
    make_project,
    open_round,
    submit,
    this_month,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # rounds open around today


@pytest.fixture
def project(city):
    project = make_project(city)
    open_round(city, [project])
    return project


def post_report(user, project, **overrides):
    return ApiClient(user).post(f"/projects/{project.pk}/reports", api_payload(this_month(), **overrides))


def test_owner_submits_and_gets_the_derived_figures(city, project):
    response = post_report(city.owner, project)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted"
    assert body["version"] == 1
    assert Decimal(body["total"]) == Decimal("100")
    assert Decimal(body["year_to_date"]) == Decimal("100")
    assert Decimal(body["since_start"]) == Decimal("100")
    assert body["month"] == this_month().strftime("%Y-%m")
    assert body["filled_on_behalf"] is False
    assert body["late"] is False
    for name in ("id", "construction", "installation", "equipment", "other", "progress_text", "workers"):
        assert name in body


@pytest.mark.parametrize("field", ["construction", "installation", "equipment", "other"])
def test_negative_figures_are_refused(city, project, field):
    response = post_report(city.owner, project, **{field: "-1"})
    assert response.status_code == 422
    assert "负数" in response.json()["errors"][field][0]
    assert not MonthlyReport.objects.exists()


def test_a_total_that_is_not_the_sum_of_the_split_is_refused_on_total(city, project):
    response = post_report(city.owner, project, total="101")
    assert response.status_code == 422
    assert "四项之和" in response.json()["errors"]["total"][0]
    assert not MonthlyReport.objects.exists()
    assert post_report(city.owner, project, total="100.00").status_code == 201


def test_the_stored_total_is_always_the_sum(city, project):
    body = post_report(
        city.owner, project, construction="1.25", installation="2.5", equipment="0", other="0.25"
    ).json()
    assert Decimal(body["total"]) == Decimal("4.00")


def test_progress_text_is_required(city, project):
    response = post_report(city.owner, project, progress_text="  ")
    assert response.status_code == 422
    assert "progress_text" in response.json()["errors"]


def test_cumulative_beyond_total_investment_needs_an_override_reason(city, project):
    ProjectBaseline.objects.create(
        project=project, completed_before=Decimal("950"), as_of=datetime.date(2000, 1, 1)
    )
    response = post_report(city.owner, project)
    assert response.status_code == 422
    assert "超过项目总投资" in response.json()["errors"]["override_reason"][0]
    response = post_report(city.owner, project, override_reason="设计变更，总投资调增待批")
    assert response.status_code == 201
    assert Decimal(response.json()["since_start"]) == Decimal("1050")
    assert response.json()["override_reason"] == "设计变更，总投资调增待批"


def test_a_month_needs_the_previous_months_report_when_the_project_was_in_that_round(city, project):
    open_round(city, [project], last_month(), opens_in=-40, closes_in=-20)
    response = post_report(city.owner, project)
    assert response.status_code == 422
    assert "请先填报" in response.json()["errors"]["month"][0]
    late = ApiClient(city.owner).post(f"/projects/{project.pk}/reports", api_payload(last_month()))
    assert late.status_code == 201
    assert post_report(city.owner, project).status_code == 201


def test_no_previous_report_needed_when_the_project_was_not_in_last_months_round(city, project):
    other = make_project(city)
    open_round(city, [other], last_month(), opens_in=-40, closes_in=-20)
    assert post_report(city.owner, project).status_code == 201


def test_a_second_report_for_the_same_month_is_refused(city, project):
    assert post_report(city.owner, project).status_code == 201
    response = post_report(city.owner, project, construction="70")
    assert response.status_code == 422
    assert "不能重复提交" in response.json()["errors"]["month"][0]
    assert MonthlyReport.objects.count() == 1


def test_a_month_without_a_round_holding_the_project_is_refused(city, project):
    response = ApiClient(city.owner).post(f"/projects/{project.pk}/reports", api_payload(last_month()))
    assert response.status_code == 422
    assert "没有包含此项目的调度期" in response.json()["errors"]["month"][0]


def test_a_round_not_yet_open_refuses_reports(city):
    project = make_project(city)
    next_month = (this_month() + datetime.timedelta(days=32)).replace(day=1)
    open_round(city, [project], next_month, opens_in=3, closes_in=10)
    response = ApiClient(city.owner).post(f"/projects/{project.pk}/reports", api_payload(next_month))
    assert response.status_code == 422
    assert "开始填报" in response.json()["errors"]["month"][0]


def test_a_report_after_the_window_closed_is_taken_and_marked_late(city):
    project = make_project(city)
    open_round(city, [project], opens_in=-10, closes_in=-1)
    body = post_report(city.owner, project).json()
    assert body["status"] == "submitted"
    assert body["late"] is True


def test_only_the_owner_fills_unless_the_round_lets_the_county_fill(city, project):
    assert post_report(city.county, project).status_code == 403
    assert post_report(city.city_admin, project).status_code == 403
    assert post_report(city.leader, project).status_code == 403
    assert post_report(city.other_owner, project).status_code == 404
    assert post_report(city.other_county, project).status_code == 404


def test_the_county_fills_on_behalf_when_the_round_allows_it(city):
    project = make_project(city)
    open_round(city, [project], county_may_fill=True)
    response = post_report(city.county, project)
    assert response.status_code == 201
    assert response.json()["filled_on_behalf"] is True
    assert post_report(city.other_county, project).status_code == 404


def test_year_to_date_since_start_and_plan_rate_use_the_figures_in_force(city, project):
    ProjectBaseline.objects.create(
        project=project, completed_before=Decimal("300"), as_of=datetime.date(2000, 12, 31)
    )
    open_round(city, [project], last_month(), opens_in=-40, closes_in=-20)
    earlier = submit(
        city.owner,
        project,
        last_month(),
        construction=Decimal("40"),
        installation=Decimal("0"),
        equipment=Decimal("0"),
        other=Decimal("0"),
    )
    body = post_report(city.owner, project).json()
    # Last month's report is not accepted yet: it does not count for this month's figures.
    same_year = last_month().year == this_month().year
    assert Decimal(body["year_to_date"]) == Decimal("100")
    assert Decimal(body["since_start"]) == Decimal("400")
    accept(city.county, MonthlyReport.objects.get(pk=earlier.pk))
    body = ApiClient(city.owner).get(f"/reports/{body['id']}").json()
    assert Decimal(body["year_to_date"]) == (Decimal("140") if same_year else Decimal("100"))
    assert Decimal(body["since_start"]) == Decimal("440")
    assert Decimal(body["plan_rate"]) == (Decimal(body["year_to_date"]) / Decimal("600")).quantize(
        Decimal("0.0001")
    )


def test_review_accept_and_return_with_reason(city, project):
    report_id = post_report(city.owner, project).json()["id"]
    county = ApiClient(city.county)
    refused = county.post(f"/reports/{report_id}/review", {"decision": "return", "reason": " "})
    assert refused.status_code == 422
    assert "reason" in refused.json()["errors"]
    returned = county.post(
        f"/reports/{report_id}/review", {"decision": "return", "reason": "设备购置金额与发票不符"}
    )
    assert returned.status_code == 200
    assert returned.json()["status"] == "returned"
    assert returned.json()["return_reason"] == "设备购置金额与发票不符"
    again = county.post(f"/reports/{report_id}/review", {"decision": "accept"})
    assert again.status_code == 422
    assert "不在待审核状态" in again.json()["errors"]["decision"][0]


def test_review_permissions(city, project):
    report_id = post_report(city.owner, project).json()["id"]
    payload = {"decision": "accept"}
    assert ApiClient(city.other_county).post(f"/reports/{report_id}/review", payload).status_code == 404
    assert ApiClient(city.other_owner).post(f"/reports/{report_id}/review", payload).status_code == 404
    assert ApiClient(city.owner).post(f"/reports/{report_id}/review", payload).status_code == 403
    assert ApiClient(city.leader).post(f"/reports/{report_id}/review", payload).status_code == 403
    assert ApiClient(city.city_admin).post(f"/reports/{report_id}/review", payload).status_code == 200


def test_returned_report_is_edited_and_resubmitted_with_if_match(city, project):
    report_id = post_report(city.owner, project).json()["id"]
    ApiClient(city.county).post(
        f"/reports/{report_id}/review", {"decision": "return", "reason": "请补充形象进度"}
    )
    owner = ApiClient(city.owner)
    current = owner.get(f"/reports/{report_id}")
    etag = current["ETag"]
    assert owner.patch(f"/reports/{report_id}", {"progress_text": "主体封顶"}).status_code == 428
    assert (
        owner.patch(f"/reports/{report_id}", {"progress_text": "主体封顶"}, **{"If-Match": '"1"'}).status_code
        == 412
    )
    response = owner.patch(
        f"/reports/{report_id}", {"progress_text": "主体封顶", "construction": "80"}, **{"If-Match": etag}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == report_id
    assert body["status"] == "submitted"
    assert Decimal(body["total"]) == Decimal("120")
    assert [e["kind"] for e in body["events"]] == ["submitted", "returned", "resubmitted"]
    assert body["events"][1]["reason"] == "请补充形象进度"
    assert MonthlyReport.objects.count() == 1


def test_a_report_awaiting_review_cannot_be_edited(city, project):
    report_id = post_report(city.owner, project).json()["id"]
    owner = ApiClient(city.owner)
    etag = owner.get(f"/reports/{report_id}")["ETag"]
    response = owner.patch(f"/reports/{report_id}", {"construction": "70"}, **{"If-Match": etag})
    assert response.status_code == 422
    assert "审核中" in response.json()["detail"]


def test_an_accepted_report_is_immutable(city, project):
    report_id = post_report(city.owner, project).json()["id"]
    ApiClient(city.county).post(f"/reports/{report_id}/review", {"decision": "accept"})
    owner = ApiClient(city.owner)
    etag = owner.get(f"/reports/{report_id}")["ETag"]
    response = owner.patch(f"/reports/{report_id}", {"construction": "70"}, **{"If-Match": etag})
    assert response.status_code == 422
    assert "不能修改" in response.json()["detail"]
    assert (
        ApiClient(city.county)
        .post(f"/reports/{report_id}/review", {"decision": "return", "reason": "x"})
        .status_code
        == 422
    )
    report = MonthlyReport.objects.get(pk=report_id)
    assert report.status == MonthlyReport.Status.ACCEPTED
    assert report.construction == Decimal("60")


def test_a_correction_is_a_new_version_in_force_only_once_accepted(city, project):
    report_id = post_report(city.owner, project).json()["id"]
    county = ApiClient(city.county)
    county.post(f"/reports/{report_id}/review", {"decision": "accept"})
    owner = ApiClient(city.owner)
    no_reason = owner.post(f"/reports/{report_id}/corrections", fields_payload(reason=""))
    assert no_reason.status_code == 422
    assert "reason" in no_reason.json()["errors"]
    payload = fields_payload(construction="90")
    response = owner.post(
        f"/reports/{report_id}/corrections", {**payload, "reason": "建筑工程漏报一笔进度款"}
    )
    assert response.status_code == 201, response.json()
    correction = response.json()
    assert correction["version"] == 2
    assert correction["supersedes"] == report_id
    assert correction["status"] == "submitted"
    assert correction["correction_reason"] == "建筑工程漏报一笔进度款"
    assert correction["events"][0]["kind"] == "corrected"

    def in_force_total(as_of=None):
        return figures_in_force(as_of=as_of).get(project=project).total

    assert in_force_total() == Decimal("100")  # the accepted version stays in force meanwhile
    again = owner.post(f"/reports/{report_id}/corrections", {**payload, "reason": "再次更正"})
    assert again.status_code == 422  # the superseded version cannot be corrected again
    # and whoever tries is told whose correction came first, and when
    said = again.json()["errors"]["__all__"][0]
    assert f"已由{city.owner.display_name}于" in said
    assert "更正为第2版（待审核）" in said
    county.post(f"/reports/{correction['id']}/review", {"decision": "accept"})
    assert in_force_total() == Decimal("130")

    versions = owner.get(f"/projects/{project.pk}/reports").json()
    assert versions["count"] == 2
    assert [(r["version"], r["is_current"], r["status"]) for r in versions["items"]] == [
        (2, True, "accepted"),
        (1, False, "accepted"),
    ]
    first = owner.get(f"/reports/{report_id}").json()
    assert [e["kind"] for e in first["events"]] == ["submitted", "accepted"]


def test_the_figures_of_a_past_date_do_not_change_with_later_acceptances(city, project, clock):
    today = timezone.localdate()
    report = submit(city.owner, project)
    clock.move_to(today - datetime.timedelta(days=3))
    accept(city.county, report)
    clock.move_to(today)
    correction = (
        ApiClient(city.owner)
        .post(
            f"/reports/{report.pk}/corrections",
            fields_payload(other="25", reason="其他费用更正"),
        )
        .json()
    )
    ApiClient(city.county).post(f"/reports/{correction['id']}/review", {"decision": "accept"})
    two_days_ago = timezone.localdate() - datetime.timedelta(days=2)
    assert figures_in_force(as_of=two_days_ago).get(project=project).total == Decimal("100")
    assert figures_in_force().get(project=project).total == Decimal("120")


def test_the_owner_corrects_its_own_reports_and_the_county_may_not(city):
    project = make_project(city)
    open_round(city, [project], county_may_fill=True)
    report = accept(city.county, submit(city.owner, project))
    payload = fields_payload(reason="更正")
    assert ApiClient(city.city_admin).post(f"/reports/{report.pk}/corrections", payload).status_code == 403
    assert ApiClient(city.other_county).post(f"/reports/{report.pk}/corrections", payload).status_code == 404
    refused = ApiClient(city.county).post(f"/reports/{report.pk}/corrections", payload)
    assert refused.status_code == 403
    assert "由项目单位修改和更正" in refused.json()["detail"]
    response = ApiClient(city.owner).post(f"/reports/{report.pk}/corrections", payload)
    assert response.status_code == 201
    assert response.json()["filled_on_behalf"] is False


def test_the_county_corrects_only_what_it_filled_in_a_round_that_lets_it_fill(city):
    project = make_project(city)
    dispatch_round = open_round(city, [project], county_may_fill=True)
    report = accept(city.city_admin, submit(city.county, project))
    assert report.filled_on_behalf
    payload = fields_payload(reason="发票核对后更正")
    dispatch_round.county_may_fill = False
    dispatch_round.save()
    assert ApiClient(city.county).post(f"/reports/{report.pk}/corrections", payload).status_code == 403
    dispatch_round.county_may_fill = True
    dispatch_round.save()
    response = ApiClient(city.county).post(f"/reports/{report.pk}/corrections", payload)
    assert response.status_code == 201
    assert response.json()["filled_on_behalf"] is True


def test_the_county_does_not_edit_a_report_the_owner_filled(city):
    project = make_project(city)
    open_round(city, [project], county_may_fill=True)
    report = submit(city.owner, project)
    ApiClient(city.county).post(f"/reports/{report.pk}/review", {"decision": "return", "reason": "请补充"})
    county = ApiClient(city.county)
    etag = county.get(f"/reports/{report.pk}")["ETag"]
    assert (
        county.patch(f"/reports/{report.pk}", {"construction": "1"}, **{"If-Match": etag}).status_code == 403
    )


def test_nobody_reviews_a_report_they_filled_on_behalf(city, client):
    project = make_project(city)
    open_round(city, [project], county_may_fill=True)
    report = submit(city.county, project)
    refused = ApiClient(city.county).post(f"/reports/{report.pk}/review", {"decision": "accept"})
    assert refused.status_code == 403
    assert "不能审核自己填报" in refused.json()["detail"]
    client.force_login(city.county)
    assert project.name not in client.get("/progress/review/").content.decode()
    assert 'name="decision"' not in client.get(f"/progress/reports/{report.pk}/").content.decode()
    colleague = UserFactory(username="guanxian2", role=Role.COUNTY_OFFICER, organization=city.guan_office)
    client.force_login(colleague)  # it waits for the city office, though a colleague may still review it
    assert project.name not in client.get("/progress/review/").content.decode()
    client.force_login(city.city_admin)
    assert project.name in client.get("/progress/review/").content.decode()
    accepted = ApiClient(colleague).post(f"/reports/{report.pk}/review", {"decision": "accept"})
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"


def test_nobody_reviews_a_correction_they_made(city):
    project = make_project(city)
    open_round(city, [project], county_may_fill=True)
    report = accept(city.city_admin, submit(city.county, project))
    correction = ApiClient(city.county).post(
        f"/reports/{report.pk}/corrections", fields_payload(reason="补录设备费", equipment="25")
    )
    correction_id = correction.json()["id"]
    assert (
        ApiClient(city.county).post(f"/reports/{correction_id}/review", {"decision": "accept"}).status_code
        == 403
    )
    assert (
        ApiClient(city.city_admin)
        .post(f"/reports/{correction_id}/review", {"decision": "accept"})
        .status_code
        == 200
    )


def test_whoever_resubmitted_a_report_does_not_review_it(city):
    project = make_project(city)
    open_round(city, [project], county_may_fill=True)
    report = submit(city.county, project)
    colleague = UserFactory(username="guanxian2", role=Role.COUNTY_OFFICER, organization=city.guan_office)
    ApiClient(colleague).post(f"/reports/{report.pk}/review", {"decision": "return", "reason": "请补充照片"})
    owner = ApiClient(city.owner)
    etag = owner.get(f"/reports/{report.pk}")["ETag"]
    assert owner.patch(f"/reports/{report.pk}", {"problems": "无"}, **{"If-Match": etag}).status_code == 200
    # The officer who filled it first still wrote this version: the owner's edit does not change that.
    assert (
        ApiClient(city.county).post(f"/reports/{report.pk}/review", {"decision": "accept"}).status_code == 403
    )
    assert (
        ApiClient(colleague).post(f"/reports/{report.pk}/review", {"decision": "accept"}).status_code == 200
    )


def test_reports_are_visible_exactly_when_the_project_is(city, project):
    report_id = post_report(city.owner, project).json()["id"]
    for user in (city.owner, city.county, city.city_admin, city.leader):
        assert ApiClient(user).get(f"/reports/{report_id}").status_code == 200
        assert ApiClient(user).get(f"/projects/{project.pk}/reports").status_code == 200
    for user in (city.other_owner, city.other_county, city.department_officer):
        assert ApiClient(user).get(f"/reports/{report_id}").status_code == 404
        assert ApiClient(user).get(f"/projects/{project.pk}/reports").status_code == 404
        assert ApiClient(user).get("/reports").json()["count"] == 0
    assert ApiClient(city.county).get("/reports", {"status": "submitted"}).json()["count"] == 1


def test_events_record_who_and_why(city, project):
    report = submit(city.owner, project)
    ApiClient(city.county).post(f"/reports/{report.pk}/review", {"decision": "return", "reason": "照片缺失"})
    events = list(ReportEvent.objects.filter(report=report).values_list("kind", "actor__username", "reason"))
    assert events == [("submitted", "owner-lugang", ""), ("returned", "guanxian", "照片缺失")]


def test_refusals_speak_the_clients_language(city, project):
    client = ApiClient(city.owner, language="en")
    # The request activates English in this thread; put back the language of the tests that follow.
    with translation.override(translation.get_language()):
        response = client.post(f"/projects/{project.pk}/reports", api_payload(this_month(), total="101"))
    assert response.status_code == 422
    assert "must equal the sum" in response.json()["errors"]["total"][0]


def test_a_resubmitted_report_keeps_the_figures_it_was_returned_with(client, city, project):
    """Each submission keeps its figures; the reviewer sees, in the API and on the review pages,
    what changed since the report was returned, in the reader's language."""
    report_id = post_report(city.owner, project).json()["id"]
    ApiClient(city.county).post(f"/reports/{report_id}/review", {"decision": "return", "reason": "数字有误"})
    owner = ApiClient(city.owner)
    etag = owner.get(f"/reports/{report_id}")["ETag"]
    assert owner.get(f"/reports/{report_id}").json()["changes_since_return"] == []
    owner.patch(
        f"/reports/{report_id}", {"construction": "80", "progress_text": "主体封顶"}, **{"If-Match": etag}
    )

    body = ApiClient(city.county).get(f"/reports/{report_id}").json()
    submitted, returned, resubmitted = body["events"]
    assert submitted["figures"]["construction"] == {"t": "decimal", "v": "60"}
    assert returned["figures"] is None
    assert resubmitted["figures"]["construction"] == {"t": "decimal", "v": "80"}
    changes = {c["field"]: (c["returned"], c["now"]) for c in body["changes_since_return"]}
    assert changes["construction"] == ("60.00", "80.00")
    assert changes["total"] == ("100.00", "120.00")
    assert changes["progress_text"][1] == "主体封顶"
    assert set(changes) == {"construction", "total", "progress_text"}

    client.force_login(city.county)
    page = client.get(f"/progress/reports/{report_id}/").content.decode()
    section = page[page.index('id="changes-since-return"') :]
    assert "建筑工程（万元）" in section and "60.00" in section and "80.00" in section
    assert "建筑工程（万元） 60.00 → 80.00" in client.get("/progress/review/").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(f"/progress/reports/{report_id}/").content.decode()
    assert "Changed since the report was returned" in english and "When returned" in english
