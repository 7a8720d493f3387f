"""Forms of the dispatch pages. They only parse input; every rule is checked by `services`."""

import datetime
import secrets
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from keyprojects.core.conflicts import track_base
from keyprojects.core.forms import BootstrapForm, DateField, MultipleFileField, MultipleFileInput, YearField
from keyprojects.core.inputs import ID_MAX
from keyprojects.projects.forms import search_field

from .models import MonthlyReport
from .selectors import QueueFilters
from .services import MONEY_PARTS, Decision

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ACCEPTED_IMAGES = "image/jpeg,image/png,image/webp"


class PhotosField(MultipleFileField):
    """Several photos in one input; the images themselves are checked by the service."""

    widget = MultipleFileInput(attrs={"accept": ACCEPTED_IMAGES})


def _money(label: "StrOrPromise") -> forms.DecimalField:
    # No min_value: a negative amount gets the service's message, the same as in the API.
    return forms.DecimalField(
        label=label,
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "data-report-part": ""}),
    )


class ReportForm(BootstrapForm):
    """A month's report. The total is typed or filled in live by `progress/report_form.js` from the four
    parts; the service recomputes it and refuses a total that is not their sum."""

    wide_fields = frozenset({"progress_text", "problems", "override_reason", "photos", "reason"})

    construction = _money(MonthlyReport._meta.get_field("construction").verbose_name)
    installation = _money(MonthlyReport._meta.get_field("installation").verbose_name)
    equipment = _money(MonthlyReport._meta.get_field("equipment").verbose_name)
    other = _money(MonthlyReport._meta.get_field("other").verbose_name)
    total = forms.DecimalField(
        label=_("本月完成投资（万元）"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("随四项金额自动合计，须等于四项之和"),
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "data-report-total": ""}),
    )
    progress_text = forms.CharField(
        label=_("形象进度"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    problems = forms.CharField(
        label=_("存在问题及困难"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    workers = forms.IntegerField(label=_("在岗工人数"), min_value=0, max_value=1_000_000, initial=0)
    override_reason = forms.CharField(
        label=_("超总投资说明"),
        max_length=255,
        required=False,
        help_text=_("自开工累计完成投资超过项目总投资时必填"),
    )
    photos = PhotosField(
        label=_("现场照片"), required=False, help_text=_("可多选，JPG、PNG或WEBP格式，保留拍摄时间")
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            # One token per rendered form: a second submission of the same form is answered, not repeated.
            self.initial.setdefault("token", secrets.token_urlsafe(16))

    def report_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (*MONEY_PARTS, "total", "progress_text", "problems", "override_reason")
        }
        return {**fields, "workers": data["workers"] or 0, "photos": data.get("photos") or []}

    def fingerprint_data(self) -> dict[str, Any]:
        """What identifies this submission for the double-submit guard (the files by name and size)."""
        fields = self.report_fields()
        fields["photos"] = [(f.name, f.size) for f in fields["photos"]]
        return fields


class ResubmitForm(ReportForm):
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track_base(self)


class CorrectionForm(ReportForm):
    reason = forms.CharField(label=_("更正原因"), max_length=255)


class ReviewForm(BootstrapForm):
    decision = forms.ChoiceField(
        label=_("审核结论"), choices=[(Decision.ACCEPT, _("通过")), (Decision.RETURN, _("退回"))]
    )
    reason = forms.CharField(label=_("退回原因"), max_length=255, required=False)


ALL: list[tuple[str, Any]] = [("", _("全部"))]


class QueueFilterForm(forms.Form):
    """The review queue's filter bar: a round, a county, and for the city office whether it lists only
    the reports waiting for it or every report waiting in the city."""

    round = forms.TypedChoiceField(label=_("调度期"), required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label=_("县（市、区）"), required=False)
    scope = forms.ChoiceField(
        label=_("范围"), required=False, choices=[("", _("待我审核")), ("all", _("全市待审核"))]
    )
    q = search_field()

    def __init__(
        self,
        *args: Any,
        rounds: list[tuple[int, str]],
        regions: list[tuple[str, str]],
        whole_city: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].choices = ALL + rounds  # type: ignore[attr-defined]
        self.fields["region"].choices = ALL + regions  # type: ignore[attr-defined]
        if not whole_city:
            del self.fields["scope"]
        for name in ("round", "region", "scope"):
            if name in self.fields:
                self.fields[name].widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> QueueFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return QueueFilters(
            round_id=data.get("round"),
            region=data.get("region") or None,
            everything=data.get("scope") == "all",
            q=data.get("q") or "",
        )


ENTRY_STATUSES: list[tuple[str, Any]] = [("missing", _("未报")), *MonthlyReport.Status.choices]


class RoundFilterForm(forms.Form):
    """本月填报's filter bar: the projects of a county, of a report status."""

    region = forms.ChoiceField(label=_("县（市、区）"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=ALL + ENTRY_STATUSES)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = ALL + regions  # type: ignore[attr-defined]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def picked(self) -> tuple[str, str]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("region") or "", data.get("status") or ""


class IdsField(forms.Field):
    """Several record ids (checkboxes of one name); what is not an id is refused by name."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        ids = []
        for item in value or []:
            text = str(item).strip()
            if not text.isdigit() or int(text) > ID_MAX:
                raise forms.ValidationError(_("报告编号无效：%(value)s"), params={"value": text[:20]})
            ids.append(int(text))
        return ids


class BatchAcceptForm(forms.Form):
    reports = IdsField(label=_("报告"), required=False)


class RoundForm(BootstrapForm):
    wide_fields: frozenset[str] = frozenset()

    year = YearField(label=_("年度"))
    month = forms.IntegerField(label=_("月份"), min_value=1, max_value=12)
    opens_on = DateField(label=_("填报开始"))
    closes_on = DateField(label=_("填报截止"))
    county_may_fill = forms.BooleanField(label=_("允许县级代项目单位填报"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.initial.setdefault("year", today.year)
        self.initial.setdefault("month", today.month)
        self.initial.setdefault("opens_on", today)
        # The usual window: from now until the 5th of the next month.
        self.initial.setdefault(
            "closes_on", (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=5)
        )
