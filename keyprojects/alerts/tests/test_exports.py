"""The supervision workbook cell by cell: values, kinds, formats and colours, in either language."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from keyprojects.alerts.models import Color, ProjectWarning, Rule
from keyprojects.core.history import encode
from keyprojects.metrics.tests.helpers import list_project

D = datetime.date
RED, YELLOW = "00F8D7DA", "00FFF3CD"


@pytest.fixture
def warnings(city):
    """A red and a yellow warning on a 冠县 project, a yellow one on a 高唐县 project named like a formula."""
    guan = list_project(
        name="冠州国际陆港",
        region=city.guanxian,
        owner=city.enterprise,
        responsible_unit="冠县发展和改革局",
        leader_name="张三",
        leader_post="副县长",
    )
    gao = list_project(name="=SUM(A1)", region=city.gaotang, owner=city.other_enterprise, leader_name="李四")
    for project, rule, color, facts, since in [
        (guan, Rule.START_DELAY, Color.RED, {"planned_start": D(2026, 3, 1), "days": 92}, D(2026, 3, 1)),
        (
            guan,
            Rule.NODE_OVERDUE,
            Color.YELLOW,
            {"node": "开工", "planned_date": D(2026, 5, 29), "department": None, "overdue_workdays": 3},
            D(2026, 6, 1),
        ),
        (
            gao,
            Rule.REPORT_MISSING,
            Color.YELLOW,
            {"missing_rounds": ["2026年第4期", "2026年第5期"], "streak": 2},
            D(2026, 5, 1),
        ),
    ]:
        ProjectWarning.objects.create(
            project=project, rule=rule, subject=rule, color=color, facts=encode(facts), since=since
        )


def workbook(client, language):
    client.cookies["django_language"] = language
    response = client.get("/alerts/supervision.xlsx")
    assert response.status_code == 200
    return load_workbook(BytesIO(response.content)).active


def look(cell):
    """What a reader sees of a cell: value, kind, number format, fill, bold, wrapping, typed as text."""
    fill = cell.fill.fgColor.rgb if cell.fill.fill_type else None
    wrap = (cell.alignment.wrap_text, cell.alignment.vertical)
    return (cell.value, cell.data_type, cell.number_format, fill, cell.font.b, wrap, cell.quotePrefix)


def row(number, name, county, rule, color, reason, since, unit, leader):
    """A warning's row as the workbook shows it; `color` is (label, fill)."""
    plain = ("s", "General", None, False, (None, None), False)
    return [
        (number, "n", "0", None, False, (None, None), False),
        (name, "s", "General", None, False, (None, None), name.startswith("=")),
        (county, *plain),
        (rule, *plain),
        (color[0], "s", "General", color[1], False, (None, None), False),
        (reason, "s", "General", None, False, (True, "top"), False),
        (
            datetime.datetime.combine(since, datetime.time()),
            "d",
            "yyyy-mm-dd",
            None,
            False,
            (None, None),
            False,
        ),
        (unit, *plain) if unit else (None, "inlineStr", *plain[1:]),
        (leader, *plain),
        (None, "inlineStr", "General", None, False, (True, "top"), False),  # no supervision notice yet
    ]


@pytest.mark.today("2026-06-15")
def test_every_cell_of_the_supervision_workbook(client, city, warnings, clock):
    client.force_login(city.city_admin)
    sheet = workbook(client, "zh-hans")
    assert sheet.title == "督办清单"
    assert (sheet["A1"].value, sheet["A1"].font.sz, sheet["A1"].font.b) == (
        "全市重点项目督办清单（截至2026-06-15）",
        14,
        True,
    )
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:J1"]
    assert (sheet.row_dimensions[1].height, sheet.freeze_panes) == (28, "A3")
    assert [sheet.column_dimensions[c].width for c in "ABCDEFGHIJ"] == [6, 40, 12, 18, 10, 60, 14, 24, 24, 30]
    headers = [
        "序号",
        "项目名称",
        "县（市、区）",
        "预警类型",
        "预警颜色",
        "预警原因",
        "预警起始日期",
        "责任单位",
        "包保领导",
        "督办单",  # the supervision app's column (`core.record_columns`)
    ]
    assert [look(c) for c in sheet[2]] == [
        (h, "s", "General", "00DDE3EC", True, (True, "center"), False) for h in headers
    ]
    assert [[look(c) for c in r] for r in sheet.iter_rows(min_row=3)] == [
        row(
            1,
            "冠州国际陆港",
            "冠县",
            "计划开工未开工",
            ("红灯", RED),
            "计划2026-03-01开工，至今未开工（已过92天）",
            D(2026, 3, 1),
            "冠县发展和改革局",
            "张三 副县长",
        ),
        row(
            2,
            "=SUM(A1)",
            "高唐县",
            "月报未报",
            ("黄灯", YELLOW),
            "2026年第4期、2026年第5期未报送月报（连续2期未报）",
            D(2026, 5, 1),
            "",
            "李四",
        ),
        row(
            3,
            "冠州国际陆港",
            "冠县",
            "节点逾期",
            ("黄灯", YELLOW),
            "节点“开工”计划2026-05-29完成，已逾期3个工作日（责任部门：未指定）",
            D(2026, 6, 1),
            "冠县发展和改革局",
            "张三 副县长",
        ),
    ]


@pytest.mark.today("2026-06-15")
def test_the_supervision_workbook_in_english(client, city, warnings, clock):
    client.force_login(city.city_admin)
    sheet = workbook(client, "en")
    assert (sheet.title, sheet["A1"].value) == (
        "Supervision list",
        "Whole city key-project supervision list (as of 2026-06-15)",
    )
    assert [c.value for c in sheet[2]] == [
        "No.",
        "Project name",
        "County",
        "Warning type",
        "Color",
        "Reason",
        "Since",
        "Responsible unit",
        "Responsible leader",
        "Supervision notices",
    ]
    assert [[look(c) for c in r] for r in sheet.iter_rows(min_row=3)] == [
        row(
            1,
            "冠州国际陆港",
            "冠县",
            "Not started as planned",
            ("Red", RED),
            "Planned to start on 2026-03-01, not started yet (92 days ago)",
            D(2026, 3, 1),
            "冠县发展和改革局",
            "张三 副县长",
        ),
        row(
            2,
            "=SUM(A1)",
            "高唐县",
            "Monthly report missing",
            ("Yellow", YELLOW),
            "No monthly report for 2026年第4期, 2026年第5期 (2 rounds in a row)",
            D(2026, 5, 1),
            "",
            "李四",
        ),
        row(
            3,
            "冠州国际陆港",
            "冠县",
            "Node overdue",
            ("Yellow", YELLOW),
            "Node “开工” was due on 2026-05-29, 3 working day(s) overdue (responsible: not assigned)",
            D(2026, 6, 1),
            "冠县发展和改革局",
            "张三 副县长",
        ),
    ]
