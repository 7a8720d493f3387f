"""Forms of the blocker pages. They only parse input; the services check every rule."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Organization
from keyprojects.core.conflicts import track_base
from keyprojects.core.forms import BootstrapForm, MultipleFileField, MultipleFileInput, date_input
from keyprojects.projects.forms import search_field

from .models import Action, Blocker, Category, Level, Rating, Status


class BlockerForm(BootstrapForm):
    wide_fields = frozenset({"description", "request", "attachments"})
    label_model = Blocker
    category = forms.ChoiceField(label=_("问题类别"), choices=[("", "---------"), *Category.choices])
    description = forms.CharField(
        label=_("问题描述"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    request = forms.CharField(
        label=_("诉求"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("希望哪个部门在什么时间前解决什么"),
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.ofd,.jpg,.jpeg,.png,.doc,.docx,.xls,.xlsx"}),
        help_text=_("相关函件、图纸、照片等，最多5个，每个不超过10MB"),
    )


def departments_of(city_id: int | None) -> Any:
    return Organization.objects.filter(city_id=city_id, kind=Organization.Kind.DEPARTMENT).order_by("name")


class ActionForm(BootstrapForm):
    action = forms.ChoiceField(choices=Action.choices)
    text = forms.CharField(
        label=_("说明"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    department = forms.ModelChoiceField(
        label=_("责任单位"), queryset=Organization.objects.none(), required=False
    )
    co_departments = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=Organization.objects.none(), required=False
    )
    deadline_workdays = forms.IntegerField(
        label=_("办理时限（工作日）"), min_value=1, max_value=250, required=False
    )
    rating = forms.ChoiceField(label=_("评价"), choices=[("", "---------"), *Rating.choices], required=False)

    def __init__(self, *args: Any, city_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = departments_of(city_id)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["co_departments"].queryset = departments  # type: ignore[attr-defined]


class LedgerFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部状态")), *Status.choices], required=False
    )
    category = forms.ChoiceField(
        label=_("类别"), choices=[("", _("全部类别")), *Category.choices], required=False
    )
    level = forms.ChoiceField(label=_("层级"), choices=[("", _("全部层级")), *Level.choices], required=False)
    department = forms.ModelChoiceField(
        label=_("责任单位"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("全部责任单位"),
    )
    region = forms.ChoiceField(label=_("县（市、区）"), required=False)
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    q = search_field()

    def __init__(
        self, *args: Any, city_id: int | None, regions: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_of(city_id)  # type: ignore[attr-defined]
        self.fields["region"].choices = [("", _("全部区域")), *regions]  # type: ignore[attr-defined]
        for name, field in self.fields.items():
            if name != "q":
                css = "form-check-input" if name == "overdue" else "form-select form-select-sm"
                field.widget.attrs["class"] = css


class MeetingForm(BootstrapForm):
    title = forms.CharField(label=_("会议名称"), max_length=128)
    held_on = forms.DateField(label=_("会议日期"), widget=date_input())
    place = forms.CharField(label=_("地点"), max_length=128, required=False)
    chair = forms.CharField(label=_("主持人"), max_length=64, required=False)


class DecisionForm(BootstrapForm):
    wide_fields = frozenset({"text"})
    text = forms.CharField(label=_("议定事项"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    department = forms.ModelChoiceField(label=_("责任单位"), queryset=Organization.objects.none())
    deadline = forms.DateField(label=_("完成时限"), widget=date_input())
    blocker = forms.ModelChoiceField(label=_("对应问题"), queryset=Blocker.objects.none(), required=False)

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_of(meeting.city_id)  # type: ignore[attr-defined]
        self.fields["blocker"].queryset = meeting.blockers.select_related("project")  # type: ignore[attr-defined]


class BlockerSettingsForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    due_soon_workdays = forms.IntegerField(label=_("临期提醒（工作日）"), min_value=0, max_value=60)
    escalate_after_workdays = forms.IntegerField(
        label=_("逾期多少个工作日自动提级"), min_value=1, max_value=60
    )
    via_meeting = forms.BooleanField(label=_("县级协调不成，提交市协调调度会"), required=False)
    via_leader = forms.BooleanField(label=_("调度会未解决，提请市领导（包保领导）协调"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Category.choices:
            self.fields[f"deadline_{value}"] = forms.IntegerField(
                label=_("%(category)s类默认时限（工作日）") % {"category": label}, min_value=1, max_value=250
            )
        track_base(self)
        self.style_widgets()

    @staticmethod
    def recorded_as() -> dict[str, str]:
        """The settings history field each field is recorded under (`core.settings_events.settings_merge`)."""
        ladder = {"via_meeting": "ladder", "via_leader": "ladder"}
        return {f"deadline_{value}": "deadline_workdays" for value in Category.values} | ladder

    def deadlines(self) -> dict[str, int]:
        return {value: self.cleaned_data[f"deadline_{value}"] for value in Category.values}

    @staticmethod
    def initial_of(settings: Any) -> dict[str, Any]:
        return {
            "version": settings.version,
            "due_soon_workdays": settings.due_soon_workdays,
            "escalate_after_workdays": settings.escalate_after_workdays,
            "via_meeting": Level.CITY in settings.ladder,
            "via_leader": Level.LEADER in settings.ladder,
            **{f"deadline_{value}": settings.deadline_for(value) for value in Category.values},
        }
