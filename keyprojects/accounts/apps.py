from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "keyprojects.accounts"
    label = "accounts"
    verbose_name = _("账户与机构")
