from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import DateField

from .models import AuditKind
from .selectors import AuditFilters


class AuditFilterForm(forms.Form):
    """The audit page's filter bar: person, kind, time range, object."""

    person = forms.CharField(label=_("人员"), required=False, max_length=150)
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *AuditKind.choices])
    since = DateField(label=_("起始日期"), required=False)
    until = DateField(label=_("截止日期"), required=False)
    object = forms.CharField(label=_("对象"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def filters(self) -> AuditFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return AuditFilters(
            person=(data.get("person") or "").strip(),
            kind=data.get("kind") or "",
            since=data.get("since"),
            until=data.get("until"),
            object=(data.get("object") or "").strip(),
        )
