from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "keyprojects.alerts"
    label = "alerts"
    verbose_name = _("预警")

    def ready(self) -> None:
        from keyprojects.core.events import subscribe
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.projects.permissions import has_project_access
        from keyprojects.projects.sections import ProjectSection, register_project_section

        from . import subscribers, views

        register_nav_item(NavItem("alerts", _("预警"), "alerts:list", order=30, visible=has_project_access))
        register_project_section(
            ProjectSection("alerts", "alerts/project_section.html", views.project_section, order=5)
        )
        subscribe(*subscribers.EVENTS)(subscribers.warnings_follow)
