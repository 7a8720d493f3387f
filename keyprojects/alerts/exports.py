"""The 督办 (supervision) list as an Excel workbook: one row per red or yellow warning."""

import datetime
from io import BytesIO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .models import Color, ProjectWarning

FILLS: dict[str, PatternFill] = {
    Color.RED: PatternFill("solid", fgColor="F8D7DA"),
    Color.YELLOW: PatternFill("solid", fgColor="FFF3CD"),
}
HEADER_FILL = PatternFill("solid", fgColor="DDE3EC")


def _columns() -> list[tuple[str, int]]:
    """Headers with their widths (in characters; a Chinese character counts about two)."""
    return [
        (_("序号"), 6),
        (_("项目名称"), 40),
        (_("县(市、区)"), 12),
        (_("预警类型"), 18),
        (_("预警颜色"), 10),
        (_("预警原因"), 60),
        (_("预警起始日期"), 14),
        (_("责任单位"), 24),
        (_("包保领导"), 24),
    ]


def supervision_workbook(
    warnings: QuerySet[ProjectWarning], *, scope_name: str, today: datetime.date
) -> bytes:
    """The workbook's bytes: a title row, the headers, then the warnings in the given order."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("督办清单")
    columns = _columns()
    title = _("%(scope)s重点项目督办清单(截至%(date)s)") % {"scope": scope_name, "date": today.isoformat()}
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.row_dimensions[1].height = 28
    sheet.append([header for header, _width in columns])
    for index, (_header, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, warning in enumerate(warnings, start=1):
        project = warning.project
        leader = " ".join(part for part in (project.leader_name, project.leader_post) if part)
        sheet.append(
            [
                number,
                project.name,
                project.region.name,
                warning.get_rule_display(),
                warning.get_color_display(),
                warning.message,
                warning.since,
                project.responsible_unit,
                leader,
            ]
        )
        row = sheet.max_row
        sheet.cell(row=row, column=5).fill = FILLS.get(warning.color, PatternFill())
        sheet.cell(row=row, column=6).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.cell(row=row, column=7).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
