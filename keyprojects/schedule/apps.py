from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScheduleConfig(AppConfig):
    name = "keyprojects.schedule"
    label = "schedule"
    verbose_name = _("节点计划")

    def ready(self) -> None:
        from django.db.models import QuerySet
        from django.db.models.signals import post_delete, post_save

        from keyprojects.accounts.access import may, register_department_assignments
        from keyprojects.accounts.models import Organization
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.core.settings_events import register_settings_field
        from keyprojects.core.todo import TodoSection, register_todo_section
        from keyprojects.projects.models import Project
        from keyprojects.projects.sections import ProjectSection, register_project_section

        from .models import NodeTemplate, PlanNode
        from .reminders import register_kinds
        from .services import TEMPLATE_NODES_FIELD
        from .signals import plan_node_written, project_saved
        from .views import plan_section_context, todo_context

        register_kinds()
        register_settings_field(NodeTemplate, TEMPLATE_NODES_FIELD, _("节点"))
        post_save.connect(project_saved, sender=Project, dispatch_uid="schedule.project_actuals")
        post_save.connect(plan_node_written, sender=PlanNode, dispatch_uid="schedule.publish_plan")
        post_delete.connect(plan_node_written, sender=PlanNode, dispatch_uid="schedule.publish_plan_delete")

        def assigned_projects(org: Organization) -> QuerySet:
            return PlanNode.objects.filter(department=org).values("project_id")

        register_department_assignments(assigned_projects)
        register_todo_section(TodoSection("schedule", "schedule/todo.html", todo_context, order=30))
        register_project_section(
            ProjectSection("schedule", "schedule/plan_section.html", plan_section_context, order=10)
        )
        register_nav_item(
            NavItem(
                "schedule-queue",
                _("我的节点"),
                "schedule:queue",
                order=20,
                visible=lambda user: may(user, "node.outcome_assigned"),
            )
        )
        register_nav_item(
            NavItem(
                "schedule-nodes",
                _("节点督办"),
                "schedule:queue",
                order=20,
                visible=lambda user: may(user, "node.queue"),
            )
        )
        register_nav_item(
            NavItem(
                "schedule-templates",
                _("节点模板"),
                "schedule:templates",
                order=80,
                visible=lambda user: may(user, "template.read"),
            )
        )
