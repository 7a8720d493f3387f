from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTIONS = {
    "blocker.raise": _("反映难点堵点问题"),
    "blocker.accept": _("受理、退回和交办问题"),
    "blocker.escalate": _("将问题提级协调"),
    "blocker.escalate_city": _("将协调调度会未解决的问题提请市领导协调"),
    "blocker.handle": _("办理交办给本部门的问题"),
    "blocker.rate": _("评价问题办理结果"),
    "blocker.instruct": _("对提级的问题作出批示"),
    "blocker.ledger": _("查看问题台账和统计"),
    "meeting.manage": _("组织协调调度会"),
}
# what a blocker's people are told, by the step (notification kind `blocker.<step>`), in the filter's order
NOTICES = {
    "raised": _("问题待受理"),
    "accepted": _("问题已受理"),
    "returned": _("问题被退回"),
    "assigned": _("问题交办"),
    "answered": _("问题办理进展"),
    "resolved": _("问题已办结待评价"),
    "rated": _("问题办理评价"),
    "escalated": _("问题提级协调"),
    "instructed": _("领导批示"),
    "due_soon": _("问题临近办理期限"),
    "overdue": _("问题逾期未办结"),
    "decision": _("会议议定事项"),
    "decision_overdue": _("会议议定事项逾期"),
}


class BlockersConfig(AppConfig):
    name = "keyprojects.blockers"
    label = "blockers"
    verbose_name = _("问题协调")

    def ready(self) -> None:
        from django.db.models import QuerySet

        from keyprojects.accounts import access
        from keyprojects.accounts.models import Organization, Role
        from keyprojects.core.navigation import NavItem, register_nav_item
        from keyprojects.core.record_links import register_record_link
        from keyprojects.core.todo import TodoSection, register_todo_section
        from keyprojects.notifications.kinds import NotificationKind, register_kind
        from keyprojects.notifications.models import Channel
        from keyprojects.projects.sections import ProjectSection, register_project_section

        from . import permissions, views
        from .models import Blocker

        access.declare_actions(ACTIONS)
        for order, (step, label) in enumerate(NOTICES.items(), start=60):
            register_kind(NotificationKind(f"blocker.{step}", label, (Channel.EMAIL,), order=order))
        access.grant(
            Role.CITY_ADMIN,
            may=[
                "blocker.raise", "blocker.accept", "blocker.escalate", "blocker.escalate_city",
                "blocker.ledger", "meeting.manage",
            ],
        )  # fmt: skip
        access.grant(
            Role.COUNTY_OFFICER, may=["blocker.raise", "blocker.accept", "blocker.escalate", "blocker.ledger"]
        )
        access.grant(Role.DEPARTMENT_OFFICER, may=["blocker.raise", "blocker.handle"])
        access.grant(Role.PROJECT_OWNER, may=["blocker.raise", "blocker.rate"])
        access.grant(Role.LEADER, may=["blocker.instruct", "blocker.ledger"])
        access.grant(Role.PROVINCE_OFFICER, may=["blocker.ledger"])

        # Two sources, each read through its own index: as one OR across the co-handling join, SQLite scanned
        # every blocker of the install for each department's projects.
        def responsible_for(org: Organization) -> QuerySet:
            return Blocker.objects.filter(department=org).values("project_id")

        def co_handling(org: Organization) -> QuerySet:
            return Blocker.co_departments.through.objects.filter(organization=org).values(
                "blocker__project_id"
            )

        access.register_department_assignments(responsible_for)
        access.register_department_assignments(co_handling)
        register_record_link("progress.monthly_report", views.raise_from_report)
        register_project_section(
            ProjectSection("blockers", "blockers/project_section.html", views.project_section, order=30)
        )
        register_todo_section(TodoSection("blockers", "blockers/todo.html", views.todo_context, order=20))
        register_nav_item(
            NavItem(
                "blockers-inbox", _("问题办理"), "blockers:inbox", order=22, visible=permissions.can_see_inbox
            )
        )
        register_nav_item(
            NavItem(
                "blockers", _("问题台账"), "blockers:ledger", order=40, visible=permissions.can_see_ledger
            )
        )
        register_nav_item(
            NavItem(
                "blockers-meetings", _("协调调度会"), "blockers:meetings", order=42,
                visible=permissions.can_manage_meetings,
            )
        )  # fmt: skip
