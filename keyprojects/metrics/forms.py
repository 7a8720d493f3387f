from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.projects.models import Category, Level

from .models import StartBasis, TimeBasis

ALL: list[tuple[str, Any]] = [("", _("全部"))]


class MetricsForm(forms.Form):
    """The as-of date, list year, slice and counting bases of the metrics page; blank means default."""

    as_of = forms.DateField(
        label=_("统计截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    year = forms.IntegerField(label=_("清单年度"), required=False, min_value=2000, max_value=2100)
    level = forms.ChoiceField(label=_("项目级别"), required=False, choices=ALL + list(Level.choices))
    category = forms.ChoiceField(label=_("项目类别"), required=False, choices=ALL + list(Category.choices))
    start_basis = forms.ChoiceField(
        label=_("开工率分母"), required=False, choices=[("", _("按系统设置")), *StartBasis.choices]
    )
    time_basis = forms.ChoiceField(
        label=_("序时进度口径"), required=False, choices=[("", _("按系统设置")), *TimeBasis.choices]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )
