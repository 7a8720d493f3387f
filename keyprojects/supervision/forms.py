"""Forms of the supervision pages. They only parse input; the services check every rule."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import BootstrapForm, date_input
from keyprojects.projects.forms import search_field

from . import people
from .models import NoticeAction, NoticeSource, NoticeStatus, SupervisionNotice
from .services import MAX_DEADLINE_WORKDAYS


class NoticeForm(BootstrapForm):
    wide_fields = frozenset({"subject"})
    label_model = SupervisionNotice
    receiver = forms.ModelChoiceField(label=_("督办对象"), queryset=people.receivers(0))
    subject = forms.CharField(
        label=_("督办事项"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("要求督办对象做什么、达到什么结果"),
    )
    deadline_workdays = forms.IntegerField(
        label=_("办理时限（工作日）"),
        min_value=1,
        max_value=MAX_DEADLINE_WORKDAYS,
        required=False,
        help_text=_("按法定工作日计算；或填写答复期限日期"),
    )
    deadline = forms.DateField(label=_("答复期限"), required=False, widget=date_input())

    def __init__(self, *args: Any, city_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = people.receivers(city_id or 0)  # type: ignore[attr-defined]


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=NoticeAction.choices)
    text = forms.CharField(max_length=4000, required=False)


class NoticeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *NoticeStatus.choices], required=False
    )
    source = forms.ChoiceField(
        label=_("督办来源"), choices=[("", _("全部来源")), *NoticeSource.choices], required=False
    )
    receiver = forms.ModelChoiceField(
        label=_("督办对象"), queryset=people.receivers(0), required=False, empty_label=_("全部督办对象")
    )
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    q = search_field()

    def __init__(self, *args: Any, city_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = people.receivers(city_id or 0)  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if name == "q":
                continue
            css = (
                "form-check-input" if isinstance(field, forms.BooleanField) else "form-select form-select-sm"
            )
            field.widget.attrs["class"] = css
