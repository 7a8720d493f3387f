"""Text in the reader's language: `{{ label|labelled:text }}` reads 标签：内容 in Chinese, "label: text" in
English; `{{ text|noted:note }}` reads 文字（说明）, "text (note)"; `{{ items|listed }}` reads 甲、乙, "a, b"
(`core.text`)."""

from collections.abc import Iterable

from django import template

from keyprojects.core import text

register = template.Library()


@register.filter
def labelled(label: object, value: object) -> str:
    return text.labelled(label, value)


@register.filter
def noted(value: object, note: object) -> str:
    return text.noted(value, note)


@register.filter
def listed(items: Iterable[object]) -> str:
    return text.join_list(str(item) for item in items)
