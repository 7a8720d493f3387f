"""Printing: one print stylesheet (A4 landscape, no navigation or buttons, table heads on every page) linked
by every page, and at the top of a printed list the time it was printed and the filters it applies."""

import re

from django.urls import reverse


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_print_stylesheet_is_served(client):
    response = client.get("/static/keyprojects/print.css")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    css = body(response).decode()
    assert "size: A4 landscape" in css
    assert re.search(r"\.kp-table thead \{ display: table-header-group; \}", css)
    hidden = css[css.index("/* What is for the screen only */") : css.index("display: none !important")]
    for selector in (".kp-topbar", "nav", ".btn", "button", "form.kp-filters > :not(.kp-print-filters)"):
        assert selector in hidden, selector
    assert ".kp-print-only { display: block !important; }" in css


def test_every_page_links_it_for_print(client, city):
    client.force_login(city.city_admin)
    html = client.get(reverse("projects:list")).content.decode()
    assert '<link rel="stylesheet" href="/static/keyprojects/print.css" media="print">' in html
    assert 'class="kp-print-only kp-print-stamp"' in html and "打印时间：" in html


def test_a_printed_list_names_its_filters(client, city):
    client.force_login(city.city_admin)
    html = client.get(reverse("projects:list"), {"region": "371525", "level": "provincial"}).content.decode()
    printed = re.search(r'<p class="kp-print-only kp-print-filters">(.*?)</p>', html, re.S)
    assert printed is not None
    assert re.sub(r"<[^>]+>", "", printed.group(1)) == "筛选条件：所属区域：冠县；项目级别：省重点"
    unfiltered = client.get(reverse("projects:list")).content.decode()
    assert '<p class="kp-print-only kp-print-filters">筛选条件：全部</p>' in unfiltered


def test_the_printed_rates_name_their_filters(client, city):
    client.force_login(city.city_admin)
    html = client.get(
        reverse("metrics:rates"), {"as_of": "2026-03-31", "level": "provincial"}
    ).content.decode()
    assert (
        '<p class="kp-print-only kp-print-filters">筛选条件：<span>统计截止日期：2026-03-31</span>；'
        "<span>项目级别：省重点</span></p>"
    ) in html
