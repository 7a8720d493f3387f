"""The import page: upload, follow the job, read its report."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from keyprojects.projects.models import Project
from keyprojects.sheets.models import ImportJob

from .test_import import HEADERS, row
from .workbooks import workbook

pytestmark = pytest.mark.today("2026-05-12")


def upload(client, content, **extra):
    return client.post(
        "/sheets/import/projects/", {"file": SimpleUploadedFile("冠县清单.xlsx", content), **extra}
    )


def test_an_upload_runs_in_the_background_and_its_page_shows_the_summary(city, client, clock):
    client.force_login(city.county)
    assert "下载导入模板" in client.get("/sheets/import/projects/").content.decode()
    response = upload(client, workbook([HEADERS, row(1, "项目甲"), row(2, "项目乙")]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/sheets/import/jobs/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "导入完成：新建 2 个项目，更新 0 个，0 个无变化。" in page
    assert 'hx-trigger="every 1s"' not in page  # done: no more polling
    assert job.content == b"" and Project.objects.count() == 2
    assert "冠县清单.xlsx" in client.get("/sheets/import/projects/").content.decode()


def test_a_report_of_errors_names_rows_and_nothing_is_written(city, client, clock):
    client.force_login(city.county)
    response = upload(
        client, workbook([HEADERS, row(1, "项目甲"), row(2, "项目乙", **{"总投资（万元）": -5})])
    )
    page = client.get(response["Location"]).content.decode()
    assert "发现 2 处错误，未写入任何数据" in page
    assert '<td class="kp-num">3</td><td>总投资（万元）</td><td>总投资必须大于0</td>' in page
    assert Project.objects.count() == 0


def test_a_dry_run_says_what_would_happen(city, client, clock):
    client.force_login(city.county)
    response = upload(client, workbook([HEADERS, row(1, "项目甲")]), dry_run="on")
    page = client.get(response["Location"]).content.decode()
    assert "校验通过：将新建 1 个项目" in page and Project.objects.count() == 0


def test_a_running_job_shows_its_progress_and_asks_again(city, client):
    job = ImportJob.objects.create(
        author=city.county, filename="a.xlsx", status="checking", done=300, total=1200
    )
    client.force_login(city.county)
    page = client.get(f"/sheets/import/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="25"' in page and "300 / 1200" in page
    assert "<html" not in page  # the partial alone
    client.force_login(city.other_county)
    assert client.get(f"/sheets/import/jobs/{job.pk}/").status_code == 404


def test_a_file_that_is_no_workbook_is_named_beside_the_field(city, client):
    client.force_login(city.county)
    response = upload(client, b"not a workbook")
    assert response.status_code == 422
    assert "不是有效的 Excel 工作簿" in response.content.decode() and not ImportJob.objects.exists()
