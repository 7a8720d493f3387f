"""Chinese text takes full-width punctuation (，。：；（）！？) on every page, numbers, codes and units staying
half-width: the demo city's pages, reached from the home page by following their links as each role
sees them, read as a person reads them (no scripts, styles or attributes), with no half-width
: , ; ( ) ! ? directly beside a Chinese character; and the same in what `loaddemo` prints.

`keyprojects/core/tests/test_punctuation.py` reads the msgids; this reads what the templates and the
code join around them: labels, values and notes put side by side."""

import io
import re
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import lxml.html
import pytest
from django.core.management import call_command
from django.test import Client

from keyprojects.accounts.models import User
from keyprojects.blockers.models import Decision, Meeting
from keyprojects.factors.models import FactorAllocation
from keyprojects.twofactor.tests.helpers import signed_in_verified

pytestmark = pytest.mark.usefixtures("clock")

HAN = r"[\u3400-\u9fff]"
HALF_WIDTH_BESIDE_HAN = re.compile(rf"{HAN}[:,;()!?]|[:,;()!?]{HAN}")
ROLES = [
    "city",
    "leader",
    "guanxian",
    "ziranziyuan",
    "owner-guanzhou",
    "province",
    "auditor",
]  # demo accounts
UNREAD = {"script", "style", "template", "noscript"}
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "nav", "ol", "option", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul", "button", "label", "select", "textarea",
}  # fmt: skip
NOT_PAGES = ("/accounts/logout/", "/i18n/", "/static/", "/media/", "/api/")
PLATFORM = Path(__file__).resolve().parents[1] / "keyprojects"
SHOWN = "中"  # what a template shows of a value or a translated text: maybe Chinese
TEMPLATE_PARTS = (
    (re.compile(r"\{#.*?#\}|<(script|style)\b.*?</\1>", re.S), ""),
    (re.compile(r"\{\{.*?\}\}|\{%-?\s*(?:translate|trans)\b.*?%\}", re.S), SHOWN),
    (re.compile(r"\{%.*?%\}|<[^>]*>", re.S), ""),
)
PER_ROUTE = (
    2  # pages of one route (ids and query values aside) read in all, besides the rich ones every role reads
)


def visible_text(html: str) -> str:
    """The text of a page as it reads: block elements on lines of their own, inline ones run together."""
    root = lxml.html.document_fromstring(html)
    parts: list[str] = []

    def walk(element) -> None:
        if not isinstance(element.tag, str) or element.tag in UNREAD:
            return
        block = element.tag in BLOCKS
        parts.append("\n" if block else "")
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")
        parts.append("\n" if block else "")

    walk(root.find("body") if root.find("body") is not None else root)
    return "".join(parts)


def half_width_beside_han(text: str) -> list[str]:
    """The lines where a half-width mark stands beside a Chinese character."""
    return [line.strip() for line in text.splitlines() if HALF_WIDTH_BESIDE_HAN.search(line)]


def template_text(source: str) -> str:
    """A template as it reads: values and translated texts stand for Chinese, tags and markup left out."""
    for pattern, replacement in TEMPLATE_PARTS:
        source = pattern.sub(replacement, source)
    return source


def route(url: str) -> tuple[str, tuple[str, ...]]:
    parts = urlsplit(url)
    return re.sub(r"\d+", "N", parts.path), tuple(sorted({k for k, _ in parse_qsl(parts.query)}))


def links(html: str) -> list[str]:
    root = lxml.html.document_fromstring(html)
    found = root.xpath("//a/@href | //*/@hx-get")
    return [href for href in found if href.startswith("/") and not href.startswith(NOT_PAGES)]


def crawl(client: Client, start: list[str], read: Counter) -> dict[str, list[str]]:
    """What each page read shows wrong: its url, the lines with half-width marks. `read` counts the pages of
    each route read so far, by every role."""
    queue, seen, tried, faults = list(start), set(), Counter(), {}
    while queue:
        url = queue.pop(0).split("#")[0]
        if url in seen or (url not in start and max(read[route(url)], tried[route(url)]) >= PER_ROUTE):
            continue
        seen.add(url)
        tried[route(url)] += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read[route(url)] += 1
        html = response.content.decode()
        if found := half_width_beside_han(visible_text(html)):
            faults[url] = found
        queue.extend(links(html))
    return faults


def rich_pages() -> list[str]:
    """Pages that join the most fragments: a blocker with decisions, a meeting's agenda, a project with
    allocations some of which came back."""
    decision = Decision.objects.filter(blocker__isnull=False).select_related("blocker").first()
    meeting = Meeting.objects.first()
    allocation = FactorAllocation.objects.exclude(released=0).first() or FactorAllocation.objects.first()
    return [
        "/",
        f"/blockers/{decision.blocker_id}/",
        f"/blockers/meetings/{meeting.pk}/",
        f"/projects/{allocation.demand.project_id}/",
    ]


def test_the_demo_city_puts_full_width_marks_beside_chinese(db):
    printed = io.StringIO()
    call_command("loaddemo", stdout=printed)
    assert half_width_beside_han(printed.getvalue()) == []
    faults = {}
    start, read = rich_pages(), Counter()
    for username in ROLES:
        client = Client()
        signed_in_verified(client, User.objects.get(username=username))
        faults |= {f"{username} {url}": found for url, found in crawl(client, start, read).items()}
    assert faults == {}


def test_templates_join_values_with_the_reader_s_punctuation():
    found = {
        str(path.relative_to(PLATFORM)): lines
        for path in sorted(PLATFORM.rglob("*.html"))
        if "tests" not in path.parts
        and (lines := half_width_beside_han(template_text(path.read_text(encoding="utf-8"))))
    }
    assert found == {}


def test_the_reading_sees_what_a_person_sees():
    html = (
        '<html><head><style>a:hover{}</style></head><body><h1 title="标题:">合计</h1>'
        "<p><strong>原因</strong>:延期</p><td>2026-03-01</td><td>(3)</td><script>if(a)b('中')</script></body></html>"
    )
    assert visible_text(html).split() == ["合计", "原因:延期", "2026-03-01", "(3)"]
    assert half_width_beside_han(visible_text(html)) == ["原因:延期"]
    assert route("/projects/15/")[0] == "/projects/N/"
    assert half_width_beside_han(template_text('{% translate "主持" %}:{{ m.chair }}<a href="?a=1,2">')) == [
        "中:中"
    ]
    assert template_text('<b title="x:y">{% if a %}({{ n|date:"Y" }}){% endif %}</b>') == "(中)"
    for fine in ("总投资（万元）：12.5", "2026-03-01", "开工率71.8%", "1,000万元", "OC4IDS (JSON)"):
        assert half_width_beside_han(fine) == [], fine
