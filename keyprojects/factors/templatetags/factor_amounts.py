"""Amounts of a factor in templates: `{{ pool.remaining|qty }}` (1,250.5)."""

from django import template

from keyprojects.factors.models import amount_text

register = template.Library()
register.filter("qty", amount_text)
