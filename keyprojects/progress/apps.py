from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "keyprojects.progress"
    label = "progress"
    verbose_name = _("月度调度")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from keyprojects.core.events import ReportAccepted, ReportReturned, ReportSubmitted, subscribe
        from keyprojects.core.maintained import register_maintained
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.core.todo import TodoSection, register_todo_section
        from keyprojects.projects.permissions import has_project_access
        from keyprojects.projects.sections import ProjectSection, register_project_section

        from .in_force import rebuild
        from .models import MonthlyReport
        from .notices import register_kinds, reports_moved
        from .signals import report_saved, report_written
        from .views import project_section_context, todo_context

        register_nav_item(
            NavItem("progress", _("月度调度"), "progress:home", order=30, visible=has_project_access)
        )
        register_project_section(
            ProjectSection("progress", "progress/project_section.html", project_section_context, order=30)
        )
        register_todo_section(TodoSection("progress", "progress/todo.html", todo_context, order=10))
        post_save.connect(report_saved, sender=MonthlyReport, dispatch_uid="progress.publish_report")
        register_kinds()
        subscribe(ReportSubmitted, ReportReturned, ReportAccepted)(reports_moved)
        register_maintained("figures_in_force", lambda city_ids: rebuild(city_ids=city_ids))
        post_save.connect(report_written, sender=MonthlyReport, dispatch_uid="progress.figures_saved")
        post_delete.connect(report_written, sender=MonthlyReport, dispatch_uid="progress.figures_deleted")
