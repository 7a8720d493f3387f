import datetime
from decimal import Decimal
from io import BytesIO
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from keyprojects.core.xlsx import Column, Kind, XlsxSheet, xlsx_response

# What a spreadsheet would otherwise take for a formula or a command.
FORMULA_LIKE = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "=1+1"]


def read(sheet: XlsxSheet):
    return load_workbook(BytesIO(sheet.content())).active


def test_each_text_is_stored_as_text_and_each_number_and_date_as_itself():
    columns = [
        Column("名称", Kind.TEXT, 20),
        Column("个数", Kind.INT),
        Column("金额（万元）", Kind.DECIMAL),
        Column("日期", Kind.DATE),
        Column("比例", Kind.PERCENT),
    ]
    sheet = XlsxSheet(name="测试", columns=columns, title="标题")
    for text in FORMULA_LIKE:
        sheet.append([text, 3, Decimal("12500.50"), datetime.date(2026, 3, 1), Decimal("0.25")])
    book = read(sheet)
    assert book.title == "测试"
    assert [c.value for c in book[2]] == ["名称", "个数", "金额（万元）", "日期", "比例"]
    assert book.freeze_panes == "A3"
    for row, text in zip(book.iter_rows(min_row=3), FORMULA_LIKE, strict=True):
        name, count, amount, day, share = row
        assert (name.value, name.data_type) == (text, "s")
        assert (count.value, count.data_type) == (3, "n")
        assert (amount.value, amount.data_type, amount.number_format) == (12500.5, "n", "#,##0.00")
        assert (day.value, day.is_date, day.number_format) == (
            datetime.datetime(2026, 3, 1),
            True,
            "yyyy-mm-dd",
        )
        assert (share.value, share.number_format) == (0.25, "0.0%")
    assert book["A3"].quotePrefix


def test_a_leading_carriage_return_stays_text():
    sheet = XlsxSheet(name="x", columns=[Column("名称")])
    sheet.append(["\r=1+1"])
    cell = read(sheet)["A2"]
    # an XML parser may read the carriage return back as a line feed (the standard library's does,
    # defusedxml's keeps it); what matters is that the cell is text
    assert cell.value in ("\r=1+1", "\n=1+1")
    assert (cell.data_type, cell.quotePrefix) == ("s", True)


def test_characters_a_workbook_cannot_hold_are_dropped_instead_of_failing():
    sheet = XlsxSheet(name="x", columns=[Column("名称"), Column("备注")])
    sheet.append(["项目\x00一\x1f号", None])
    book = read(sheet)
    assert book["A2"].value == "项目一号"
    assert book["B2"].value is None


def test_a_row_must_fill_the_columns():
    sheet = XlsxSheet(name="x", columns=[Column("名称"), Column("备注")])
    with pytest.raises(ValueError):
        sheet.append(["一"])


def test_the_download_carries_the_utf8_name_and_an_ascii_one():
    sheet = XlsxSheet(name="x", columns=[Column("名称")])
    response = xlsx_response(sheet, filename="督办清单-冠县.xlsx", fallback="supervision-371525.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=\"supervision-371525.xlsx\"; filename*=UTF-8''")
    assert unquote(disposition.split("''", 1)[1]) == "督办清单-冠县.xlsx"
    assert load_workbook(BytesIO(response.content)).active["A1"].value == "名称"
