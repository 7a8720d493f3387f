"""The pages' CJK font is the platform's own: a WOFF2 subset of the packaged Noto Sans SC, served under
/static and named by app.css, so a machine without Chinese fonts shows the same pages."""

import io

import pytest
from fontTools.ttLib import TTFont

from keyprojects.core import fonts


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_subset_covers_common_chinese_and_the_platforms_own_text():
    characters = set(fonts.web_font_characters())
    assert set("啊阿埃座") <= characters, "GB 2312 level 1, first and last"
    assert set("莘茌") <= characters, "the platform's own place names beyond level 1"
    assert set("，。：；（）、“”《》") <= characters and set("0123456789.%") <= characters
    assert len(characters) < 4500


@pytest.fixture
def small_web_font(settings, tmp_path, monkeypatch):
    """A web font of a few characters, cut into a fresh cache, as `buildfonts` cuts the real one."""
    settings.FONT_CACHE_DIR = tmp_path
    monkeypatch.setattr(fonts, "web_font_characters", lambda: "重点项目平台ABC123，。")
    fonts.web_font_file.cache_clear()
    yield
    fonts.web_font_file.cache_clear()


def test_the_web_font_is_served_and_named_by_the_stylesheet(small_web_font, client, city):
    served = client.get("/static/fonts/NotoSansSC-web.woff2")
    assert served.status_code == 200
    font = TTFont(io.BytesIO(body(served)))
    assert font.flavor == "woff2" and "wght" in [axis.axisTag for axis in font["fvar"].axes]
    assert {ord(c) for c in "重点项目，"} <= set(font.getBestCmap())
    fonts_css = body(client.get("/static/keyprojects/fonts.css")).decode()
    assert 'src: url("../fonts/NotoSansSC-web.woff2") format("woff2")' in fonts_css
    assert '--font-family-primary: "KP Noto Sans SC"' in fonts_css  # Django's admin
    assert (
        '--bs-body-font-family: "KP Noto Sans SC"' in body(client.get("/static/keyprojects/app.css")).decode()
    )
    link = '<link rel="stylesheet" href="/static/keyprojects/fonts.css">'
    assert link in client.get("/accounts/login/").content.decode()
    client.force_login(city.admin)
    assert link in client.get("/admin/").content.decode()
