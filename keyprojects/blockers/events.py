"""A blocker's timeline: one typed row per step (`core.history`), read back in the reader's language."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy

from keyprojects.accounts.models import User
from keyprojects.core.events import BlockerChanged, publish
from keyprojects.core.timeline import Step, step_fields
from keyprojects.core.timeline import timeline as case_timeline

from .models import Blocker, BlockerEvent, Level, Rating

Kind = BlockerEvent.Kind
_LABELS = {
    "department": gettext_lazy("责任单位"),
    "co_departments": gettext_lazy("协办单位"),
    "deadline_workdays": gettext_lazy("办理时限（工作日）"),
    "deadline": gettext_lazy("办结期限"),
    "rating": gettext_lazy("评价"),
    "level": gettext_lazy("协调层级"),
    "from_level": gettext_lazy("原层级"),
    "leader": gettext_lazy("协调领导"),
    "meeting": gettext_lazy("会议"),
}
_CHOICES = {"rating": dict(Rating.choices), "level": dict(Level.choices), "from_level": dict(Level.choices)}


def blocker_event(
    *, blocker: Blocker, kind: str, actor: User | None, text: str = "", **values: Any
) -> BlockerEvent:
    fields = step_fields(actor=actor, text=text, values=values, choices=_CHOICES)
    step = BlockerEvent.objects.create(blocker=blocker, kind=kind, **fields)
    publish(BlockerChanged(blocker_id=blocker.pk, project_id=blocker.project_id, city_id=blocker.city_id))
    return step


def timeline(events: Iterable[BlockerEvent]) -> list[Step]:
    return case_timeline(events, labels=_LABELS, choices=_CHOICES)
