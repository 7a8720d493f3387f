"""Report drafts: saved as typed and finished later; their photos sent one at a time; counted nowhere until
the report is submitted."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from keyprojects.audit.models import AuditRecord
from keyprojects.core.errors import ApplicationError
from keyprojects.progress import selectors, services
from keyprojects.progress.models import MonthlyReport, ProgressSettings, ReportDraft, ReportPhoto
from keyprojects.progress.reminders import unreported_projects

from .report_helpers import accept, jpeg, make_project, open_round, submit, this_month
from .test_reports_pages import create_url, form_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]  # rounds open around today


@pytest.fixture
def project(city):
    project = make_project(city, name="冠州国际陆港")
    project.round = open_round(city, [project])
    return project


def photos_url(project):
    return create_url(project) + "photos/"


def send_photo(client, project, content: bytes, name: str = "site.jpg", **data):
    return client.post(photos_url(project), {"photo": SimpleUploadedFile(name, content), **data})


def test_a_draft_keeps_the_form_as_typed_and_fills_it_again(client, city, project):
    client.force_login(city.owner)
    data = form_data(
        client, create_url(project), construction="12.", progress_text="基础施工", action="draft"
    )
    response = client.post(create_url(project), data, follow=True)
    assert "草稿已保存" in response.content.decode()
    assert not MonthlyReport.objects.exists()
    draft = ReportDraft.objects.get()
    assert draft.fields["construction"] == "12." and draft.saved_by == city.owner
    html = client.get(create_url(project)).content.decode()
    assert 'id="draft-note"' in html and 'value="12."' in html and "基础施工" in html


def test_a_draft_is_counted_nowhere_until_it_is_submitted(client, city, project):
    client.force_login(city.owner)
    client.post(create_url(project), form_data(client, create_url(project), action="draft"))
    assert ReportDraft.objects.count() == 1
    entries = selectors.round_entries(city.city_admin, project.round)
    assert [e.status for e in entries] == ["missing"]
    assert not selectors.review_queue(city.county).exists()
    assert list(unreported_projects(project.round)) == [project]
    client.force_login(city.county)
    html = client.get(f"/progress/rounds/{project.round.pk}/").content.decode()
    assert "冠州国际陆港" in html  # among the missing
    assert "冠州国际陆港" not in client.get("/progress/review/").content.decode()
    metrics = client.get("/api/v1/metrics").json()
    assert Decimal(metrics["investment_rate"]["numerator"]) == 0

    client.force_login(city.owner)
    client.post(create_url(project), form_data(client, create_url(project)))
    report = MonthlyReport.objects.get()
    assert report.status == MonthlyReport.Status.SUBMITTED
    assert not ReportDraft.objects.exists()
    assert selectors.review_queue(city.county).get() == report


def test_photos_sent_one_by_one_a_refused_one_leaves_the_others(
    client, city, project, django_capture_on_commit_callbacks
):
    client.force_login(city.owner)
    kept = send_photo(client, project, jpeg("2026:11:20 09:30:00"), "a.jpg")
    refused = send_photo(client, project, b"not an image", "notes.jpg")
    kept_too = send_photo(client, project, jpeg(None), "b.jpg", taken_at="2026-11-21T08:15:00")
    assert kept.status_code == 200 and kept_too.status_code == 200
    assert refused.status_code == 422 and "notes.jpg" in refused.json()["error"]
    assert "文件不是有效的图片" in refused.json()["error"]
    assert kept.json()["taken_at"] == "2026-11-20 09:30"
    assert kept_too.json()["taken_at"] == "2026-11-21 08:15", "the device's reading of a shrunk copy"
    assert client.get(kept.json()["url"]).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        client.post(create_url(project), form_data(client, create_url(project)))
    report = MonthlyReport.objects.get()
    photos = ReportPhoto.objects.filter(report=report).order_by("taken_at")
    assert [timezone.localtime(p.taken_at).strftime("%d %H:%M") for p in photos] == ["20 09:30", "21 08:15"]
    assert all(p.city_id == report.city_id and p.image.storage.exists(p.image.name) for p in photos)
    recorded = AuditRecord.objects.filter(
        object_model="progress.reportphoto", object_pk__in=[str(p.pk) for p in photos]
    )
    assert sorted((int(r.object_pk), r.actor_id) for r in recorded) == [(p.pk, city.owner.pk) for p in photos]


def test_the_photo_s_own_exif_time_comes_before_the_device_s(client, city, project):
    client.force_login(city.owner)
    answer = send_photo(client, project, jpeg("2026:11:20 09:30:00"), taken_at="2020-01-01T00:00:00")
    assert answer.json()["taken_at"] == "2026-11-20 09:30"


def test_a_photo_over_the_limit_is_refused_with_the_limit(client, city, project):
    ProgressSettings.objects.update_or_create(city=city.liaocheng, defaults={"photo_max_bytes": 102_400})
    client.force_login(city.owner)
    answer = send_photo(client, project, jpeg() + b"\0" * 200_000, "big.jpg")
    assert answer.status_code == 422 and answer.json()["error"] == "big.jpg：照片不能超过0.1MB"
    assert "每张不超过0.1MB" in client.get(create_url(project)).content.decode()


def test_a_draft_photo_can_be_removed(client, city, project):
    client.force_login(city.owner)
    answer = send_photo(client, project, jpeg()).json()
    client.post(answer["delete_url"], headers={"Accept": "application/json"})
    assert not ReportDraft.objects.get().photos.exists()


def test_only_who_may_fill_keeps_a_draft_or_sees_its_photos(client, city, project):
    client.force_login(city.owner)
    photo_url = send_photo(client, project, jpeg()).json()["url"]
    client.force_login(city.other_owner)
    assert client.post(create_url(project), {"action": "draft"}).status_code == 404
    assert send_photo(client, project, jpeg()).status_code == 404
    assert client.get(photo_url).status_code == 404
    client.force_login(city.county)  # the round does not let the county fill
    assert client.post(create_url(project), {"action": "draft"}).status_code == 403
    assert client.get(photo_url).status_code == 200  # the county sees the project


def test_no_draft_once_the_month_is_reported(city, project):
    services.report_submit(
        user=city.owner,
        project_id=project.pk,
        month=this_month(),
        construction=Decimal(1),
        installation=Decimal(0),
        equipment=Decimal(0),
        other=Decimal(0),
        progress_text="开工",
    )
    with pytest.raises(ApplicationError) as refused:
        services.draft_save(user=city.owner, project_id=project.pk, month=this_month(), fields={})
    assert "已经提交" in str(refused.value)


def test_a_draft_saved_in_the_window_and_submitted_after_it_is_late(client, city, project, clock):
    url = create_url(project)
    client.force_login(city.owner)
    client.post(url, form_data(client, url, action="draft"))
    clock.move_to(timezone.localdate() + datetime.timedelta(days=10))  # the window closed five days ago
    client.force_login(city.owner)
    client.post(url, form_data(client, url))
    (entry,) = selectors.round_entries(city.city_admin, project.round)
    assert entry.late


@pytest.mark.parametrize("accepted", [False, True], ids=["resubmission", "correction"])
def test_resubmission_and_correction_send_photos_one_by_one_like_the_fill_form(
    client, city, project, accepted
):
    """The returned report's edit form and the accepted report's correction have the fill form's photo field
    (camera, shrinking, one-by-one upload, the limits beside it): each photo waits with the month's draft, a
    refused one leaves the others, and they become the sent version's photos."""
    report = submit(city.owner, project)
    if accepted:
        accept(city.county, report)
    else:
        services.report_review(user=city.county, report_id=report.pk, decision="return", reason="缺现场照片")
    page_url = f"/progress/reports/{report.pk}/{'correct' if accepted else 'edit'}/"
    client.force_login(city.owner)
    page = client.get(page_url).content.decode()
    assert f'data-upload-url="{photos_url(project)}"' in page and 'capture="environment"' in page
    assert 'id="photo-limits"' in page and "每份报告最多" in page
    assert 'id="draft-note"' not in page
    kept = send_photo(client, project, jpeg("2026:11:20 09:30:00"), "a.jpg")
    refused = send_photo(client, project, b"not an image", "notes.jpg")
    kept_too = send_photo(client, project, jpeg(None), "b.jpg", taken_at="2026-11-21T08:15:00")
    assert (kept.status_code, refused.status_code, kept_too.status_code) == (200, 422, 200)
    assert "a.jpg" not in client.get(page_url).content.decode()  # kept as files, listed as thumbnails
    assert client.get(page_url).content.decode().count('class="kp-photo"') == 2
    client.force_login(city.other_owner)
    assert send_photo(client, project, jpeg()).status_code == 404
    client.force_login(city.owner)

    response = client.post(page_url, form_data(client, page_url, reason="补充现场照片"))
    assert response.status_code == 302
    sent = MonthlyReport.objects.get(is_current=True)
    assert sent.version == (2 if accepted else 1)
    photos = ReportPhoto.objects.filter(report=sent).order_by("taken_at")
    assert [timezone.localtime(p.taken_at).strftime("%d %H:%M") for p in photos] == ["20 09:30", "21 08:15"]
    assert not ReportDraft.objects.exists()
