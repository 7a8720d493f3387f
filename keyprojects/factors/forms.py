"""Forms of the factor pages. They only parse input; the services check every rule."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import BootstrapForm, DateField, YearField

from .models import FactorKind

AMOUNT_HELP = _("按要素的计量单位填写，最多三位小数")


class PoolForm(BootstrapForm):
    """The supply of a city's pool, or of a county's sub-pool carved from it."""

    wide_fields = frozenset({"reason"})
    kind = forms.ChoiceField(label=_("要素类别"), choices=FactorKind.choices)
    year = YearField(label=_("年度"))
    region = forms.ChoiceField(label=_("区域"), help_text=_("县区的指标从全市指标池下达"))
    supply = forms.CharField(label=_("总量"), max_length=32, help_text=AMOUNT_HELP)
    reason = forms.CharField(label=_("依据"), max_length=255, help_text=_("如批复文号、下达文件"))

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["region"]).choices = regions


class DemandForm(BootstrapForm):
    wide_fields = frozenset({"note"})
    kind = forms.ChoiceField(label=_("要素类别"), choices=FactorKind.choices)
    amount = forms.CharField(label=_("需求量"), max_length=32, help_text=AMOUNT_HELP)
    needed_by = DateField(label=_("需要时间"))
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class AllocationForm(BootstrapForm):
    # any id: the service answers a project outside the offered ones (404, 403, not in the pool's region)
    project = forms.IntegerField(label=_("项目"), min_value=1, widget=forms.Select)
    amount = forms.CharField(label=_("配置量"), max_length=32)
    reason = forms.CharField(label=_("理由"), max_length=255)

    def __init__(self, *args: Any, projects: list[tuple[Any, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.Select, self.fields["project"].widget).choices = projects


class ReleaseForm(BootstrapForm):
    amount = forms.CharField(
        label=_("收回数量"), max_length=32, required=False, help_text=_("不填则全部收回")
    )
    reason = forms.CharField(label=_("理由"), max_length=255)
