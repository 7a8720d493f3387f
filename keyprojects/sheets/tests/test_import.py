"""Importing a project list: headers by name, each row checked like the form, all or nothing."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.projects.models import Nature, Project, ProjectEvent, ProjectTally, Stage
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.sheets.services import projects_import

from .workbooks import workbook

pytestmark = pytest.mark.today("2026-05-12")

HEADERS = ["序号", "统一项目代码", "项目名称", "所属区域", "建设性质", "项目单位", "建设起止年限", "总投资（万元）",
           "年度计划投资（万元）", "资金来源", "建设阶段", "备注"]  # fmt: skip


def row(number, name, **overrides):
    values = {
        "序号": number, "统一项目代码": None, "项目名称": name, "所属区域": "冠县", "建设性质": "新建",
        "项目单位": "冠县陆港投资有限公司", "建设起止年限": "2026-2027", "总投资（万元）": 52000,
        "年度计划投资（万元）": 12000, "资金来源": "企业自筹、银行贷款", "建设阶段": "前期", "备注": "",
    }  # fmt: skip
    values.update(overrides)
    return [values[h] for h in HEADERS]


def run(user, rows, **kwargs):
    return projects_import(user=user, content=workbook(rows), **kwargs)


def test_a_list_with_a_title_numbered_columns_and_a_total_creates_its_projects(city, clock):
    content = workbook(
        [
            ["冠县2026年重点项目计划表"],
            HEADERS,
            list(range(1, len(HEADERS) + 1)),
            row(1, "冠州国际陆港物流园", **{"统一项目代码": "2603-371525-04-01-52817X"}),
            row(2, "华超金属轻量化高强度车轮", **{"建设起止年限": "2026—2028年", "资金来源": "自筹"}),
            ["合计", None, None, None, None, None, None, 104000, 24000],
        ],
        merges=["A1:L1"],
    )
    result = projects_import(user=city.county, content=content)
    assert result.as_dict() == {
        "ok": True,
        "dry_run": False,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    port = Project.objects.get(name="冠州国际陆港物流园")
    assert port.code == "2603-371525-04-01-52817X"
    assert port.region == city.guanxian and port.owner == city.enterprise
    assert port.planned_start == datetime.date(2026, 1, 1) and port.planned_end == datetime.date(2027, 12, 31)
    assert port.total_investment == Decimal("52000") and port.funding_sources == ["self_raised", "bank_loan"]
    assert port.year == 2026 and port.stage == Stage.PREPARATION and port.nature == Nature.NEW
    wheels = Project.objects.get(name="华超金属轻量化高强度车轮")
    assert wheels.planned_end == datetime.date(2028, 12, 31) and wheels.funding_sources == ["self_raised"]
    # recorded as a form's creation would be
    assert ProjectEvent.objects.filter(
        project=port, kind=ProjectEvent.Kind.CREATED, actor=city.county
    ).exists()
    # counted in the list's totals, each slice recounted once at the end
    tally = ProjectTally.objects.get(region=city.guanxian, year=2026)
    assert (tally.projects, tally.total_investment, tally.annual_investment) == (2, 104000, 24000)


def test_header_variants_merged_two_level_headers_and_yi_yuan(city, clock):
    content = workbook(
        [
            ["名称", "县（市、区）", "计划总投资\n（亿元）", "计划工期", None, "2026年计划投资"],
            [None, None, None, "开工时间", "竣工时间", None],
            ["信发集团新型环保建材产业园", "冠县", 3.25, "2026.3", "2027年6月", "8000"],
        ],
        merges=["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"],
    )
    result = projects_import(user=city.city_admin, content=content)
    assert result.ok, result.errors
    project = Project.objects.get(name="信发集团新型环保建材产业园")
    assert project.total_investment == Decimal("32500.00")
    assert project.annual_investment == Decimal("8000")
    assert project.planned_start == datetime.date(2026, 3, 1)
    assert project.planned_end == datetime.date(2027, 6, 1)


def test_bad_rows_write_nothing_and_each_is_named_with_its_column(city, clock):
    rows = [
        HEADERS,
        row(1, "好项目"),
        row(2, "年度超总投资", **{"年度计划投资（万元）": 90000}),
        row(3, "", **{"所属区域": "火星县"}),
        row(4, "日期有误", **{"建设起止年限": "明年"}),
        row(5, "好项目"),
        row(6, "资金不明", **{"资金来源": "天上掉的"}),
    ]
    result = run(city.county, rows)
    assert not result.ok
    found = [(e.row, e.column) for e in result.errors]
    assert (3, "年度计划投资（万元）") in found
    assert (4, "所属区域") in found
    assert (5, "建设起止年限") in found
    assert (6, "项目名称") in found  # the same project as row 2
    assert (7, "资金来源") in found
    messages = {e.row: e.message for e in result.errors}
    assert messages[3] == "年度计划投资不能超过总投资"
    assert "火星县" in messages[4]
    assert "第2行" in messages[6]
    assert Project.objects.count() == 0


def test_a_dry_run_reports_without_writing(city, clock):
    result = run(city.county, [HEADERS, row(1, "项目甲"), row(2, "项目乙")], dry_run=True)
    assert result.as_dict()["created"] == 2 and result.dry_run and result.ok
    assert Project.objects.count() == 0


def test_rows_update_by_code_else_by_name_and_region_and_count_the_unchanged(city, clock):
    coded = ProjectFactory(
        region=city.guanxian, owner=city.enterprise, name="旧名称", code="2603-371525-04-01-52817X",
        pipeline="reserve", stage=Stage.PREPARATION,
    )  # fmt: skip
    named = ProjectFactory(
        region=city.guanxian, owner=city.enterprise, name="嘉华股份东厂区分离蛋白", pipeline="reserve"
    )
    same = ProjectFactory(
        region=city.guanxian, owner=city.enterprise, name="无变化项目", total_investment=Decimal("52000"),
        annual_investment=Decimal("12000"), pipeline="reserve", remarks="",
        planned_start=datetime.date(2026, 1, 1), planned_end=datetime.date(2027, 12, 31),
        funding_sources=["self_raised", "bank_loan"], nature=Nature.NEW,
    )  # fmt: skip
    rows = [
        HEADERS,
        row(1, "冠州国际陆港", **{"统一项目代码": "2603-371525-04-01-52817x"}),
        row(2, "嘉华股份东厂区分离蛋白", **{"总投资（万元）": 61000}),
        row(3, "无变化项目"),
    ]
    result = run(city.county, rows)
    assert result.as_dict() == {
        "ok": True,
        "dry_run": False,
        "created": 0,
        "updated": 2,
        "unchanged": 1,
        "errors": [],
    }
    coded.refresh_from_db()
    named.refresh_from_db()
    same.refresh_from_db()
    assert coded.name == "冠州国际陆港" and coded.version == 2
    assert named.total_investment == Decimal("61000")
    assert same.version == 1
    event = ProjectEvent.objects.get(project=named, field="total_investment")
    assert event.actor == city.county and event.reason == "Excel导入"


def test_a_county_cannot_import_into_another_county_nor_change_a_stage(city, clock):
    ProjectFactory(region=city.guanxian, owner=city.enterprise, name="在建项目", stage=Stage.UNDER_CONSTRUCTION,
                   actual_start=datetime.date(2025, 5, 1), pipeline="reserve")  # fmt: skip
    rows = [
        HEADERS,
        row(1, "高唐的项目", **{"所属区域": "高唐县"}),
        row(2, "在建项目", **{"建设阶段": "竣工"}),
    ]
    result = run(city.county, rows)
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(2, "所属区域")] == "所选区域不在您的管辖范围内，或不是县级单位"
    assert "项目页面" in messages[(3, "建设阶段")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel"),
        (b"name,total\n a,1\n", "不是有效的 Excel"),
        (b"", "空"),
    ],
    ids=["xls", "csv", "empty"],
)
def test_a_file_that_is_no_xlsx_gets_a_clear_error(city, content, message):
    client = ApiClient(city.city_admin)
    response = client.client.post(
        "/api/v1/imports/projects", {"file": SimpleUploadedFile("list.xlsx", content)}, headers=client.headers
    )
    assert response.status_code == 422
    assert message in response.json()["errors"]["file"][0]


def _with_doctype(content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + data
            target.writestr(item, data)
    return out.getvalue()


def test_external_entities_are_refused_and_formulas_never_run(city, clock):
    client = ApiClient(city.city_admin)
    unsafe = _with_doctype(workbook([HEADERS, row(1, "项目甲")]))
    response = client.client.post(
        "/api/v1/imports/projects", {"file": SimpleUploadedFile("x.xlsx", unsafe)}, headers=client.headers
    )
    assert response.status_code == 422 and "XML" in response.json()["detail"]
    formula = workbook([HEADERS, row(1, "项目甲", **{"总投资（万元）": "=1+1"})])
    result = projects_import(user=city.city_admin, content=formula)
    # a formula never computed has no value: the amount is missing, never evaluated
    assert not result.ok and result.errors[0].column == "总投资（万元）"


def test_the_api_answers_the_report_and_a_dry_run(city, clock):
    client = ApiClient(city.county)
    content = workbook([HEADERS, row(1, "项目甲"), row(2, "项目乙", **{"总投资（万元）": "很多"})])
    response = client.client.post(
        "/api/v1/imports/projects", {"file": SimpleUploadedFile("l.xlsx", content), "dry_run": "true"},
        headers=client.headers,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json() == {
        "ok": False, "dry_run": True, "created": 1, "updated": 0, "unchanged": 0,
        "errors": [{"row": 3, "column": "总投资（万元）", "message": "“很多”不是数字"}],
    }  # fmt: skip


def test_an_owner_may_not_import(city):
    client = ApiClient(city.owner)
    response = client.client.post(
        "/api/v1/imports/projects",
        {"file": SimpleUploadedFile("l.xlsx", workbook([HEADERS]))},
        headers=client.headers,
    )
    assert response.status_code == 403


def test_a_long_import_runs_with_a_progress_bar_in_the_command(city, clock, tmp_path):
    """The 20,000 rows are the bench's (bench/sheets.py); here 450 rows, the bar drawn every 200."""
    path = tmp_path / "list.xlsx"
    path.write_bytes(workbook([HEADERS, *(row(n, f"批量项目{n}") for n in range(1, 451))]))
    out, err = io.StringIO(), io.StringIO()
    call_command("import-projects", str(path), "--user", "guanxian", stdout=out, stderr=err)
    assert out.getvalue().strip() == "新建 450 个，更新 0 个，0 个无变化"
    bar = err.getvalue()
    assert "\r校验 [" in bar and " 44% 200/450" in bar and "100% 450/450" in bar
    assert "\r写入 [" in bar
    assert Project.objects.count() == 450


