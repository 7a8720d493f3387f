"""The briefing as a Word document (python-docx): 黑体 headings and 宋体 text, as offices set bulletins (the
reader's Word supplies the fonts), the tables with a header row, the charts as PNG pictures. Every text is
written as a run of literal text; Word never evaluates it."""

import io

from docx import Document as new_document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.run import Run

from .layout import Chart, Document, Heading, Paragraph, Table

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
USABLE_WIDTH_CM = 25.0  # A4 landscape less the margins


def _font(run: Run, name: str, size: float, *, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _heading(doc: WordDocument, block: Heading) -> None:
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(10)
    _font(paragraph.add_run(block.text), HEADING_FONT, 14 if block.level == 1 else 12, bold=True)


def _paragraph(doc: WordDocument, block: Paragraph) -> None:
    paragraph = doc.add_paragraph()
    if not block.muted:
        paragraph.paragraph_format.first_line_indent = Pt(24)
    run = paragraph.add_run(block.text)
    _font(run, BODY_FONT, 9 if block.muted else 12)
    if block.muted:
        run.font.color.rgb = RGBColor(0x66, 0x66, 0x66)


def _table(doc: WordDocument, block: Table) -> None:
    table = doc.add_table(rows=1, cols=len(block.headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    total = sum(block.widths)
    widths = [Cm(USABLE_WIDTH_CM * w / total) for w in block.widths]
    for cell, text, width in zip(table.rows[0].cells, block.headers, widths, strict=True):
        cell.width = width
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 9, bold=True)
    last = len(block.rows) - 1
    for i, values in enumerate(block.rows):
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths, strict=True):
            cell.width = width
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 9, bold=block.bold_last and i == last)
    doc.add_paragraph()


def _chart(doc: WordDocument, block: Chart) -> None:
    doc.add_picture(io.BytesIO(block.png), width=Cm(18 * block.width_ratio))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def briefing_docx(document: Document) -> bytes:
    doc = new_document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.35))
    doc.core_properties.title = document.title
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(document.title), HEADING_FONT, 18, bold=True)
    subtitle = doc.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(subtitle.add_run(document.subtitle), BODY_FONT, 10)
    writers = {Heading: _heading, Paragraph: _paragraph, Table: _table, Chart: _chart}
    for block in document.blocks:
        writers[type(block)](doc, block)  # type: ignore[operator]
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
