from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "keyprojects.notifications"
    label = "notifications"
    verbose_name = _("通知")

    def ready(self) -> None:
        from keyprojects.accounts.access import declare_actions, grant
        from keyprojects.accounts.models import Role
        from keyprojects.core.todo import TodoSection, register_todo_section

        from .views import todo_context

        register_todo_section(TodoSection("notifications", "notifications/todo.html", todo_context, order=40))

        declare_actions({"robots.edit": _("设置本单位的群机器人")})
        for role in (
            Role.PROVINCE_OFFICER,
            Role.CITY_ADMIN,
            Role.COUNTY_OFFICER,
            Role.DEPARTMENT_OFFICER,
            Role.PROJECT_OWNER,
        ):
            grant(role, may=["robots.edit"])
