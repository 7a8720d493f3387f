"""Forms of the notification pages. They only parse input; the services check every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import BootstrapForm

from .models import GroupRobot


class RobotForm(BootstrapForm):
    """One group robot of the organisation; an empty address removes it, an empty secret keeps it."""

    wide_fields = frozenset({"webhook_url"})
    label_model = GroupRobot
    webhook_url = forms.CharField(label=_("Webhook 地址"), max_length=500, required=False)
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=128,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("钉钉机器人“加签”时填写;留空则保留已保存的密钥"),
    )
    clear_secret = forms.BooleanField(label=_("清除已保存的密钥"), required=False)
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def secret_change(self) -> str | None:
        """The new secret: None keeps the stored one."""
        if self.cleaned_data.get("clear_secret"):
            return ""
        return self.cleaned_data.get("secret") or None
