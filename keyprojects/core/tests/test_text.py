from django.template import Context, Template, engines
from django.utils import translation

from keyprojects.core.text import join_list, normalize_search


def test_search_text_folds_traditional_to_simplified():
    assert normalize_search("冠州國際陸港項目") == normalize_search("冠州国际陆港项目") == "冠州国际陆港项目"


def test_lists_in_running_text_follow_the_language():
    assert join_list(["中央预算内", "银行贷款"]) == "中央预算内、银行贷款"
    with translation.override("en"):
        assert join_list(["Central budget", "Bank loan"]) == "Central budget, Bank loan"


def test_joined_texts_take_the_reader_s_punctuation():
    page = Template(
        "{% load i18n text %}{{ label|labelled:value }}|{{ value|noted:note }}|{{ items|listed }}"
        "|{% translate '：' %}{% translate '，' %}{% translate '；' %}"
    )
    context = Context(
        {"label": "主会场", "value": "<b>冠县</b>", "note": "2026-03-01", "items": ["甲", "乙"]}
    )
    assert page.render(context) == (
        "主会场：&lt;b&gt;冠县&lt;/b&gt;|&lt;b&gt;冠县&lt;/b&gt;（2026-03-01）|甲、乙|：，；"
    )
    with translation.override("en"):
        assert page.render(context) == (
            "主会场: &lt;b&gt;冠县&lt;/b&gt;|&lt;b&gt;冠县&lt;/b&gt; (2026-03-01)|甲, 乙|: , ; "
        )
    fragment = engines["jinja2"].from_string("{{ a|labelled(b) }} {{ a|noted(b) }}")
    assert fragment.render({"a": "甲", "b": "<乙>"}) == "甲：&lt;乙&gt; 甲（&lt;乙&gt;）"
