from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupsConfig(AppConfig):
    name = "keyprojects.backups"
    label = "backups"
    verbose_name = _("备份与恢复")

    def ready(self) -> None:
        from keyprojects.audit.chain import backup_head, restored_check

        from .services import register_verifier

        register_verifier("audit", record=backup_head, verify=restored_check)
