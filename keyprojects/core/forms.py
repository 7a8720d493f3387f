"""What every app's forms share: Bootstrap classes, refused actions shown beside their fields, and the
date and year fields, bounded as `core/inputs.py` states. The templates that render them are
`core/_form_errors.html` (the alert at the top) and `core/_field.html` (one field with its label, errors
and help)."""

from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from keyprojects.core.text import labelled

from .errors import ApplicationError, StaleVersionError
from .inputs import YEAR_MAX, YEAR_MIN, validate_date_range


class DateInput(forms.DateInput):
    """The browser's date picker, with the value in the ISO form it expects."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def date_input() -> forms.DateInput:
    return DateInput()


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, and `is-invalid` on the fields that carry an error.

    `wide_fields` take a whole row in `core/_field.html`. `label_model` names the model whose field
    labels prefix the messages about fields the form does not show (a rule on another field of the
    record)."""

    wide_fields: frozenset[str] = frozenset()
    label_model: type[models.Model] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = css

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        names = [field] if field else []
        if isinstance(error, dict):
            names = list(error)
        for name in names:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["aria-describedby"] = f"{self[name].auto_id}-errors"

    def apply_error(self, error: ApplicationError) -> None:
        """Put each message of a refused action beside its field, the rest at the top of the form."""
        for field, messages in error.field_messages().items():
            for message in messages:
                if field in self.fields and not self.fields[field].widget.is_hidden:
                    self.add_error(field, message)
                elif field == "__all__":
                    self.add_error(None, message)
                else:
                    label = self.outside_label(field)
                    self.add_error(None, labelled(label, message) if label else message)

    def outside_label(self, name: str) -> str:
        """The label of a field the form does not show, from `label_model`; empty when unknown."""
        if self.label_model is None:
            return ""
        try:
            field = self.label_model._meta.get_field(name)
        except FieldDoesNotExist:  # e.g. "reason", which belongs to the action, not the record
            return ""
        return str(getattr(field, "verbose_name", ""))


def refused(form: BootstrapForm, error: ApplicationError) -> dict[str, Any]:
    """Show a refused action on its form; the context that offers to reload when the record is stale."""
    form.apply_error(error)
    return {"stale": isinstance(error, StaleVersionError)}


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input, cleaned as a list; what the files hold is checked by the service."""

    widget: type[forms.Widget] | forms.Widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


def bounded_formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """`formfield_callback` for forms built from models: dates get the 1900–2100 bound, a `year`
    column the list years."""
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        kwargs.setdefault("form_class", DateField)
        kwargs.setdefault("widget", DateInput)
    elif field.name == "year" and isinstance(field, models.IntegerField):
        kwargs.update(form_class=YearField, min_value=YEAR_MIN, max_value=YEAR_MAX)
    return field.formfield(**kwargs)
