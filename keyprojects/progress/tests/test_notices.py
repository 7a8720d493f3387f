"""Who is told when a report moves: submitted → its county's officers (the city office for a project no
county officer reviews), returned or accepted → the owner's users; each once, linked to the report."""

import pytest
from django.urls import reverse

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.notifications.models import Notification
from keyprojects.progress import services
from keyprojects.progress.notices import send_report_notices
from keyprojects.progress.selectors import report_revision

from .report_helpers import fields, make_project, open_round, this_month


def notices(kind):
    return sorted(
        (n.recipient.username, n.url)
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    )


@pytest.fixture
def report(city, clock, django_capture_on_commit_callbacks):
    project = make_project(city)
    open_round(city, [project])
    with django_capture_on_commit_callbacks(execute=True):
        return services.report_submit(user=city.owner, project_id=project.pk, month=this_month(), **fields())


@pytest.mark.django_db
def test_a_submitted_report_goes_to_its_countys_officers_only(city, report):
    url = reverse("progress:report", args=[report.pk])
    assert notices("report_submitted") == [("guanxian", url)]  # not 高唐's officer, not the city office
    notification = Notification.objects.get(kind="report_submitted")
    assert report.project.name in notification.title and notification.city_id == city.liaocheng.pk


@pytest.mark.django_db
def test_returned_and_accepted_go_to_the_owners_users(city, report, django_capture_on_commit_callbacks):
    colleague = UserFactory(username="owner-lugang-2", role=Role.PROJECT_OWNER, organization=city.enterprise)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_review(user=city.county, report_id=report.pk, decision="return", reason="照片不清晰")
    url = reverse("progress:report", args=[report.pk])
    assert notices("report_returned") == [("owner-lugang", url), (colleague.username, url)]
    assert "照片不清晰" in Notification.objects.filter(kind="report_returned").first().body
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.report_resubmit(
            user=city.owner, report_id=report.pk, revision=report_revision(report), **fields()
        )
    assert [n for n, _url in notices("report_submitted")] == ["guanxian", "guanxian"]  # asked again
    with django_capture_on_commit_callbacks(execute=True):
        services.report_review(user=city.county, report_id=report.pk, decision="accept")
    assert len(notices("report_accepted")) == 2


@pytest.mark.django_db
def test_without_a_county_officer_the_city_office_reviews(city, clock, django_capture_on_commit_callbacks):
    project = make_project(city, region=city.gaotang, owner=city.other_enterprise)
    city.other_county.is_active = False
    city.other_county.save()
    open_round(city, [project])
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(user=city.other_owner, project_id=project.pk, month=this_month(), **fields())
    assert [n for n, _url in notices("report_submitted")] == ["city"]


@pytest.mark.django_db
def test_the_task_run_twice_tells_no_one_twice(city, report):
    assert send_report_notices.call([["report_submitted", report.pk]]) == 0
    assert Notification.objects.filter(kind="report_submitted").count() == 1
