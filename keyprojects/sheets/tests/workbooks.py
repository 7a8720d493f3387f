"""Workbooks as offices send them, built in memory for the tests."""

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook


def workbook(rows: Sequence[Sequence[Any]], *, merges: Sequence[str] = (), title: str = "Sheet1") -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
