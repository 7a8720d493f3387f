from typing import Any

from django import template

from keyprojects.core import record_links as links

register = template.Library()


@register.simple_tag(takes_context=True)
def record_links(context: template.Context, kind: str, record: Any) -> list[links.RecordLink]:
    """The links other apps add beside `record` (see `keyprojects.core.record_links`)."""
    request = context.get("request")
    return links.record_links(request, kind, record) if request is not None else []
