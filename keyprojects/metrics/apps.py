from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "keyprojects.metrics"
    label = "metrics"
    verbose_name = _("指标")

    def ready(self) -> None:
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.projects.permissions import has_project_access

        register_nav_item(
            NavItem("metrics", _("三率"), "metrics:rates", order=40, visible=has_project_access)
        )
