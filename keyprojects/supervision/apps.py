from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "supervision.issue": _("下发督办单，审核督办答复"),
    "supervision.answer": _("答复发给本单位的督办单"),
    "supervision.list": _("查看全部督办单"),
}
# what a notice's people are told, by the step (notification kind `supervision.<step>`)
NOTICES = {
    "issued": _("督办单下发"),
    "answered": _("督办单已答复"),
    "returned": _("督办答复被退回"),
    "accepted": _("督办事项办结"),
    "due_soon": _("督办单临近答复期限"),
    "overdue": _("督办单逾期未答复"),
}


class SupervisionConfig(AppConfig):
    name = "keyprojects.supervision"
    label = "supervision"
    verbose_name = _("督办")

    def ready(self) -> None:
        from django.db.models import QuerySet

        from keyprojects.accounts import access
        from keyprojects.accounts.models import Organization, Role
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.core.record_columns import RecordColumn, register_record_column
        from keyprojects.core.record_links import register_record_link
        from keyprojects.notifications.kinds import NotificationKind, register_kind
        from keyprojects.notifications.models import Channel
        from keyprojects.projects.sections import ProjectSection, register_project_section

        from . import links, permissions
        from .models import SupervisionNotice

        access.declare_actions(ACTIONS)
        for order, (step, label) in enumerate(NOTICES.items(), start=80):
            register_kind(NotificationKind(f"supervision.{step}", label, (Channel.EMAIL,), order=order))
        access.grant(Role.CITY_ADMIN, may=["supervision.issue", "supervision.list"])
        access.grant(Role.LEADER, may=["supervision.list"])
        access.grant(Role.PROVINCE_OFFICER, may=["supervision.list"])
        access.grant(Role.COUNTY_OFFICER, may=["supervision.answer"])
        access.grant(Role.DEPARTMENT_OFFICER, may=["supervision.answer"])

        def notified_projects(org: Organization) -> QuerySet:
            return SupervisionNotice.objects.filter(receiver=org, project__isnull=False).values("project_id")

        access.register_department_assignments(notified_projects)
        register_record_link("blockers.blocker", links.issue_from_blocker)
        register_record_link("blockers.blocker", links.blocker_notices)
        register_record_link("alerts.warnings", links.all_notices)
        register_record_column(
            "alerts.warning", RecordColumn("supervision", _("督办单"), links.warning_notices, width=30)
        )
        register_project_section(
            ProjectSection("supervision", "supervision/project_section.html", links.project_section, order=35)
        )
        register_nav_item(
            NavItem(
                "supervision-inbox", _("督办答复"), "supervision:inbox", order=23,
                visible=permissions.can_see_inbox,
            )
        )  # fmt: skip
        register_nav_item(
            NavItem("supervision", _("督办"), "supervision:list", order=41, visible=permissions.can_see_all)
        )
