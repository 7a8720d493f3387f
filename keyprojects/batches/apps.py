from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTIONS = {"batch.manage": _("登记集中开工和观摩")}


class BatchesConfig(AppConfig):
    name = "keyprojects.batches"
    label = "batches"
    verbose_name = _("集中开工与观摩")

    def ready(self) -> None:
        from keyprojects.accounts import access
        from keyprojects.accounts.models import Role

        access.declare_actions(ACTIONS)
        access.grant(Role.CITY_ADMIN, may=["batch.manage"])
