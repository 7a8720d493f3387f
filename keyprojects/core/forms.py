"""Form fields shared by every app's pages, bounded as `core/inputs.py` states."""

from typing import Any

from django import forms
from django.db import models

from .inputs import YEAR_MAX, YEAR_MIN, validate_date_range


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class DateField(forms.DateField):
    """A date of 1900–2100, picked with the browser's date input."""

    widget = DateInput
    default_validators = [validate_date_range]


class YearField(forms.IntegerField):
    """A list year (年度) of 2000–2100."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(**kwargs)


def bounded_formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """`formfield_callback` for forms built from models: dates get the 1900–2100 bound, a `year`
    column the list years."""
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kwargs.setdefault("form_class", DateField)
        kwargs.setdefault("widget", DateInput)
    elif field.name == "year" and isinstance(field, models.IntegerField):
        kwargs.update(form_class=YearField, min_value=YEAR_MIN, max_value=YEAR_MAX)
    return field.formfield(**kwargs)
