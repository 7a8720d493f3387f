from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    name = "keyprojects.twofactor"
    label = "twofactor"
    verbose_name = _("两步验证")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from keyprojects.accounts.auth import register_token_check

        from .rules import pending_at_login, token_check

        user_logged_in.connect(pending_at_login, dispatch_uid="twofactor.pending_at_login")
        register_token_check(token_check)
