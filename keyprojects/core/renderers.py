"""How form widgets are rendered: through Django's Jinja2 widget templates, the same markup in well under half
the time of the template engine's (a filter bar of ten selects is otherwise most of a list page's rendering);
the few widgets written only for the template engine (the admin's) through it."""

from functools import cached_property
from typing import Any

from django.forms.renderers import DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist


class FormRenderer(Jinja2):
    @cached_property
    def fallback(self) -> DjangoTemplates:
        return DjangoTemplates()

    def get_template(self, template_name: str) -> Any:
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
