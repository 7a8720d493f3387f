"""What a printed page says of itself: the filters its list applies."""

from typing import Any

from django import forms, template
from django.utils.translation import gettext as _

register = template.Library()


def _labels(choices: Any) -> dict[str, str]:
    labels: dict[str, str] = {}
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            labels.update(_labels(label))
        else:
            labels[str(value)] = str(label)
    return labels


@register.filter
def filter_summary(form: forms.Form) -> list[tuple[str, str]]:
    """The filters a bound filter form applies, as (label, value as the select shows it), in its order.
    A model choice is shown as the form's validation found it."""
    if not form.is_bound:
        return []
    cleaned = getattr(form, "cleaned_data", {})
    shown = []
    for bound in form:
        value = bound.value()
        if bound.is_hidden or value in (None, "", [], ()):
            continue
        field = bound.field
        values = value if isinstance(value, list | tuple) else [value]
        if isinstance(field, forms.BooleanField):
            values = [_("是")] if field.to_python(value) else []
        elif isinstance(field, forms.ModelMultipleChoiceField):
            values = list(cleaned.get(bound.name) or [])
        elif isinstance(field, forms.ModelChoiceField):
            values = [cleaned.get(bound.name)]
        elif isinstance(field, forms.ChoiceField):
            labels = _labels(field.choices)
            values = [labels.get(str(item), str(item)) for item in values]
        shown.append((str(bound.label), "、".join(str(item) for item in values if item not in (None, ""))))
    return [(label, text) for label, text in shown if text]
