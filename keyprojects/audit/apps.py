from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "keyprojects.audit"
    label = "audit"
    verbose_name = _("安全审计")

    def ready(self) -> None:
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.core.todo import TodoSection, register_todo_section

        from . import recording
        from .permissions import can_read_audit
        from .views import todo_context

        recording.connect()
        register_nav_item(NavItem("audit", _("安全审计"), "audit:list", order=95, visible=can_read_audit))
        register_todo_section(TodoSection("audit", "audit/todo.html", todo_context, order=5))
