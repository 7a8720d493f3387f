from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BatchesConfig(AppConfig):
    name = "keyprojects.batches"
    label = "batches"
    verbose_name = _("集中开工与观摩")
