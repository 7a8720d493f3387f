"""Opening an uploaded workbook safely, and finding its table: the header row and the rows under it.

An upload is bounded before any XML is parsed: its size, the number and uncompressed size of the parts of
the zip file, then the number of sheets and rows. A part that declares a DOCTYPE (the door to external and
expanding entities) is refused; a workbook never needs one. Cells are read as stored: a formula is never
evaluated, its last computed value is what is read (`data_only`). A file that is no .xlsx — an old .xls,
a corrupt zip, a text renamed — is refused with a message saying so.
"""

import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from keyprojects.core.errors import ApplicationError

from .columns import Header

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 2000
MAX_SHEETS = 50
MAX_ROWS = 50_000
_TOTAL_ROW = ("合计", "总计", "小计")
HEADER_SEARCH_ROWS = 15  # a title, notes and merged header rows come above the header within these
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls (and an encrypted .xlsx)


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(message, errors={"file": [message]})


def check_size(content: bytes) -> None:
    if len(content) > MAX_UPLOAD_BYTES:
        raise _refuse(_("文件超过 %(size)s MB，请拆分后导入") % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)})
    if not content:
        raise _refuse(_("文件是空的"))


def check_package(content: bytes) -> None:
    check_size(content)
    if content.startswith(_OLE_SIGNATURE):
        raise _refuse(_("这是旧版 Excel 文件（.xls）或加密文件，请在 Excel 中另存为 .xlsx 后导入"))
    try:
        archive = zipfile.ZipFile(BytesIO(content))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(_("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏")) from None
    with archive:
        if len(parts) > MAX_PARTS or sum(part.file_size for part in parts) > MAX_UNCOMPRESSED_BYTES:
            raise _refuse(_("文件解压后过大，请拆分后导入"))
        names = {part.filename for part in parts}
        if "xl/workbook.xml" not in names:
            raise _refuse(_("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏"))
        for part in parts:
            if part.filename.endswith((".xml", ".rels")):
                try:
                    with archive.open(part) as stream:
                        head = stream.read(4096)
                except (zipfile.BadZipFile, OSError, ValueError, RuntimeError):
                    raise _refuse(_("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏")) from None
                if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
                    raise _refuse(_("文件包含不安全的 XML 声明，已拒绝导入"))


def open_sheets(content: bytes) -> list[Any]:
    """The workbook's sheets, read-only, values as stored; ApplicationError (field `file`) for a file
    that is too large, unsafe or no .xlsx at all."""
    check_package(content)
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises anything from KeyError to its own errors on a broken file
        raise _refuse(_("文件不是有效的 Excel 工作簿（.xlsx），可能已损坏")) from None
    if len(book.worksheets) > MAX_SHEETS:
        raise _refuse(_("工作簿的工作表超过 %(count)s 个") % {"count": MAX_SHEETS})
    return list(book.worksheets)


@dataclass(frozen=True)
class Table:
    """A sheet's table: what each column's header names (by the cell's index) and its rows under the header,
    each with its row number in the sheet."""

    headers: dict[int, Header]
    header_texts: dict[int, str]
    rows: list[tuple[int, tuple[Any, ...]]]


def _texts(row: Sequence[Any]) -> list[str]:
    return [str(value).strip() if value is not None else "" for value in row]


def find_table(sheet: Any, match: Callable[[str], Header | None], *, required: str) -> Table | None:
    """The sheet's header row — among the first rows, the one naming the most known columns, one of them
    `required` — and the rows below it. A header cell left empty under a merged cell takes the name of
    the cell above it (two-level headers). None when no row names the required column."""
    rows: list[tuple[Any, ...]] = []
    best: tuple[int, int] | None = None  # (matched count, index)
    iterator = sheet.iter_rows(values_only=True)
    for index, row in enumerate(iterator):
        rows.append(row)
        if index < HEADER_SEARCH_ROWS:
            known = [m for m in (match(text) for text in _texts(row)) if m is not None]
            named = any(m.column.key == required for m in known)
            if named and (best is None or len(known) > best[0]):
                best = (len(known), index)
        if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise _refuse(
                _("工作表“%(sheet)s”超过 %(count)s 行，请拆分后导入")
                % {"sheet": sheet.title, "count": MAX_ROWS}
            )
    if best is None:
        return None
    header_index = best[1]
    texts = _texts(rows[header_index])
    for column, text in enumerate(texts):
        above = header_index - 1
        while not text and above >= 0 and header_index - above <= 3:
            upper = _texts(rows[above])
            text = upper[column] if column < len(upper) else ""
            above -= 1
        texts[column] = text
    headers = {column: found for column, text in enumerate(texts) if (found := match(text)) is not None}
    name_column = next(column for column, header in headers.items() if header.column.key == required)
    below = _texts(rows[header_index + 1]) if header_index + 1 < len(rows) else []
    sub_headers = {
        column: found
        for column, text in enumerate(below)
        if column not in headers and (found := match(text)) is not None
    }
    if sub_headers and not (below[name_column] if name_column < len(below) else ""):
        headers.update(sub_headers)  # the second row of a two-level header (计划工期: 开工时间, 竣工时间)
        texts += [""] * (len(below) - len(texts))
        for column in sub_headers:
            texts[column] = below[column]
        header_index += 1
    body = [(number, row) for number, row in enumerate(rows[header_index + 1 :], start=header_index + 2)]
    return Table(headers, {column: texts[column] for column in headers}, body)


def iter_cells(table: Table) -> Iterator[tuple[int, dict[int, Any]]]:
    """Each row's non-blank cells of the known columns, by column index, with the row's number."""
    for number, row in table.rows:
        cells = {}
        for column in table.headers:
            value = row[column] if column < len(row) else None
            if isinstance(value, str):
                value = value.strip()
            if value not in (None, ""):
                cells[column] = value
        yield number, cells


def skipped_row(cells: Mapping[int, Any], table: Table) -> bool:
    """A row of no project: blank, the column numbers under the header, a total, or a group heading."""
    if not cells:
        return True
    values = list(cells.values())
    if any(isinstance(v, str) and v.replace(" ", "").startswith(_TOTAL_ROW) for v in values):
        return True
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values) and len(values) >= 3:
        return True  # 1, 2, 3 … under the header
    keys = {table.headers[index].column.key for index in cells}
    return "name" not in keys and len(cells) <= 1
