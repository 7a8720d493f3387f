"""Excel workbooks for download: typed columns under Chinese headers, and the HTTP answer that carries them.

Every export writes through `XlsxSheet`. A column declares its header (translated by the caller), its
kind and its width; each kind has its number format (amounts in 万元 with thousands separators, rates
as percentages, dates as ISO dates). Every text is written as a text cell, whatever it begins with:
a name such as `=HYPERLINK(...)`, `+1` or `@SUM(A1)` is stored and shown as typed, never run as a
formula, and control characters the file format cannot hold are dropped instead of failing the export.
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from io import BytesIO

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .http import attachment

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = "DDE3EC"
# What a spreadsheet would read as the start of a formula or a command.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Styles are values: one object serves every cell that has it.
BOLD = Font(bold=True)
WRAPPED = Alignment(wrap_text=True, vertical="top")


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"  # amounts in 万元
    DATE = "date"
    PERCENT = "percent"  # a fraction: 0.25 shows as 25.0%


NUMBER_FORMATS: dict[Kind, str | None] = {
    Kind.TEXT: None,
    Kind.INT: "0",
    Kind.DECIMAL: "#,##0.00",
    Kind.DATE: "yyyy-mm-dd",
    Kind.PERCENT: "0.0%",
}


@dataclass(frozen=True)
class Column:
    """One column: its header (already in the reader's language), kind and width in characters (a
    Chinese character counts about two). `number_format` overrides the kind's; `wrap` wraps long text."""

    header: str
    kind: Kind = Kind.TEXT
    width: int = 12
    number_format: str | None = None
    wrap: bool = False

    @property
    def format(self) -> str | None:
        return self.number_format or NUMBER_FORMATS[self.kind]


def safe_text(value: str) -> str:
    """The text without the control characters an .xlsx file cannot hold (tab and line breaks stay)."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _set_text(cell: Cell, value: str) -> None:
    cell.value = safe_text(value)
    # openpyxl takes a str starting with "=" for a formula; a text cell is never evaluated.
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # and stays text when someone edits it in Excel


@lru_cache(maxsize=32)
def _fill(color: str) -> PatternFill:
    return PatternFill("solid", fgColor=color)


def _set_value(cell: Cell, value: object) -> None:
    if value is None:
        return
    if isinstance(value, str):
        _set_text(cell, value)
    elif isinstance(value, bool | int | float | Decimal | datetime.date):
        cell.value = value
    else:
        _set_text(cell, str(value))


class XlsxSheet:
    """One sheet: an optional title row across the columns, the header row, then `append`ed rows. The
    title and header stay in view when scrolling, and so do the first `frozen_columns` columns."""

    def __init__(
        self, *, name: str, columns: Sequence[Column], title: str | None = None, frozen_columns: int = 0
    ) -> None:
        self.columns = list(columns)
        self.book = Workbook()
        self.sheet = self.book.active
        self.sheet.title = safe_text(name)[:31]
        self.row = 0
        if title is not None:
            self.row += 1
            _set_text(self.sheet.cell(row=self.row, column=1), title)
            self.sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(self.columns))
            self.sheet["A1"].font = Font(size=14, bold=True)
            self.sheet["A1"].alignment = Alignment(horizontal="center")
            self.sheet.row_dimensions[1].height = 28
        self.row += 1
        for index, column in enumerate(self.columns, start=1):
            cell = self.sheet.cell(row=self.row, column=index)
            _set_text(cell, column.header)
            cell.font = BOLD
            cell.fill = _fill(HEADER_FILL)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            self.sheet.column_dimensions[get_column_letter(index)].width = column.width
        self.sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{self.row + 1}"

    def append(
        self, values: Sequence[object], *, fills: Mapping[int, str] | None = None, bold: bool = False
    ) -> None:
        """Write a row, one value per column; `fills` colours cells by their column's index (from 0)."""
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        self.row += 1
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            cell = self.sheet.cell(row=self.row, column=index + 1)
            _set_value(cell, value)
            if column.format and not isinstance(value, str):
                cell.number_format = column.format
            if column.wrap:
                cell.alignment = WRAPPED
            if fills and index in fills:
                cell.fill = _fill(fills[index])
            if bold:
                cell.font = BOLD

    def content(self) -> bytes:
        buffer = BytesIO()
        self.book.save(buffer)
        return buffer.getvalue()


def xlsx_response(sheet: XlsxSheet, *, filename: str, fallback: str) -> HttpResponse:
    """The workbook as a download named `filename` (any language), `fallback` for clients without UTF-8."""
    return attachment(HttpResponse(sheet.content(), content_type=CONTENT_TYPE), filename, fallback=fallback)
