"""Who may change templates and plan nodes. Seeing a node follows seeing its project
(`keyprojects.projects.permissions`), so an invisible node answers 404 like a missing one."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.city_settings import can_edit_settings
from keyprojects.accounts.models import User
from keyprojects.projects import permissions as project_permissions

from .models import PlanNode

NODE_FIELDS = frozenset(
    {"planned_date", "actual_date", "department", "evidence_number", "evidence_file", "remarks"}
)
# The outcome of a node, filled in by whoever does the step: the assigned department, or the owner for
# its own steps (nodes without a department). The plan (date, department) is the offices' to set.
OUTCOME_FIELDS = frozenset({"actual_date", "evidence_number", "evidence_file", "remarks"})


def can_edit_templates(user: User) -> bool:
    return may(user, "template.edit")


def require_template_edit(user: User) -> None:
    if not can_edit_templates(user):
        raise PermissionDenied(_("只有市重点项目办可以修改节点模板"))


def can_edit_schedule_settings(user: User) -> bool:
    return can_edit_settings(user)


def node_access(user: User, node_id: int, *, for_update: bool = False) -> PlanNode:
    """A plan node whose project the user may see; missing and invisible both answer 404."""
    qs = PlanNode.objects.filter(project__in=project_permissions.visible_projects(user)).select_related(
        "project", "project__region", "department"
    )
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=node_id)
    except (PlanNode.DoesNotExist, ValueError, TypeError):
        raise Http404(_("节点不存在")) from None


def node_editable_fields(
    user: User, node: PlanNode, *, project_editable: bool | None = None
) -> frozenset[str]:
    """The fields of `node` this user may change: every field for the city office and the county office
    of the project's region; the outcome for the department the node is assigned to, and for the owner
    on its own steps (nodes without a department); nothing for anyone else. `project_editable` spares
    the project check when it is already known (a whole plan on one page)."""
    if may(user, "node.outcome_assigned"):
        assigned = node.department_id is not None and node.department_id == user.organization_id
        return OUTCOME_FIELDS if assigned else frozenset()
    if not (may(user, "node.plan") or may(user, "node.outcome_own")):
        return frozenset()
    if project_editable is None:
        project_editable = project_permissions.acts_on(user, node.project)
    if not project_editable:
        return frozenset()
    if may(user, "node.plan"):
        return NODE_FIELDS
    return OUTCOME_FIELDS if node.department_id is None else frozenset()


def require_node_edit(user: User, node: PlanNode, fields: frozenset[str] | set[str]) -> None:
    allowed = node_editable_fields(user, node)
    if not allowed:
        if may(user, "node.outcome_own") and node.department_id is not None:
            raise PermissionDenied(_("该节点由责任部门办理，项目单位不能修改"))
        raise PermissionDenied(_("您无权修改此节点"))
    if not fields <= allowed:
        raise PermissionDenied(_("计划完成时间和责任部门只能由县级项目专员或市重点项目办调整"))