def test_the_command_reports_bad_rows_and_writes_nothing(city, clock, tmp_path):
    path = tmp_path / "list.xlsx"
    path.write_bytes(workbook([HEADERS, row(1, "项目甲", **{"所属区域": "火星县"})]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 处错误"):
        call_command("import-projects", str(path), "--user", "guanxian", "--no-progress", stderr=err)
    assert "第2行 所属区域：所属区域“火星县”不是本市的县（市、区）" in err.getvalue()
    assert Project.objects.count() == 0


def test_the_job_keeps_its_progress_as_the_rows_are_checked(city, clock, monkeypatch):
    from keyprojects.sheets import services
    from keyprojects.sheets.models import ImportJob

    seen = []
    original = services.projects_import

    def spy(**kwargs):
        progress = kwargs["progress"]

        def recording(done, total, phase):
            progress(done, total, phase)
            job = ImportJob.objects.get()
            seen.append((job.status, job.done, job.total))

        return original(**{**kwargs, "progress": recording})

    monkeypatch.setattr(services, "projects_import", spy)
    services.import_job_start(
        user=city.county,
        filename="a.xlsx",
        content=workbook([HEADERS, *(row(n, f"项目{n}") for n in range(1, 451))]),
        dry_run=False,
    )
    assert ("checking", 200, 450) in seen and ("checking", 400, 450) in seen
    assert ("writing", 450, 450) in seen
    job = ImportJob.objects.get()
    assert job.status == "done" and job.result["created"] == 450 and job.percent == 100


def test_the_city_dictionary_is_read_by_label_or_code_and_an_unknown_value_stops_the_whole_file(city, clock):
    from keyprojects.projects.dictionary import dictionary_entry_create

    dictionary_entry_create(user=city.city_admin, kind="industry", label="高端化工", code="chem")
    dictionary_entry_create(user=city.city_admin, kind="category", label="园区配套", code="park")
    headers = [*HEADERS, "所属行业", "项目类别"]
    rows = [
        [*row(1, "项目甲"), "高端化工", "园区配套"],
        [*row(2, "项目乙", **{"建设性质": "continuation"}), "chem", "基础设施"],
    ]
    refused = run(city.county, [headers, *rows, [*row(3, "项目丙"), "造船", "产业"]])
    assert not refused.ok and refused.as_dict()["errors"] == [
        {"row": 4, "column": "所属行业", "message": "“造船”不是可选值（高端化工）"}
    ]
    assert not Project.objects.filter(name__in=["项目甲", "项目乙"]).exists()

    assert run(city.county, [headers, *rows]).ok
    assert dict(Project.objects.values_list("name", "industry")) == {"项目甲": "chem", "项目乙": "chem"}
    assert dict(Project.objects.values_list("name", "category")) == {
        "项目甲": "park",
        "项目乙": "infrastructure",
    }
    assert Project.objects.get(name="项目乙").nature == "continuation"


@pytest.mark.django_db(transaction=True)  # the job's transaction commits, as in the task worker
def test_an_import_in_the_background_is_recorded_as_its_authors(city, clock):
    from keyprojects.audit.models import AuditRecord
    from keyprojects.sheets import services

    services.import_job_start(
        user=city.county,
        filename="冠县.xlsx",
        content=workbook([HEADERS, row(1, "项目甲"), row(2, "项目乙")]),
        dry_run=False,
    )
    created = list(AuditRecord.objects.filter(object_model="projects.project").order_by("seq"))
    assert {r.object_text for r in created} == {"项目甲", "项目乙"}
    assert {(r.actor_id, r.username, r.method, r.path) for r in created} == {
        (city.county.pk, "guanxian", "TASK", "Excel导入 冠县.xlsx")
    }
    made = list(
        AuditRecord.objects.filter(path="Excel导入 冠县.xlsx").order_by("seq").values_list("seq", flat=True)
    )
    assert made == list(range(min(made), min(made) + len(made)))  # appended together
