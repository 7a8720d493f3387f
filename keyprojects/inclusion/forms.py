"""Forms of statistics inclusion: a project's record, its clearing, the threshold, the list's filters."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.core.conflicts import track_base
from keyprojects.core.forms import BootstrapForm, DateField, YearField

from .selectors import InclusionState
from .services import STATISTICS_CODE_MAX


class InclusionForm(BootstrapForm):
    included_on = DateField(label=gettext_lazy("入库纳统日期"))
    statistics_code = forms.CharField(
        label=gettext_lazy("统计库项目编码"), max_length=STATISTICS_CODE_MAX, required=False
    )
    etag = forms.CharField(widget=forms.HiddenInput)


class InclusionClearForm(BootstrapForm):
    reason = forms.CharField(label=gettext_lazy("撤销原因"), max_length=255)
    etag = forms.CharField(widget=forms.HiddenInput)


class ThresholdForm(BootstrapForm):
    inclusion_threshold = forms.DecimalField(
        label=gettext_lazy("纳统投资门槛（万元）"), max_digits=14, decimal_places=2, min_value=0
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track_base(self)


class InclusionFilterForm(BootstrapForm):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("所属区域"), required=False)
    state = forms.ChoiceField(
        label=gettext_lazy("纳统情况"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            (InclusionState.MISSING, gettext_lazy("应纳未纳")),
            (InclusionState.DUE, gettext_lazy("应纳统")),
            (InclusionState.INCLUDED, gettext_lazy("已纳统")),
            (InclusionState.NOT_DUE, gettext_lazy("暂不需纳统")),
        ],
    )
    year = YearField(label=gettext_lazy("年度"), required=False)
    as_of = DateField(label=gettext_lazy("截至日期"), required=False)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region_field = self.fields["region"]
        assert isinstance(region_field, forms.ChoiceField)
        region_field.choices = [("", _("全部")), *regions]
