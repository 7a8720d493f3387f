from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FactorsConfig(AppConfig):
    name = "keyprojects.factors"
    label = "factors"
    verbose_name = _("要素保障")

    def ready(self) -> None:
        from keyprojects.accounts.access import declare_actions, grant
        from keyprojects.accounts.models import Role
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.notifications.kinds import NotificationKind, register_kind
        from keyprojects.notifications.models import Channel
        from keyprojects.projects.sections import ProjectSection, register_project_section

        from . import permissions, signals, views
        from .services import KIND_ALLOCATED

        declare_actions(
            {
                "factor.view": _("查看要素保障指挥部"),
                "factor.manage": _("核定和下达要素指标"),
                "factor.allocate": _("配置和收回要素"),
                "factor.demand": _("填报项目要素需求"),
            }
        )
        grant(Role.CITY_ADMIN, may=["factor.view", "factor.manage", "factor.allocate", "factor.demand"])
        grant(Role.COUNTY_OFFICER, may=["factor.view", "factor.allocate", "factor.demand"])
        grant(Role.PROJECT_OWNER, may=["factor.demand"])
        for role in (Role.LEADER, Role.DEPARTMENT_OFFICER, Role.PROVINCE_OFFICER):
            grant(role, may=["factor.view"])
        signals.connect()
        register_kind(NotificationKind(KIND_ALLOCATED, _("要素配置到项目"), (Channel.EMAIL,), order=50))
        register_project_section(
            ProjectSection("factors", "factors/project_section.html", views.project_section, order=25)
        )
        register_nav_item(
            NavItem("factors", _("要素保障"), "factors:command_post", order=42, visible=permissions.can_view)
        )
