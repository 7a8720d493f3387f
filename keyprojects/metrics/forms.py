from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import User
from keyprojects.chains.selectors import chain_list
from keyprojects.core.conflicts import track_base
from keyprojects.core.forms import BootstrapForm, DateField, YearField
from keyprojects.projects.models import Level
from keyprojects.projects.vocabulary import category_choices

from .models import StartBasis, TimeBasis
from .services import MONTHS

ALL: list[tuple[str, Any]] = [("", _("全部"))]


class MetricsForm(forms.Form):
    """The as-of date, list year, slice and counting bases of the metrics page; blank means default."""

    as_of = DateField(label=_("统计截止日期"), required=False)
    year = YearField(label=_("清单年度"), required=False)
    level = forms.ChoiceField(label=_("项目级别"), required=False, choices=ALL + list(Level.choices))
    category = forms.ChoiceField(label=_("项目类别"), required=False, choices=ALL)
    chain = forms.ChoiceField(label=_("产业链"), required=False)
    start_basis = forms.ChoiceField(
        label=_("开工率分母"), required=False, choices=[("", _("按系统设置")), *StartBasis.choices]
    )
    time_basis = forms.ChoiceField(
        label=_("序时进度口径"), required=False, choices=[("", _("按系统设置")), *TimeBasis.choices]
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chain = self.fields["chain"]
        assert isinstance(chain, forms.ChoiceField)
        chain.choices = ALL + list(chain_list(user=user).values_list("code", "name"))
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = ALL + category_choices(user.city_id)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )


class MetricsSettingsForm(BootstrapForm):
    start_basis = forms.ChoiceField(label=_("开工率分母"), choices=StartBasis.choices)
    time_basis = forms.ChoiceField(label=_("序时进度口径"), choices=TimeBasis.choices)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track_base(self)


class MonthlyPlanForm(BootstrapForm):
    """Twelve amounts (万元); a blank month has no plan."""

    etag = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for month in MONTHS:
            self.fields[f"month_{month}"] = forms.DecimalField(
                label=_("%(month)s月（万元）") % {"month": month},
                required=False,
                min_value=Decimal(0),
                max_digits=14,
                decimal_places=2,
            )
        self.style_widgets()

    def amounts(self) -> dict[int, Decimal | None]:
        return {month: self.cleaned_data.get(f"month_{month}") for month in MONTHS}
