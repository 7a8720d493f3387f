"""The briefing as a PDF (fpdf2), set in Noto Sans SC embedded as a subset (`fonts.py`), so that Chinese
text reads and prints the same on any machine; the charts as PNG images. Cells are laid out as literal
text."""

import io
import logging

from fpdf import FPDF
from fpdf.enums import TableCellFillMode
from fpdf.fonts import FontFace

from .fonts import font_file
from .layout import Chart, Document, Heading, Paragraph, Table

FONT = "cjk"

# fontTools reports every table it prunes while fpdf2 subsets the font, once per document, at INFO
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.cell(0, 6, f"{self.page_no()} / {{nb}}", align="C")


def _heading(pdf: FPDF, block: Heading) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", 14 if block.level == 1 else 12)
    pdf.multi_cell(0, 8, block.text, new_x="LMARGIN", new_y="NEXT")


def _paragraph(pdf: FPDF, block: Paragraph) -> None:
    if block.muted:
        pdf.set_font(FONT, size=8)
        pdf.set_text_color(100)
        pdf.multi_cell(0, 5, block.text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
        return
    pdf.set_font(FONT, size=11)
    pdf.multi_cell(0, 7, block.text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1.5)


def _table(pdf: FPDF, block: Table) -> None:
    pdf.set_font(FONT, size=8)
    heading = FontFace(family=FONT, emphasis="BOLD", fill_color=(230, 236, 245))
    with pdf.table(
        col_widths=tuple(block.widths),
        headings_style=heading,
        line_height=5,
        cell_fill_color=(248, 248, 248),
        cell_fill_mode=TableCellFillMode.ROWS,
        markdown=False,
    ) as table:
        table.row(block.headers)
        last = len(block.rows) - 1
        for i, values in enumerate(block.rows):
            style = FontFace(emphasis="BOLD") if block.bold_last and i == last else None
            table.row(values, style=style)
    pdf.ln(3)


def _chart(pdf: FPDF, block: Chart) -> None:
    width = 160 * block.width_ratio
    pdf.image(io.BytesIO(block.png), x=(pdf.w - width) / 2, w=width)
    pdf.ln(2)


def briefing_pdf(document: Document) -> bytes:
    pdf = _Pdf(orientation="landscape", format="A4")
    pdf.set_title(document.title)
    pdf.add_font(FONT, "", str(font_file("regular")))
    pdf.add_font(FONT, "B", str(font_file("bold")))
    pdf.set_margins(18, 15, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 10, document.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.multi_cell(0, 6, document.subtitle, align="C", new_x="LMARGIN", new_y="NEXT")
    writers = {Heading: _heading, Paragraph: _paragraph, Table: _table, Chart: _chart}
    for block in document.blocks:
        writers[type(block)](pdf, block)  # type: ignore[operator]
    return bytes(pdf.output())
