"""The month's briefing: its sentences, per-county table with rankings, lists; the page and the downloads."""

import io
from pathlib import Path

import pypdfium2
import pytest
from docx import Document
from pypdf import PdfReader

from keyprojects.accounts.tests.api_client import ApiClient

SENTENCE = "冠县131个实施类项目，开工94个，开工率71.8%；完成投资0.3亿元，占年度计划投资的30.5%，超序时进度5.5个百分点。"


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.today("2026-04-01")
def test_the_page_says_the_month_in_bulletin_sentences(client, city, bulletin):
    client.force_login(city.city_admin)
    page = client.get("/briefings/", {"month": "2026-03", "region": "371525"}).content.decode()
    assert "冠县重点项目建设情况通报（2026年3月）" in page
    page = client.get("/briefings/", {"month": "2026-03"}).content.decode()
    assert (
        "聊城市132个实施类项目，开工95个，开工率72.0%；完成投资0.4亿元，占年度计划投资的19.3%，低于序时进度5.8个百分点。"
        in page
    )
    assert "开工率由高到低依次为：高唐县（100.0%）、冠县（71.8%）。" in page
    assert "红色预警1条、黄色预警1条；超期未解决的难点堵点问题1个；超期未答复的督办单1件。" in page
    assert "briefing.docx?" in page and "briefing.pdf?" in page


@pytest.mark.today("2026-04-01")
def test_the_rates_page_links_to_the_briefing(client, city, bulletin):
    client.force_login(city.county)
    assert 'href="/briefings/"' in client.get("/metrics/").content.decode()


@pytest.mark.today("2026-04-01")
def test_the_docx_holds_the_sentences_tables_and_charts(city, bulletin):
    response = ApiClient(city.county).get("/exports/briefing.docx", {"month": "2026-03"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    text = _docx_text(response.content)
    assert SENTENCE in text
    assert "冠州国际陆港" in text and "请查明未开工原因并限期整改" in text
    assert len(doc.inline_shapes) == 2  # the two charts


@pytest.mark.today("2026-04-01")
def test_the_pdf_is_chinese_text_with_its_font_embedded(city, bulletin):
    response = ApiClient(city.city_admin).get(
        "/exports/briefing.pdf", {"month": "2026-03", "region": "371525"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert SENTENCE in text
    fonts = {
        font["/BaseFont"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/FontDescriptor" in font.get_object().get("/DescendantFonts", [{}])[0].get_object()
    }
    assert any("NotoSansSC" in str(name) for name in fonts)
    # the first page drawn as a person sees it (kept in test-results/ to look at): the title is ink
    page = pypdfium2.PdfDocument(response.content)[0].render(scale=1.5).to_pil().convert("L")
    Path("test-results").mkdir(exist_ok=True)
    page.save("test-results/briefing-page1.png")
    title = page.crop((0, 0, page.width, int(page.height * 0.1)))
    assert sum(title.histogram()[:128]) > 2000


@pytest.mark.today("2026-04-01")
def test_bad_month_is_a_clear_error(client, city, bulletin):
    for month in ("2026-13", "2026-05", "1999-12"):
        response = ApiClient(city.city_admin).get("/exports/briefing.pdf", {"month": month})
        assert response.status_code == 422
        assert "month" in response.json()["errors"]
    client.force_login(city.city_admin)
    page = client.get("/briefings/", {"month": "13月"})
    assert page.status_code == 200 and "请输入有效的月份" in page.content.decode()


@pytest.mark.today("2026-04-01")
def test_the_page_speaks_english(client, city, bulletin):
    client.force_login(city.city_admin)
    client.post("/i18n/setlang/", {"language": "en"})
    page = client.get("/briefings/", {"month": "2026-03"}, headers={"accept-language": "en"}).content.decode()
    assert "Monthly briefing" in page and "Download Word" in page
    assert "of 132 implementation projects, 95 started, a start rate of 72.0%" in page
