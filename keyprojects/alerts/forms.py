from typing import Any

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Region
from keyprojects.core.conflicts import track_base
from keyprojects.core.forms import BootstrapForm
from keyprojects.projects.forms import search_field

from .models import Color, Rule, WarningRules
from .services import RULE_FIELDS

ALL: list[tuple[str, Any]] = [("", _("全部"))]


class WarningFilterForm(forms.Form):
    color = forms.ChoiceField(
        label=_("颜色"),
        required=False,
        choices=[*ALL, (Color.RED, Color.RED.label), (Color.YELLOW, Color.YELLOW.label)],
    )
    rule = forms.ChoiceField(label=_("预警类型"), required=False, choices=ALL + list(Rule.choices))
    region = forms.ChoiceField(label=_("县（市、区）"), required=False)
    q = search_field()

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = ALL + [(r.code, r.name) for r in regions]
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.widget.attrs["class"] = "form-select form-select-sm"


class WarningRulesForm(BootstrapForm):
    """The thresholds, prefilled with the rules in force, and the version they were read at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, rules: WarningRules, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {**model_to_dict(rules, fields=RULE_FIELDS), "version": rules.version})
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(WarningRules, fields=RULE_FIELDS))
        track_base(self)
        self.style_widgets()
