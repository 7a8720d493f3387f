"""The audit page and its export name the kind of object and its fields in the reader's language, and the
object by its own name, or by its kind and number when it has none, the fields in the model's order (jsonb
keeps none); the records stay as written."""

import io

import lxml.html
import pytest
from openpyxl import load_workbook

from keyprojects.audit import chain
from keyprojects.audit.models import AuditRecord

from .conftest import make

pytestmark = pytest.mark.django_db

REPORT = {
    "object_model": "progress.monthlyreport",
    "object_pk": "7",
    "object_text": "MonthlyReport object (7)",
    "old": {"status": {"t": "choice", "v": "submitted"}},
    "new": {
        "status": {"t": "choice", "v": "accepted"},
        "project": {"t": "ref", "m": "projects.project", "v": 3},
    },
}
PROJECT = {
    "object_model": "projects.project",
    "object_pk": "3",
    "object_text": "冠州国际陆港",
    "new": {"total_investment": {"t": "decimal", "v": "1020000"}, "is_public": {"t": "bool", "v": True}},
}
GONE = {
    "object_model": "retired.thing",
    "object_pk": "5",
    "object_text": "",
    "new": {"size": {"t": "int", "v": 2}},
}


def rows_of(client) -> dict[str, list[str]]:
    """The page's rows by their object cell: the texts of the row's cells."""
    table = lxml.html.fromstring(client.get("/audit/").content).get_element_by_id("audit-records")
    return {
        " ".join(tr[4].text_content().split()): [" ".join(td.text_content().split()) for td in tr]
        for tr in table.xpath("./tbody/tr")
    }


def test_the_page_names_objects_and_fields_in_the_reader_s_language(client, auditor):
    for record in (REPORT, PROJECT, GONE):
        make(1, **record)
    hashes = list(AuditRecord.objects.values_list("hash", flat=True))
    client.force_login(auditor)
    rows = rows_of(client)
    assert rows["月度报告 #7"][6] == "项目：项目 #3；状态：待审核 → 已通过"
    assert rows["冠州国际陆港 项目 #3"][6] == "总投资（万元）：1020000；公开发布：是"
    assert rows["retired.thing #5"][6] == "size：2"
    assert "object (7)" not in client.get("/audit/").content.decode()
    client.cookies["django_language"] = "en"
    rows = rows_of(client)
    assert rows["Monthly report #7"][6] == "Project: Project #3; Status: Awaiting review → Accepted"
    assert rows["冠州国际陆港 Project #3"][6] == "Total investment (10k yuan): 1020000; Public: Yes"
    assert list(AuditRecord.objects.values_list("hash", flat=True)) == hashes
    assert chain.verify().ok


def test_the_export_names_them_as_the_page_does(client, auditor, django_capture_on_commit_callbacks):
    make(1, **REPORT)
    make(1, **PROJECT)
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.get("/audit/export.xlsx", {"kind": "write"})
    sheet = load_workbook(io.BytesIO(answer.content)).active
    header = [cell.value for cell in sheet[2]]
    rows = [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [(row["对象"], row["对象类型"], row["变更内容"]) for row in rows] == [
        ("冠州国际陆港", "项目", "总投资（万元）：1020000；公开发布：是"),
        ("月度报告 #7", "月度报告", "项目：项目 #3；状态：待审核 → 已通过"),
    ]


@pytest.mark.parametrize("size", [3, 30])
def test_naming_reads_nothing_more_whatever_the_rows(client, auditor, size, django_assert_num_queries):
    for record in (REPORT, PROJECT, GONE):
        make(size, **record)
    client.force_login(auditor)
    client.get("/audit/")
    # session, user, count, the page of records with their actors
    with django_assert_num_queries(4):
        assert client.get("/audit/").status_code == 200
