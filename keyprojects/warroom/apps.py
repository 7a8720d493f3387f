from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WarroomConfig(AppConfig):
    name = "keyprojects.warroom"
    label = "warroom"
    verbose_name = _("挂图作战")

    def ready(self) -> None:
        from keyprojects.core import events
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.projects.permissions import has_project_access

        from .cache import events_invalidate

        # every event that changes a figure of a dashboard
        events.subscribe(
            events.ProjectChanged,
            events.PlanChanged,
            events.ReportSubmitted,
            events.ReportReturned,
            events.ReportAccepted,
            events.InclusionChanged,
            events.InvestmentPlanChanged,
            events.FactorChanged,
            events.SettingsChanged,
        )(events_invalidate)
        register_nav_item(
            NavItem("warroom", _("挂图作战"), "warroom:dashboard", order=5, visible=has_project_access)
        )
