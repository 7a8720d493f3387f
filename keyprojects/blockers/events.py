"""A blocker's timeline: one typed row per step (`core.history`), read back in the reader's language."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.accounts.models import Organization, User
from keyprojects.core.history import HistoryText, encode

from .models import Blocker, BlockerEvent, Level, Rating

Kind = BlockerEvent.Kind
_LABELS = {
    "department": gettext_lazy("责任单位"),
    "co_departments": gettext_lazy("协办单位"),
    "deadline_workdays": gettext_lazy("办理时限(工作日)"),
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
    typed = {
        name: encode(value, choices=_CHOICES.get(name)) for name, value in values.items() if value is not None
    }
    return BlockerEvent.objects.create(
        blocker=blocker,
        kind=kind,
        actor=actor,
        organization=actor.organization if actor is not None else None,
        text=text,
        values=typed or None,
    )


@dataclass(frozen=True)
class Step:
    event: BlockerEvent
    label: str
    who: str
    facts: list[tuple[str, str]]


def timeline(events: Iterable[BlockerEvent]) -> list[Step]:
    """The steps with who took them and what they set, as text (the named rows read in one query per
    model)."""
    rows = list(events)
    history = HistoryText([v for e in rows for v in (e.values or {}).values()])
    steps = []
    for event in rows:
        facts = [
            (str(_LABELS.get(name, name)), history.text(value, choices=_CHOICES.get(name)))
            for name, value in (event.values or {}).items()
        ]
        steps.append(Step(event, str(event.get_kind_display()), _who(event), facts))
    return steps


def _who(event: BlockerEvent) -> str:
    if event.actor is None:
        return _("系统")
    org: Model | None = event.organization
    name = event.actor.display_name
    return f"{name}({org})" if isinstance(org, Organization) else name
