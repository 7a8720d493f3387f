from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "leader.page": _("查看本人包保的项目"),
    "taskforce.view_all": _("查看本市全部工作专班"),
    "taskforce.manage": _("组建和调整工作专班"),
}


class LeadersConfig(AppConfig):
    name = "keyprojects.leaders"
    label = "leaders"
    verbose_name = _("领导联系与工作专班")

    def ready(self) -> None:
        from keyprojects.accounts import access
        from keyprojects.accounts.models import Role
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.projects.sections import ProjectSection, register_project_section

        from . import permissions, views
        from .scopes import led_projects, task_force_projects

        access.declare_actions(ACTIONS)
        access.register_scope("led", led_projects)
        access.register_scope("task_force", task_force_projects)
        access.grant(Role.LEADER, sees=["led"], may=["leader.page", "taskforce.view_all"])
        access.grant(Role.CITY_ADMIN, may=["taskforce.view_all", "taskforce.manage"])
        access.grant(Role.COUNTY_OFFICER, sees=["task_force"], acts_on=["task_force"])
        access.grant(Role.DEPARTMENT_OFFICER, sees=["task_force"], acts_on=["task_force"])
        access.grant(Role.PROJECT_OWNER, sees=["task_force"])
        register_project_section(
            ProjectSection("leaders", "leaders/project_section.html", views.project_section, order=5)
        )
        register_nav_item(
            NavItem(
                "leader", _("我的包保项目"), "leaders:mine", order=15, visible=permissions.can_see_own_page
            )
        )
        register_nav_item(
            NavItem("task-forces", _("专班"), "leaders:task_forces", order=48, visible=permissions.can_manage)
        )
