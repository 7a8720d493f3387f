"""A name beginning with =, +, -, @, a tab or a carriage return is written as the text it is, in the .docx
tables and in the .pdf: neither format evaluates a cell, and nothing is dropped or rewritten."""

import io

import pytest
from docx import Document
from pypdf import PdfReader

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.alerts.models import Color
from keyprojects.metrics.tests.helpers import list_project
from keyprojects.supervision.tests.conftest import make_warning

from .conftest import HOSTILE


@pytest.fixture
def hostile(city):
    for name in HOSTILE:
        make_warning(list_project(name=name, region=city.guanxian, owner=city.enterprise), color=Color.RED)


@pytest.mark.today("2026-04-20")
def test_the_docx_cells_hold_the_names_as_typed(city, hostile):
    response = ApiClient(city.city_admin).get("/exports/briefing.docx", {"month": "2026-03"})
    doc = Document(io.BytesIO(response.content))
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    for name in HOSTILE[:4]:
        assert name in cells
    # a tab stays a tab; a carriage return is a line break inside the cell, still text
    assert "\tTAB项目" in cells and "\n回车项目" in cells
    xml = "".join(t._tbl.xml for t in doc.tables)
    assert "<w:fldSimple" not in xml and "<w:instrText" not in xml  # no field (Word's formulas)


@pytest.mark.today("2026-04-20")
def test_the_pdf_prints_the_names_as_typed(city, hostile):
    response = ApiClient(city.city_admin).get("/exports/briefing.pdf", {"month": "2026-03"})
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    for name in HOSTILE[:4]:
        assert name in text
    assert "TAB项目" in text and "回车项目" in text
    assert all("/AA" not in page and "/Annots" not in page for page in reader.pages)  # no action, no link
