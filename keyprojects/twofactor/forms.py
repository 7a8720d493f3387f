from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from keyprojects.core.conflicts import track_base
from keyprojects.core.forms import BootstrapForm


class CodeForm(BootstrapForm):
    wide_fields = frozenset({"code"})
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        help_text=gettext_lazy("验证器上当前显示的6位数字"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class SignInCodeForm(CodeForm):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=32,
        help_text=gettext_lazy(
            "验证器上当前显示的6位数字；手机不在身边时，可输入一个恢复码（每个只能用一次）。"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class ResetForm(BootstrapForm):
    wide_fields = frozenset({"username"})
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)


class SettingsForm(BootstrapForm):
    city_office_required = forms.BooleanField(
        label=gettext_lazy("市重点项目办账号须两步验证"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        track_base(self)
