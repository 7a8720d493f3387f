"""An owner on a phone: from 我的待办 to this month's report with a photo taken with the camera (a large one,
shrunk on the phone before it is sent) and two from the album, one refused while the other is kept, a draft on
the way; the county accepts it from its queue, on a phone."""

import io
import os
from pathlib import Path

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Page, expect

from keyprojects.progress import services
from keyprojects.progress.models import MonthlyReport, ProgressSettings, ReportPhoto
from keyprojects.progress.tests.report_helpers import jpeg, make_project, open_round, submit
from tests.browser.session import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("KEYPROJECTS_SCREENSHOTS")
LIMIT = 300 * 1024


def shoot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"owner-phone-{name}.png"), full_page=True)


def camera_photo() -> bytes:
    """What a phone's camera gives: a 4000×3000 JPEG of several MB, with the time it was taken in its EXIF."""
    image = Image.merge("RGB", [Image.effect_noise((4000, 3000), 60).convert("L")] * 3)
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2026:11:20 09:30:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=92, exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def dispatch(transactional_db, city):
    city.project = make_project(city, name="冠州国际陆港")
    city.round = open_round(city, [city.project])
    ProgressSettings.objects.update_or_create(city=city.liaocheng, defaults={"photo_max_bytes": LIMIT})
    return city


def test_an_owner_files_the_month_s_report_on_a_phone_and_the_county_accepts_it_on_a_phone(
    page: Page, browser, live_server, dispatch
):
    photo = camera_photo()
    assert len(photo) > 3 * LIMIT
    page.set_viewport_size(PHONE)
    log_in(page, "owner-lugang")
    expect(page).to_have_url(f"{live_server.url}/todo/")
    item = page.locator("#todo-reports .kp-todo-item", has_text="冠州国际陆港")
    expect(item).to_contain_text("未报")
    shoot(page, "1-todo")

    item.get_by_role("link", name="填报").click()  # the first tap
    page.get_by_label("建筑工程（万元）").fill("60")
    page.get_by_label("形象进度").fill("主体结构施工至三层")
    expect(page.locator("#photo-limits")).to_contain_text("每张不超过0.3MB")
    page.locator("#photo-camera").set_input_files(
        {"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": photo}
    )
    kept = page.locator("#photo-list .kp-photo img")
    expect(kept).to_have_count(1, timeout=30_000)
    expect(page.locator("#photo-list .kp-photo").first).to_contain_text("已在手机上压缩")
    expect(page.locator("#photo-list .kp-photo").first).to_contain_text("拍摄于 2026-11-20 09:30")
    page.locator("#id_photos").set_input_files(  # two more from the album, one of them no image
        [
            {"name": "site.jpg", "mimeType": "image/jpeg", "buffer": jpeg("2026:11:21 08:15:00")},
            {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"},
        ]
    )
    expect(kept).to_have_count(2)
    expect(page.locator("#photo-list .kp-photo-refused")).to_contain_text("notes.jpg：文件不是有效的图片")
    shoot(page, "2-form-photos")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#draft-note")).to_be_visible()
    assert not MonthlyReport.objects.exists()

    page.locator(".navbar-brand").click()  # the platform's name leads home: 我的待办
    expect(item).to_contain_text("草稿未提交")
    shoot(page, "3-todo-draft")
    item.get_by_role("link", name="继续填写").click()
    expect(page.get_by_label("建筑工程（万元）")).to_have_value("60")
    expect(page.locator("#photo-list .kp-photo img")).to_have_count(2)
    for label, value in (
        ("安装工程（万元）", "20"),
        ("设备工器具购置（万元）", "15"),
        ("其他费用（万元）", "5"),
    ):
        page.get_by_label(label).fill(value)
    page.get_by_label("在岗工人数").fill("120")
    shoot(page, "4-form-filled")
    page.get_by_role("button", name="提交审核").click()  # the second tap
    expect(page.locator(".kp-page-head")).to_contain_text("待审核")
    shoot(page, "5-report-submitted")

    stored, _album = ReportPhoto.objects.filter(report__project=dispatch.project).order_by("taken_at")
    assert stored.size <= LIMIT
    with stored.image.open("rb") as file, Image.open(file) as image:
        assert image.format == "JPEG" and max(image.size) <= 2560
    assert timezone.localtime(stored.taken_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 09:30"
    page.goto("/todo/")
    expect(item).to_have_count(0)

    county = browser.new_context(locale="zh-CN", base_url=live_server.url, viewport=PHONE).new_page()
    log_in(county, "guanxian")
    expect(county.locator("#todo-reports")).to_contain_text("1 份报告待审核")
    county.get_by_role("link", name="去审核").click()
    row = county.locator("#review-queue tbody tr", has_text="冠州国际陆港")
    row.get_by_role("button", name="通过").click()
    expect(row).to_contain_text("已通过")
    assert county.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    shoot(county, "6-county-accepted")
    county.context.close()
    assert MonthlyReport.objects.get().status == MonthlyReport.Status.ACCEPTED


def test_an_owner_resubmits_a_returned_report_with_a_camera_photo_on_a_phone(
    page: Page, live_server, dispatch
):
    """The returned report's edit form takes photos as the fill form does: the camera's large photo shrunk on
    the phone and sent alone with its progress, a refused one beside the kept ones, the limits written."""
    report = submit(dispatch.owner, dispatch.project)
    services.report_review(user=dispatch.county, report_id=report.pk, decision="return", reason="缺现场照片")
    page.set_viewport_size(PHONE)
    log_in(page, "owner-lugang")
    item = page.locator("#todo-reports .kp-todo-item", has_text="冠州国际陆港")
    item.get_by_role("link", name="修改并重新提交").click()
    expect(page.locator("#return-reason")).to_contain_text("缺现场照片")
    expect(page.locator("#photo-limits")).to_contain_text("每张不超过0.3MB")
    page.locator("#photo-camera").set_input_files(
        {"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": camera_photo()}
    )
    kept = page.locator("#photo-list .kp-photo img")
    expect(kept).to_have_count(1, timeout=30_000)
    expect(page.locator("#photo-list .kp-photo").first).to_contain_text("已在手机上压缩")
    page.locator("#id_photos").set_input_files(
        {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"not an image"}
    )
    expect(page.locator("#photo-list .kp-photo-refused")).to_contain_text("notes.jpg：文件不是有效的图片")
    expect(kept).to_have_count(1)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    shoot(page, "7-resubmit-photos")
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".kp-page-head")).to_contain_text("待审核")
    (stored,) = ReportPhoto.objects.filter(report=report)
    assert stored.size <= LIMIT
    assert timezone.localtime(stored.taken_at).strftime("%Y-%m-%d %H:%M") == "2026-11-20 09:30"
