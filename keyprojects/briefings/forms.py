import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Region, User
from keyprojects.chains.selectors import chain_list
from keyprojects.core.forms import YearField
from keyprojects.projects.models import Level
from keyprojects.projects.vocabulary import category_choices

ALL: list[tuple[str, Any]] = [("", _("全部"))]
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> datetime.date:
    """2026-03 → 1 March 2026; a ValueError for anything else, a year before 2000 or a month not yet begun."""
    match = MONTH.match(value.strip())
    if not match or not 2000 <= int(match[1]) <= 2100 or not 1 <= int(match[2]) <= 12:
        raise ValueError(value)
    month = datetime.date(int(match[1]), int(match[2]), 1)
    if month > timezone.localdate():
        raise ValueError(value)
    return month


class MonthField(forms.CharField):
    widget = forms.DateInput(attrs={"type": "month"})

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError:
            raise ValidationError(
                _("请输入有效的月份，格式为 YYYY-MM，且不晚于本月"), code="invalid"
            ) from None

    def prepare_value(self, value: Any) -> Any:
        return value.strftime("%Y-%m") if isinstance(value, datetime.date) else value


class BriefingForm(forms.Form):
    """The month and the slice of the list (as the rates page's; a briefing counts on the city's bases)."""

    month = MonthField(label=_("通报月份"), required=False)
    region = forms.ChoiceField(label=_("县（市、区）"), required=False)
    year = YearField(label=_("清单年度"), required=False)
    level = forms.ChoiceField(label=_("项目级别"), required=False, choices=ALL + list(Level.choices))
    category = forms.ChoiceField(label=_("项目类别"), required=False, choices=ALL)
    chain = forms.ChoiceField(label=_("产业链"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        counties = Region.objects.filter(parent_id=user.city_id) if user.city_id else Region.objects.none()
        choices = {
            "region": counties.order_by("sort_order", "code").values_list("code", "name"),
            "chain": chain_list(user=user).values_list("code", "name"),
            "category": category_choices(user.city_id),
        }
        for name, rows in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = ALL + list(rows)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )
