"""Lists in and out in a real browser: a county officer exports its filtered list, uploads a list with a bad
row and reads the report, corrects it and imports it; a running import shows its progress bar."""

import pytest
from playwright.sync_api import Page, expect

from keyprojects.projects.models import Project
from keyprojects.sheets.models import ImportJob
from keyprojects.sheets.tests.test_import import HEADERS, row
from keyprojects.sheets.tests.workbooks import workbook
from tests.browser.session import log_in, photograph

pytestmark = pytest.mark.browser


def upload(page: Page, tmp_path, name: str, rows) -> None:
    path = tmp_path / name
    path.write_bytes(workbook([["冠县2026年重点项目计划表"], HEADERS, *rows]))
    page.get_by_label("项目清单文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并导入").click()


@pytest.mark.today("2026-05-12")
def test_a_county_imports_its_list_after_reading_the_report(
    page: Page, transactional_db, city, clock, tmp_path
):
    log_in(page, "guanxian")
    page.goto("/projects/?level=municipal")
    export = page.locator("#project-list-actions [data-action=export]")
    expect(export).to_have_attribute("href", "/sheets/export/projects.xlsx?level=municipal")
    photograph(page, "project-list-actions")
    page.locator("#project-list-actions [data-action=import]").click()
    expect(page.locator("h1")).to_have_text("导入项目清单")
    photograph(page, "import-page")

    bad = [
        row(1, "冠州国际陆港", **{"年度计划投资（万元）": 90000}),
        row(2, "华超金属车轮", **{"所属区域": "火星县"}),
    ]
    upload(page, tmp_path, "冠县清单.xlsx", bad)
    expect(page.locator("#import-summary")).to_contain_text("未写入任何数据")
    expect(page.locator("#import-errors tbody tr")).to_have_count(2)
    photograph(page, "import-report")
    assert not Project.objects.exists()

    page.get_by_role("link", name="再导入一个文件").click()
    upload(page, tmp_path, "冠县清单-修正.xlsx", [row(1, "冠州国际陆港"), row(2, "华超金属车轮")])
    expect(page.locator("#import-summary")).to_contain_text("导入完成：新建 2 个项目")
    assert Project.objects.count() == 2


def test_a_running_import_shows_its_progress(page: Page, transactional_db, city):
    job = ImportJob.objects.create(
        author=city.county, filename="冠县2026年重点项目清单.xlsx", status="checking", done=7400, total=20000
    )
    log_in(page, "guanxian")
    page.goto(f"/sheets/import/jobs/{job.pk}/")
    expect(page.locator(".progress-bar")).to_have_text("37%")
    photograph(page, "import-progress")
    ImportJob.objects.filter(pk=job.pk).update(
        status="done",
        result={"ok": True, "dry_run": False, "created": 20000, "updated": 0, "unchanged": 0, "errors": []},
    )
    expect(page.locator("#import-summary")).to_contain_text("新建 20000 个项目")  # the page asked again


@pytest.mark.today("2026-03-25")
def test_a_county_fills_the_months_reports_from_the_dispatch_sheet(
    page: Page, transactional_db, city, clock, tmp_path
):
    from keyprojects.metrics.tests.helpers import dispatch_round, list_project
    from keyprojects.progress.models import MonthlyReport

    port = list_project(region=city.guanxian, owner=city.enterprise, name="冠州国际陆港")
    march = dispatch_round(2026, 3, city_id=port.city_id)
    march.projects.add(port)
    march.county_may_fill = True
    march.save()
    log_in(page, "guanxian")
    page.goto(f"/progress/rounds/{march.pk}/")
    page.get_by_role("link", name="从调度表导入月报").click()
    path = tmp_path / "调度表.xlsx"
    path.write_bytes(
        workbook(
            [
                ["项目名称", "3月形象进度", "3月完成投资（万元）", "存在问题及困难"],
                ["冠州国际陆港", "主体施工", 3000, "用地指标不足"],
            ]
        )
    )
    page.get_by_label("调度表文件（.xlsx）").set_input_files(str(path))
    page.get_by_role("button", name="上传并提交").click()
    expect(page.locator("#import-summary")).to_contain_text("已提交 1 份月报")
    photograph(page, "import-reports")
    assert MonthlyReport.objects.get().filled_on_behalf
