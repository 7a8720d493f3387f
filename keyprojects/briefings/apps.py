from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingsConfig(AppConfig):
    """The month's briefing (简报 / 通报): linked from the rates page, read by whoever reads the rates."""

    name = "keyprojects.briefings"
    label = "briefings"
    verbose_name = _("通报")
