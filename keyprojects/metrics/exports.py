"""The rates per county as an Excel workbook: each rate with its numerator and denominator."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .selectors import Metrics, MetricsQuery, MetricsTable

HEADER_FILL = PatternFill("solid", fgColor="DDE3EC")
RATE_FORMAT = "0.0%"
MONEY_FORMAT = "#,##0.00"


def _columns() -> list[tuple[str, int, str | None]]:
    """Headers, widths (characters) and number formats."""
    return [
        (_("县(市、区)"), 16, None),
        (_("已开工(个)"), 12, None),
        (_("应开工(个)"), 12, None),
        (_("开工率"), 10, RATE_FORMAT),
        (_("已纳统(个)"), 12, None),
        (_("应纳统(个)"), 12, None),
        (_("纳统率"), 10, RATE_FORMAT),
        (_("本年完成投资(万元)"), 20, MONEY_FORMAT),
        (_("年度计划投资(万元)"), 20, MONEY_FORMAT),
        (_("投资完成率"), 12, RATE_FORMAT),
        (_("序时进度"), 10, RATE_FORMAT),
        (_("对比序时进度(百分点)"), 20, "0.0"),
    ]


def _row(label: str, m: Metrics) -> list[object]:
    return [
        label,
        m.start_rate.numerator,
        m.start_rate.denominator,
        m.start_rate.value,
        m.statistics_rate.numerator,
        m.statistics_rate.denominator,
        m.statistics_rate.value,
        m.investment_rate.numerator,
        m.investment_rate.denominator,
        m.investment_rate.value,
        m.time_progress.quantize(Decimal("0.001")),
        m.vs_time_progress,
    ]


def rates_workbook(table: MetricsTable, *, query: MetricsQuery, scope_name: str) -> bytes:
    """The workbook's bytes: a title with the as-of date, the headers, a row per county, the total."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("三率")
    columns = _columns()
    title = _("%(scope)s%(year)s年度重点项目三率(截至%(date)s)") % {
        "scope": scope_name,
        "year": query.year,
        "date": query.as_of.isoformat(),
    }
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A1"].alignment = Alignment(horizontal="center")
    sheet.append([header for header, _width, _format in columns])
    for index, (_header, width, _format) in enumerate(columns, start=1):
        cell = sheet.cell(row=2, column=index)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    rows = [(row.region.name, row.metrics) for row in table.rows]
    rows.append((_("合计"), table.total))
    for label, metrics in rows:
        sheet.append(_row(label, metrics))
        for index, (_header, _width, number_format) in enumerate(columns, start=1):
            if number_format:
                sheet.cell(row=sheet.max_row, column=index).number_format = number_format
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B3"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
