"""A round's monthly dispatch sheet: each month's 形象进度 and 完成投资 side by side, cumulative figures,
problems and the rates; the projects the reader sees; formula-safe."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.metrics.tests.helpers import dispatch_round, include, list_project, report
from keyprojects.progress.models import MonthlyReport

pytestmark = pytest.mark.today("2026-05-12")
D = datetime.date


@pytest.fixture
def sheet_round(city):
    port = list_project(
        region=city.guanxian, owner=city.enterprise, name="冠州国际陆港", annual_investment=Decimal("12000"),
        actual_start=D(2026, 2, 10), code="2603-371525-04-01-52817X",
    )  # fmt: skip
    aobo = list_project(region=city.gaotang, owner=city.other_enterprise, name="奥博生物糖醇")
    include(port, D(2026, 3, 1))
    report(port, D(2026, 1, 1), "1000", by=city.owner, reviewed_on=D(2026, 2, 10)).__class__.objects.filter(
        project=port, month=D(2026, 1, 1)
    ).update(progress_text="场地平整")
    february = report(port, D(2026, 2, 1), "2000", by=city.owner, reviewed_on=D(2026, 3, 10))
    MonthlyReport.objects.filter(pk=february.pk).update(progress_text="=主体施工", problems="用地指标不足")
    third = report(port, D(2026, 3, 1), "3000", by=city.county, reviewed_on=None, status="submitted")
    MonthlyReport.objects.filter(pk=third.pk).update(filled_on_behalf=True, progress_text="钢结构吊装")
    march = dispatch_round(2026, 3, city_id=port.city_id)
    march.projects.add(port, aobo)
    return march


def rows(content: bytes) -> list[tuple]:
    return [tuple(r) for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)]


def test_the_sheet_lays_out_each_month_side_by_side_with_the_cumulative_figures(city, client, sheet_round):
    client.force_login(city.city_admin)
    response = client.get(f"/sheets/export/rounds/{sheet_round.pk}/dispatch-sheet.xlsx")
    assert response.status_code == 200
    title, header, port, aobo = rows(response.content)
    assert title[0].startswith("2026年第3期重点项目月度调度表（截至2026-03-31）：开工率")
    assert header[7:13] == (
        "1月形象进度",
        "1月完成投资（万元）",
        "2月形象进度",
        "2月完成投资（万元）",
        "3月形象进度",
        "3月完成投资（万元）",
    )
    assert header[13:] == (
        "当年累计完成投资（万元）", "自开工累计完成投资（万元）", "存在问题及困难", "是否开工", "是否纳统", "投资完成率", "填报状态",
    )  # fmt: skip
    assert port[2] == "冠州国际陆港" and port[3] == "冠县"
    assert port[7:13] == ("场地平整", 1000, "=主体施工", 2000, "钢结构吊装", 3000)
    assert port[13:] == (6000, 6000, None, "是", "是", 0.5, "待审核（县级代填）")
    assert aobo[2] == "奥博生物糖醇" and aobo[7:13] == (None,) * 6
    assert aobo[-1] == "未报" and aobo[16:18] == ("否", "否")


def test_a_county_gets_its_own_projects_and_the_api_answers_by_round(city, sheet_round):
    content = ApiClient(city.county).get("/exports/dispatch-sheet.xlsx", {"round": sheet_round.pk}).content
    assert [r[2] for r in rows(content)[2:]] == ["冠州国际陆港"]
    assert ApiClient(city.owner).get("/exports/dispatch-sheet.xlsx", {"round": 999999}).status_code == 404


def test_text_that_looks_like_a_formula_stays_text_in_the_sheet(city, client, sheet_round):
    client.force_login(city.city_admin)
    sheet = load_workbook(
        io.BytesIO(client.get(f"/sheets/export/rounds/{sheet_round.pk}/dispatch-sheet.xlsx").content)
    ).active
    cell = sheet.cell(row=3, column=10)
    assert cell.value == "=主体施工" and cell.data_type == "s" and cell.quotePrefix


def test_the_round_page_links_its_sheet(city, client, sheet_round):
    client.force_login(city.city_admin)
    page = client.get(f"/progress/rounds/{sheet_round.pk}/").content.decode()
    assert f'href="/sheets/export/rounds/{sheet_round.pk}/dispatch-sheet.xlsx"' in page
