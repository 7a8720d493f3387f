"""Forms of the plan pages. They only parse input; every rule is checked by `services`."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy

from keyprojects.accounts.models import Organization
from keyprojects.core.conflicts import BASE, track_base
from keyprojects.core.errors import ApplicationError
from keyprojects.core.forms import BootstrapForm, DateField

from .models import NodeCode, NodeTemplate, PlanNode
from .selectors import departments


class PlanNodeForm(BootstrapForm):
    """One node of a plan, with only the fields this user may change."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    planned_date = DateField(label=gettext_lazy("计划完成时间"))
    actual_date = DateField(label=gettext_lazy("实际完成时间"), required=False)
    department = forms.ModelChoiceField(
        label=gettext_lazy("责任部门"), queryset=Organization.objects.none(), required=False, empty_label="—"
    )
    evidence_number = forms.CharField(label=gettext_lazy("批复文号"), max_length=128, required=False)
    evidence_file = forms.FileField(
        label=gettext_lazy("证明材料"),
        required=False,
        help_text=gettext_lazy("PDF或JPG、PNG图片，不超过10MB"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    remarks = forms.CharField(label=gettext_lazy("备注"), max_length=255, required=False)
    reason = forms.CharField(
        label=gettext_lazy("调整原因"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("调整计划完成时间时必填，记入节点变更记录"),
    )

    def __init__(self, *args: Any, node: PlanNode, editable: frozenset[str], **kwargs: Any) -> None:
        initial = {
            "version": node.version,
            "planned_date": node.planned_date,
            "actual_date": node.actual_date,
            "department": node.department_id,
            "evidence_number": node.evidence_number,
            "remarks": node.remarks,
        }
        super().__init__(*args, initial=initial, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments(node.city_id)
        self.fields["evidence_file"].widget = forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"})
        offered = {"version", *editable, *({"reason"} if "planned_date" in editable else ())}
        for name in list(self.fields):
            if name not in offered:
                del self.fields[name]
        track_base(self)
        self.style_widgets()

    def node_data(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in {"version", "reason", BASE}}
        if not data.get("evidence_file"):
            data.pop("evidence_file", None)
        return data

    def change_reason(self) -> str:
        return self.cleaned_data.get("reason") or ""


class PlanCreateForm(BootstrapForm):
    template = forms.ModelChoiceField(
        label=gettext_lazy("节点模板"),
        queryset=NodeTemplate.objects.none(),
        required=False,
        empty_label=gettext_lazy("按项目的立项类型自动选择"),
    )

    def __init__(self, *args: Any, city_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["template"])
        field.queryset = NodeTemplate.objects.filter(city_id=city_id, is_active=True)


class TemplateForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=gettext_lazy("模板名称"), max_length=64)
    is_active = forms.BooleanField(label=gettext_lazy("启用"), required=False)
    nodes_base = forms.CharField(widget=forms.HiddenInput, required=False)  # `template_merge`

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track_base(self)


class TemplateNodeForm(BootstrapForm):
    code = forms.ChoiceField(label=gettext_lazy("节点"), choices=[("", "—"), *NodeCode.choices])
    name = forms.CharField(label=gettext_lazy("节点名称"), max_length=64, required=False)
    offset_days = forms.IntegerField(
        label=gettext_lazy("偏移天数"), min_value=-3650, max_value=3650, initial=0
    )
    relative_to_end = forms.BooleanField(label=gettext_lazy("相对计划竣工"), required=False)
    department = forms.ModelChoiceField(
        label=gettext_lazy("默认责任部门"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label="—",
    )

    def __init__(self, *args: Any, city_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments(city_id)

    def row(self) -> dict[str, Any]:
        return {
            "code": self.cleaned_data["code"],
            "name": self.cleaned_data["name"],
            "offset_days": self.cleaned_data["offset_days"],
            "relative_to_end": self.cleaned_data["relative_to_end"],
            "department": self.cleaned_data["department"],
        }


class BaseTemplateNodeFormSet(forms.BaseFormSet):
    def add_fields(self, form: BootstrapForm, index: int | None) -> None:
        super().add_fields(form, index)
        form.style_widgets()

    def rows(self) -> list[dict[str, Any]]:
        """The kept rows in the order the user gave them (blank extra rows are ignored)."""
        return [form.row() for form in self.ordered_forms]

    def apply_error(self, error: ApplicationError) -> list[str]:
        """Place `nodes.<i>.<field>` messages on the rows; answer the messages that fit no row."""
        forms_in_order = self.ordered_forms
        rest = []
        for key, messages in error.field_messages().items():
            parts = key.split(".")
            if (
                len(parts) == 3
                and parts[0] == "nodes"
                and parts[1].isdigit()
                and int(parts[1]) < len(forms_in_order)
            ):
                form = forms_in_order[int(parts[1])]
                for message in messages:
                    form.add_error(parts[2] if parts[2] in form.fields else None, message)
            else:
                rest += messages
        return rest


TemplateNodeFormSet = cast(
    type[BaseTemplateNodeFormSet],
    forms.formset_factory(
        TemplateNodeForm, formset=BaseTemplateNodeFormSet, extra=2, can_order=True, can_delete=True
    ),
)


class ScheduleSettingsForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    due_soon_workdays = forms.IntegerField(
        label=gettext_lazy("临期提醒（工作日）"),
        min_value=0,
        max_value=60,
        help_text=gettext_lazy("计划完成时间在今天起这么多个工作日内的未完成节点显示为黄灯"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track_base(self)
