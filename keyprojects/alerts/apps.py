from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "keyprojects.alerts"
    label = "alerts"
    verbose_name = _("预警")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.progress.models import MonthlyReport, StatisticsInclusion
        from keyprojects.projects.models import Project
        from keyprojects.projects.permissions import has_project_access
        from keyprojects.projects.sections import ProjectSection, register_project_section
        from keyprojects.schedule.models import PlanNode

        from . import signals, views

        register_nav_item(NavItem("alerts", _("预警"), "alerts:list", order=30, visible=has_project_access))
        register_project_section(
            ProjectSection("alerts", "alerts/project_section.html", views.project_section, order=5)
        )
        post_save.connect(signals.project_changed, sender=Project, dispatch_uid="alerts.project")
        for model in (PlanNode, MonthlyReport, StatisticsInclusion):
            post_save.connect(
                signals.project_part_changed, sender=model, dispatch_uid=f"alerts.{model.__name__}"
            )
        post_delete.connect(
            signals.project_part_changed, sender=PlanNode, dispatch_uid="alerts.PlanNode.delete"
        )
