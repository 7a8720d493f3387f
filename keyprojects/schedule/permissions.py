"""Who may change templates and plan nodes. Seeing a node follows seeing its project
(`keyprojects.projects.permissions`), so an invisible node answers 404 like a missing one."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Role, User
from keyprojects.projects import permissions as project_permissions

from .models import PlanNode

NODE_FIELDS = frozenset(
    {"planned_date", "actual_date", "department", "evidence_number", "evidence_file", "remarks"}
)
# What the department a node is assigned to may fill in: the outcome, not the plan.
DEPARTMENT_NODE_FIELDS = frozenset({"actual_date", "evidence_number", "evidence_file", "remarks"})


def can_edit_templates(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role == Role.CITY_ADMIN)


def require_template_edit(user: User) -> None:
    if not can_edit_templates(user):
        raise PermissionDenied(_("只有市重点项目办可以修改节点模板"))


def can_edit_schedule_settings(user: User) -> bool:
    return can_edit_templates(user)


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
    """The fields of `node` this user may change: all for those who may edit the project, the outcome
    for the department the node is assigned to, none for anyone else. `project_editable` spares the
    project check when it is already known (a whole plan on one page)."""
    if project_editable is None:
        project_editable = project_permissions.can_edit_project(user, node.project)
    if project_editable:
        return NODE_FIELDS
    if (
        user.role == Role.DEPARTMENT_OFFICER
        and node.department_id is not None
        and node.department_id == user.organization_id
    ):
        return DEPARTMENT_NODE_FIELDS
    return frozenset()


def require_node_edit(user: User, node: PlanNode, fields: frozenset[str] | set[str]) -> None:
    allowed = node_editable_fields(user, node)
    if not allowed:
        raise PermissionDenied(_("您无权修改此节点"))
    if not fields <= allowed:
        raise PermissionDenied(_("责任部门只能填写实际完成时间、批复文号、证明材料和备注"))
