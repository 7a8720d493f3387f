"""Parts of a page rendered by the Jinja2 engine (`TEMPLATES`, templates in an app's `jinja2/` folder): a page's
hot loop, such as the project list's rows, renders several times as fast there as in the template engine."""

from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


def render_fragment(template_name: str, context: dict[str, Any]) -> SafeString:
    """The Jinja2 template `template_name`, ready to put in a page as it is: Jinja2 (autoescape on, Django's
    default for it) has escaped every value the template shows, as the template engine would."""
    return mark_safe(render_to_string(template_name, context, using="jinja2"))  # noqa: S308 (escaped by Jinja2)
