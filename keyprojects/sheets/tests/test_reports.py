"""Monthly reports from a round's dispatch sheet: by the owner, or the county on its behalf where the round
allows it; all rows or none."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keyprojects.metrics.tests.helpers import dispatch_round, list_project
from keyprojects.progress.models import MonthlyReport

from .workbooks import workbook

pytestmark = pytest.mark.today("2026-03-25")
HEADERS = ["序号", "统一项目代码", "项目名称", "3月形象进度", "3月完成投资（万元）", "存在问题及困难"]


@pytest.fixture
def march(city):
    port = list_project(
        region=city.guanxian, owner=city.enterprise, name="冠州国际陆港", code="2603-371525-04-01-52817X"
    )
    wheels = list_project(region=city.guanxian, owner=city.enterprise, name="华超金属车轮")
    aobo = list_project(region=city.gaotang, owner=city.other_enterprise, name="奥博生物糖醇")
    round_ = dispatch_round(2026, 3, city_id=port.city_id)
    round_.projects.add(port, wheels, aobo)
    return round_


def upload(client, round_, rows, **extra):
    content = SimpleUploadedFile("调度表.xlsx", workbook([["2026年第3期调度表"], HEADERS, *rows]))
    return client.post(f"/sheets/import/rounds/{round_.pk}/reports/", {"file": content, **extra})


def test_the_county_fills_on_behalf_where_the_round_allows_it(city, client, clock, march):
    client.force_login(city.county)
    assert client.get(f"/sheets/import/rounds/{march.pk}/reports/").status_code == 403
    march.county_may_fill = True
    march.save()
    assert "从调度表导入月报" in client.get(f"/progress/rounds/{march.pk}/").content.decode()
    rows = [
        [1, "2603-371525-04-01-52817x", "冠州国际陆港（改名不影响）", "主体结构施工", 3000, "用地指标不足"],
        [2, None, "华超金属车轮", "设备安装", "1,200.5", None],
        ["合计", None, None, None, 4200.5, None],
    ]
    page = upload(client, march, rows).content.decode()
    assert "已提交 2 份月报，0 份无变化。" in page
    port = MonthlyReport.objects.get(project__name="冠州国际陆港")
    assert port.filled_on_behalf and port.submitted_by == city.county and port.status == "submitted"
    assert (port.progress_text, port.total, port.other, port.problems) == (
        "主体结构施工",
        3000,
        3000,
        "用地指标不足",
    )
    assert MonthlyReport.objects.get(project__name="华超金属车轮").total == Decimal("1200.50")
    # the same sheet again changes nothing
    assert "已提交 0 份月报，2 份无变化。" in upload(client, march, rows).content.decode()


def test_an_owner_reports_its_projects_and_a_bad_row_keeps_every_report_out(city, client, clock, march):
    client.force_login(city.owner)
    rows = [
        [1, None, "冠州国际陆港", "主体结构施工", 3000, None],
        [2, None, "华超金属车轮", None, -5, None],
        [3, None, "奥博生物糖醇", "厂房封顶", 100, None],
    ]
    page = upload(client, march, rows).content.decode()
    assert "发现 3 处错误，未写入任何数据" in page
    assert '<td class="kp-num">4</td><td>3月形象进度</td><td>请填写本月形象进度</td>' in page
    assert '<td class="kp-num">4</td><td>3月完成投资（万元）</td><td>金额不能为负数</td>' in page
    assert '<td class="kp-num">5</td><td>项目名称</td>' in page  # not the owner's
    assert not MonthlyReport.objects.exists()
    page = upload(client, march, rows[:1], dry_run="on").content.decode()
    assert "校验通过：将提交 1 份月报" in page and not MonthlyReport.objects.exists()
    upload(client, march, rows[:1])
    report = MonthlyReport.objects.get()
    assert not report.filled_on_behalf and report.submitted_by == city.owner


def test_a_round_unseen_is_missing(city, client, march):
    client.force_login(city.other_owner)
    other = dispatch_round(2026, 4, city_id=march.city_id)
    assert client.get(f"/sheets/import/rounds/{other.pk}/reports/").status_code == 404
