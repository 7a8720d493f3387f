"""Forms of the change-request pages. They only parse input; the services check every rule."""

from typing import Any

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import BootstrapForm, bounded_formfield
from keyprojects.projects.models import Project

from .services import KEY_FIELDS


class ChangeRequestForm(BootstrapForm):
    """The key figures, prefilled with the project's; what the user changes is what is asked for."""

    wide_fields = frozenset({"reason"})
    label_model = Project
    reason = forms.CharField(
        label=_("调整理由"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("说明调整的原因和依据，市重点项目办据此审批"),
    )

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        self.project = project
        kwargs.setdefault("initial", {name: getattr(project, name) for name in KEY_FIELDS})
        super().__init__(*args, **kwargs)
        fields = fields_for_model(Project, fields=KEY_FIELDS, formfield_callback=bounded_formfield)
        for field in fields.values():
            field.required = False
        reason = self.fields.pop("reason")
        self.fields.update(fields)
        self.fields["reason"] = reason
        self.style_widgets()

    def key_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in KEY_FIELDS]

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the project's (a blank field keeps the project's)."""
        changes = {}
        for name in KEY_FIELDS:
            value = self.cleaned_data.get(name)
            if value in (None, "") and name in {"annual_investment", "total_investment", "level"}:
                continue
            if value is None and isinstance(self.fields[name], forms.CharField):
                value = ""
            if value != getattr(self.project, name):
                changes[name] = value
        return changes


class DecisionForm(BootstrapForm):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("refuse", _("不批准"))])
    reason = forms.CharField(label=_("审批意见"), max_length=255, required=False)
