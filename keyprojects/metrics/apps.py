from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetricsConfig(AppConfig):
    name = "keyprojects.metrics"
    label = "metrics"
    verbose_name = _("指标")

    def ready(self) -> None:
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.projects.events import register_event_field
        from keyprojects.projects.permissions import has_project_access
        from keyprojects.projects.sections import ProjectSection, register_project_section

        from . import views
        from .services import MONTHLY_PLAN_FIELD, monthly_plan_history_text

        register_event_field(MONTHLY_PLAN_FIELD, _("月度计划投资"), monthly_plan_history_text)
        register_project_section(
            ProjectSection("monthly_plan", "metrics/project_section.html", views.project_section, order=40)
        )
        register_nav_item(
            NavItem("metrics", _("三率"), "metrics:rates", order=40, visible=has_project_access)
        )
