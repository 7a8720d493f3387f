"""The history of a plan: who created it, and who changed which field of which node, from what to what.
Values are kept typed (`keyprojects.core.history`) and turned into text when read."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field

from keyprojects.accounts.models import User
from keyprojects.core.history import Choices, HistoryText, encode, field_choices
from keyprojects.projects.models import Project

from .models import NodeEvent, NodeTemplate, PlanNode


def plan_created_event(*, project: Project, actor: User, template: NodeTemplate) -> NodeEvent:
    return NodeEvent.objects.create(
        project=project, kind=NodeEvent.Kind.PLAN_CREATED, new=encode(template), actor=actor
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
            old=encode(old),
            new=encode(new),
            actor=actor,
            reason=reason,
        )
        for field, old, new in changes
    )


@dataclass(frozen=True)
class PlanHistoryRow:
    event: NodeEvent
    old: str
    new: str


def _choices(name: str) -> Choices | None:
    try:
        return field_choices(cast(Field, PlanNode._meta.get_field(name))) if name else None
    except FieldDoesNotExist:
        return None


def plan_history_rows(events: Iterable[NodeEvent]) -> list[PlanHistoryRow]:
    """The events with their values as the reader reads them."""
    events = list(events)
    text = HistoryText(value for event in events for value in (event.old, event.new))
    return [
        PlanHistoryRow(
            event,
            text.text(event.old, choices=_choices(event.field)),
            text.text(event.new, choices=_choices(event.field)),
        )
        for event in events
    ]
