"""Forms of the notification pages. They only parse input; the services check every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from keyprojects.core.forms import BootstrapForm

from .models import GroupRobot


class RobotForm(BootstrapForm):
    """One group robot of the organisation; a blank address or secret keeps the stored one."""

    wide_fields = frozenset({"webhook_url", "secret"})
    label_model = GroupRobot
    webhook_url = forms.CharField(
        label=_("Webhook 地址"),
        max_length=500,
        required=False,
        help_text=_("机器人设置中复制的完整地址；已保存时留空则保留原地址"),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=128,
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("钉钉机器人“加签”时填写；已保存时留空则保留原密钥"),
    )
    clear_secret = forms.BooleanField(label=_("清除已保存的密钥"), required=False)
    enabled = forms.BooleanField(label=_("启用"), required=False, initial=True)
    remove = forms.BooleanField(label=_("删除此机器人"), required=False)

    def secret_change(self) -> str | None:
        """The new secret: None keeps the stored one."""
        if self.cleaned_data.get("clear_secret"):
            return ""
        return self.cleaned_data.get("secret") or None
