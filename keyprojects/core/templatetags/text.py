"""Text in the reader's language: `{{ label|labelled:text }}` reads 标签：内容 in Chinese, "label: text" in
English (`core.text.labelled`)."""

from django import template

from keyprojects.core.text import labelled as labelled_text

register = template.Library()


@register.filter
def labelled(label: object, text: object) -> str:
    return labelled_text(label, text)
