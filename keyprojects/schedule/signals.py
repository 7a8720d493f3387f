"""Keep a plan in step with its project's record: once the project has started (or finished), the node
that stands for that fact is done on the same date.

A receiver rather than a call from the projects app, so that every way a project's dates are written
(a stage move, an edit of the record, an import) fills the node. Nodes are written with `update()`, so
nothing here moves the project again: completing a node by hand goes the other way, through
`services.plan_node_update`, which moves the stage before the project is saved.
"""

from typing import Any

from django.db.models import F

from keyprojects.core.events import PlanChanged, publish
from keyprojects.projects.models import Project

from .events import node_changed_events
from .models import NodeCode, PlanNode
from .services import RECORD_ACTUALS

# The record's own wording in the plan history (like node names, kept in the records' language).
SYNC_REASONS = {NodeCode.START: "随项目实际开工时间填写", NodeCode.ACCEPTANCE: "随项目实际竣工时间填写"}


def project_saved(sender: type[Project], instance: Project, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    actuals = {
        code: getattr(instance, field)
        for code, field in RECORD_ACTUALS.items()
        if getattr(instance, field) is not None
    }
    if not actuals:
        return
    open_nodes = PlanNode.objects.filter(project=instance, code__in=actuals, actual_date__isnull=True)
    for node in open_nodes:
        done = actuals[NodeCode(node.code)]
        PlanNode.objects.filter(pk=node.pk, actual_date__isnull=True).update(
            actual_date=done, version=F("version") + 1
        )
        node_changed_events(
            node=node,
            actor=None,
            changes=[("actual_date", None, done)],
            reason=SYNC_REASONS[NodeCode(node.code)],
        )
        publish(PlanChanged(project_id=instance.pk, city_id=instance.city_id))


def plan_node_written(sender: type[PlanNode], instance: PlanNode, raw: bool = False, **kwargs: Any) -> None:
    """Tell the others a plan changed (a node saved or deleted, by any way of writing it)."""
    if raw:
        return
    publish(PlanChanged(project_id=instance.project_id, city_id=instance.city_id))
