"""The history of a plan: who created it, and who changed which field of which node, from what to what."""

from collections.abc import Iterable
from typing import Any

from keyprojects.accounts.models import User
from keyprojects.projects.events import stored_value
from keyprojects.projects.models import Project

from .models import NodeEvent, NodeTemplate, PlanNode


def plan_created_event(*, project: Project, actor: User, template: NodeTemplate) -> NodeEvent:
    return NodeEvent.objects.create(
        project=project, kind=NodeEvent.Kind.PLAN_CREATED, new_value=template.name, actor=actor
    )


def node_changed_events(
    *, node: PlanNode, actor: User | None, changes: Iterable[tuple[str, Any, Any]], reason: str = ""
) -> list[NodeEvent]:
    return NodeEvent.objects.bulk_create(
        NodeEvent(
            project_id=node.project_id,
            node=node,
            kind=NodeEvent.Kind.UPDATED,
            field=field,
            old_value=stored_value(old),
            new_value=stored_value(new),
            actor=actor,
            reason=reason,
        )
        for field, old, new in changes
    )
