from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdjustmentsConfig(AppConfig):
    name = "keyprojects.adjustments"
    label = "adjustments"
    verbose_name = _("调整申请")

    def ready(self) -> None:
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.notifications.kinds import NotificationKind, register_kind
        from keyprojects.notifications.models import Channel
        from keyprojects.projects.events import register_event_field
        from keyprojects.projects.sections import ProjectSection, register_project_section

        from . import permissions, views
        from .models import HISTORY_FIELD, status_text
        from .services import KIND_DECIDED

        register_kind(NotificationKind(KIND_DECIDED, _("调整申请审批结果"), (Channel.EMAIL,), order=30))
        register_event_field(HISTORY_FIELD, _("调整申请"), status_text)
        register_project_section(
            ProjectSection("adjustments", "adjustments/project_section.html", views.project_section, order=35)
        )
        register_project_section(
            ProjectSection(
                "adjustments-key-figures", "adjustments/edit_section.html", views.edit_section, page="edit"
            )
        )
        register_nav_item(
            NavItem("adjustments", _("调整申请"), "adjustments:list", order=45, visible=permissions.can_list)
        )
