from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTIONS = {"warroom.view": _("查看挂图作战")}


class WarroomConfig(AppConfig):
    name = "keyprojects.warroom"
    label = "warroom"
    verbose_name = _("挂图作战")

    def ready(self) -> None:
        from keyprojects.accounts import access
        from keyprojects.accounts.models import Role
        from keyprojects.core import events
        from keyprojects.core.navigation import NavItem, register_nav_item

        from .cache import events_invalidate
        from .permissions import can_view

        access.declare_actions(ACTIONS)
        for role in (Role.CITY_ADMIN, Role.LEADER, Role.COUNTY_OFFICER, Role.PROVINCE_OFFICER):
            access.grant(role, may=["warroom.view"])

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
            events.BlockerChanged,
            events.WarningsChanged,
            events.SettingsChanged,
        )(events_invalidate)
        register_nav_item(NavItem("warroom", _("挂图作战"), "warroom:dashboard", order=5, visible=can_view))
