"""The report API as clients use it: idempotent submission, photos, and the shapes the issue fixes."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from keyprojects.accounts.models import ApiToken
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.core import events
from keyprojects.core.events import ReportSubmitted
from keyprojects.core.models import IdempotencyRecord
from keyprojects.progress.models import DispatchRound, MonthlyReport, ProgressSettings, ProjectBaseline
from keyprojects.progress.schemas import ReportOut
from keyprojects.progress.selectors import previous_month

from .report_helpers import (
    accept,
    api_payload,
    fields_payload,
    jpeg,
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


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def upload(user, report_id, *files):
    """POST multipart photos as a bearer-token client does."""
    _, raw = ApiToken.issue(user=user)
    data = {"photos": [_named(content, name) for name, content in files]}
    return Client().post(
        f"/api/v1/reports/{report_id}/photos", data, headers={"Authorization": f"Bearer {raw}"}
    )


def _named(content: bytes, name: str) -> io.BytesIO:
    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer


def test_the_same_key_and_payload_replays_the_first_answer(city, project):
    client = ApiClient(city.owner)
    url = f"/projects/{project.pk}/reports"
    first = client.post(url, api_payload(this_month()), **{"Idempotency-Key": "retry-7f3a"})
    second = client.post(url, api_payload(this_month()), **{"Idempotency-Key": "retry-7f3a"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert MonthlyReport.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_the_same_key_with_another_payload_is_refused(city, project):
    client = ApiClient(city.owner)
    url = f"/projects/{project.pk}/reports"
    assert client.post(url, api_payload(this_month()), **{"Idempotency-Key": "k1"}).status_code == 201
    response = client.post(url, api_payload(this_month(), construction="61"), **{"Idempotency-Key": "k1"})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert MonthlyReport.objects.count() == 1


def test_the_answer_to_a_submission_has_the_figures_a_read_gives(city):
    project = make_project(city)
    ProjectBaseline.objects.create(
        project=project, completed_before=Decimal("250"), as_of=previous_month(last_month())
    )
    open_round(city, [project], last_month())
    open_round(city, [project])
    accept(city.county, submit(city.owner, project, last_month(), construction=Decimal("40")))
    client = ApiClient(city.owner)
    created = client.post(f"/projects/{project.pk}/reports", api_payload(this_month()))
    assert created.status_code == 201
    read = client.get(f"/reports/{created.json()['id']}").json()
    same = set(ReportOut.model_fields) - {"submitted_at"}  # a read gives milliseconds, the answer more
    assert _amounts({n: read[n] for n in same}) == _amounts({n: created.json()[n] for n in same})
    assert Decimal(created.json()["since_start"]) == 430  # 250 before, 80 last month, 100 now
    assert created.json()["revision"] == 1


def _amounts(body: dict) -> dict:
    """The body with its amounts as numbers (a report answers "5" as sent, or "5.00" as stored)."""
    return {
        k: Decimal(v) if isinstance(v, str) and re.fullmatch(r"\d+(\.\d+)?", v) else v
        for k, v in body.items()
    }


def test_a_failing_subscriber_does_not_fail_a_committed_submission(
    city, project, django_capture_on_commit_callbacks
):
    def broken(batch):
        raise RuntimeError("the subscriber broke")

    events.subscribe(ReportSubmitted)(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            response = ApiClient(city.owner).post(
                f"/projects/{project.pk}/reports", api_payload(this_month()), **{"Idempotency-Key": "k9"}
            )
    finally:
        events.unsubscribe(broken)
    assert callbacks  # the submission's event was delivered, to the broken subscriber too
    assert response.status_code == 201, response.json()
    assert MonthlyReport.objects.get().pk == response.json()["id"]
    assert IdempotencyRecord.objects.count() == 1


def test_without_a_key_a_second_post_is_a_duplicate(city, project):
    client = ApiClient(city.owner)
    url = f"/projects/{project.pk}/reports"
    assert client.post(url, api_payload(this_month())).status_code == 201
    assert client.post(url, api_payload(this_month())).status_code == 422


def test_a_refused_attempt_is_not_remembered(city, project):
    client = ApiClient(city.owner)
    url = f"/projects/{project.pk}/reports"
    refused = client.post(url, api_payload(this_month(), construction="-5"), **{"Idempotency-Key": "k2"})
    assert refused.status_code == 422
    assert not IdempotencyRecord.objects.exists()
    fixed = client.post(url, api_payload(this_month()), **{"Idempotency-Key": "k3"})
    assert fixed.status_code == 201


def test_keys_belong_to_their_user(city):
    project = make_project(city)
    open_round(city, [project], county_may_fill=True)
    url = f"/projects/{project.pk}/reports"
    assert (
        ApiClient(city.owner).post(url, api_payload(this_month()), **{"Idempotency-Key": "same"}).status_code
        == 201
    )
    # The county's request with the same key is its own: it is not a replay of the owner's answer.
    response = ApiClient(city.county).post(url, api_payload(this_month()), **{"Idempotency-Key": "same"})
    assert response.status_code == 422
    assert "不能重复提交" in response.json()["errors"]["month"][0]


def test_report_detail_shape(city, project):
    report = submit(city.owner, project)
    upload(city.owner, report.pk, ("site.jpg", jpeg()))
    response = ApiClient(city.county).get(f"/reports/{report.pk}")
    assert response.status_code == 200
    assert response["ETag"].strip('"').isdigit()
    body = response.json()
    for name in (
        "id", "project", "round", "round_title", "month", "version", "is_current", "supersedes", "status",
        "construction", "installation", "equipment", "other", "total", "year_to_date", "since_start",
        "plan_rate", "progress_text", "problems", "workers", "late", "filled_on_behalf", "events", "photos",
    ):  # fmt: skip
        assert name in body, name
    assert body["events"][0]["kind"] == "submitted"
    assert body["events"][0]["actor"]
    assert body["photos"][0]["url"] == f"/progress/photos/{body['photos'][0]['id']}/"


def test_photos_keep_their_exif_time_and_are_served_to_those_who_see_the_project(city, project, client):
    report = submit(city.owner, project)
    response = upload(city.owner, report.pk, ("a.jpg", jpeg()), ("b.png", png()))
    assert response.status_code == 201, response.json()
    photos = response.json()
    assert len(photos) == 2
    assert photos[0]["taken_at"].startswith("2026-11-20T09:30:00")
    assert photos[1]["taken_at"] is None
    client.force_login(city.county)
    served = client.get(photos[0]["url"])
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    client.force_login(city.other_owner)
    assert client.get(photos[0]["url"]).status_code == 404


def test_a_file_that_is_not_an_image_is_refused(city, project):
    report = submit(city.owner, project)
    response = upload(city.owner, report.pk, ("fake.jpg", b"%PDF-1.4 not an image"))
    assert response.status_code == 422
    assert "不是有效的图片" in response.json()["errors"]["photos"][0]
    gif = io.BytesIO()
    Image.new("RGB", (5, 5)).save(gif, "GIF")
    response = upload(city.owner, report.pk, ("anim.gif", gif.getvalue()))
    assert response.status_code == 422
    assert "JPG、PNG或WEBP" in response.json()["errors"]["photos"][0]
    assert not report.photos.exists()


def test_a_photo_over_the_size_limit_is_refused_and_nothing_is_stored(city, project):
    settings = ProgressSettings.for_city(city.liaocheng.pk)
    settings.photo_max_bytes = 2000
    settings.save()
    report = submit(city.owner, project)
    big = jpeg(size=(400, 400))
    assert len(big) > 2000
    response = upload(city.owner, report.pk, ("small.jpg", jpeg(size=(4, 4))), ("big.jpg", big))
    assert response.status_code == 422
    assert "照片不能超过" in response.json()["errors"]["photos"][0]
    assert not report.photos.exists()


def test_only_the_reporter_adds_photos_and_never_to_an_accepted_report(city, project):
    report = submit(city.owner, project)
    assert upload(city.leader, report.pk, ("a.jpg", jpeg())).status_code == 403
    assert upload(city.other_owner, report.pk, ("a.jpg", jpeg())).status_code == 404
    ApiClient(city.county).post(f"/reports/{report.pk}/review", {"decision": "accept"})
    response = upload(city.owner, report.pk, ("a.jpg", jpeg()))
    assert response.status_code == 422
    assert "更正" in response.json()["errors"]["photos"][0]


def test_the_report_form_uploads_photos_with_the_report(client, city, project):
    client.force_login(city.owner)
    url = f"/progress/projects/{project.pk}/{this_month().year}-{this_month().month}/"
    token = re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode()).group(1)
    data = {
        "construction": "60", "installation": "20", "equipment": "15", "other": "5", "total": "100",
        "progress_text": "钢结构吊装", "workers": "80", "token": token,
        "photos": [_named(jpeg(), "site1.jpg"), _named(png(), "site2.png")],
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 302
    report = MonthlyReport.objects.get()
    assert report.photos.count() == 2
    html = client.get(response["Location"]).content.decode()
    assert "拍摄于 2026-11-20 09:30" in html


def test_the_same_key_for_another_project_is_refused(city, project):
    other = make_project(city)
    DispatchRound.objects.get().projects.add(other)
    client = ApiClient(city.owner)
    payload = api_payload(this_month())
    first = client.post(f"/projects/{project.pk}/reports", payload, **{"Idempotency-Key": "k-shared"})
    assert first.status_code == 201
    response = client.post(f"/projects/{other.pk}/reports", payload, **{"Idempotency-Key": "k-shared"})
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert list(MonthlyReport.objects.values_list("project_id", flat=True)) == [project.pk]


def test_every_answer_with_a_report_carries_its_revision_as_the_etag(city, project):
    owner, county = ApiClient(city.owner), ApiClient(city.county)

    def revision(response):
        assert response["ETag"] == f'"{response.json()["revision"]}"'
        return response.json()["revision"]

    created = owner.post(f"/projects/{project.pk}/reports", api_payload(this_month()))
    assert created.status_code == 201
    assert revision(created) == 1
    report_id = created.json()["id"]
    returned = county.post(f"/reports/{report_id}/review", {"decision": "return", "reason": "请补充"})
    assert revision(returned) == 2
    assert revision(owner.get(f"/reports/{report_id}")) == 2
    resubmitted = owner.patch(f"/reports/{report_id}", {"problems": "无"}, **{"If-Match": returned["ETag"]})
    assert resubmitted.status_code == 200
    assert revision(resubmitted) == 3
    accepted = county.post(f"/reports/{report_id}/review", {"decision": "accept"})
    assert revision(accepted) == 4
    listed = owner.get(f"/projects/{project.pk}/reports").json()["items"]
    assert [r["revision"] for r in listed] == [4]
    corrected = owner.post(f"/reports/{report_id}/corrections", fields_payload(reason="补录其他费用"))
    assert corrected.status_code == 201
    assert corrected.json()["version"] == 2
    assert revision(corrected) == 1


def test_the_report_list_takes_the_same_queries_for_2_reports_as_for_12(city):
    """Each report's figures and revision come in the page's own query, whatever the page's length."""
    client = ApiClient(city.city_admin)

    projects = [make_project(city) for _ in range(6)]
    open_round(city, projects, last_month())
    open_round(city, projects)

    def reports(projects: list) -> None:
        for project in projects:
            accept(city.county, submit(city.owner, project, last_month()))
            submit(city.owner, project)

    def queries() -> int:
        client.get("/reports")  # the first use of a token also records when it was used
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/reports?limit=500").status_code == 200
        return len(captured)

    reports(projects[:1])
    few = queries()
    reports(projects[1:])
    assert client.get("/reports").json()["count"] == 12
    assert queries() == few
