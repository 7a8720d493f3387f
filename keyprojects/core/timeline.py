"""A case's timeline (a blocker's, a supervision notice's): one row per step, with its kind, who took it and for
which organisation, when, a text and values typed by `core.history`, read back in the reader's language on the
case's page (`core/_timeline.html`) and in its API (`Step.api`)."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .history import HistoryText, encode
from .text import noted

Choices = Mapping[str, Mapping[Any, Any]]  # a value's choices (code → label), by the value's name


def step_fields(
    *, actor: Any, text: str, values: Mapping[str, Any], choices: Choices | None = None
) -> dict[str, Any]:
    """The columns of a step taken by `actor` (None: the platform itself), for the organisation it works for, with
    `values` typed (those given as None left out)."""
    choices = choices or {}
    typed = {
        name: encode(value, choices=choices.get(name)) for name, value in values.items() if value is not None
    }
    return {
        "actor": actor,
        "organization": actor.organization if actor is not None else None,
        "text": text,
        "values": typed or None,
    }


@dataclass(frozen=True)
class Step:
    event: Any  # the step's row: `kind`, `actor`, `organization`, `created_at`, `text`, `values`
    label: str
    who: str
    facts: list[tuple[str, str]]  # each value's label and text

    def api(self) -> dict[str, Any]:
        """The step as the API answers it."""
        event = self.event
        return {
            "kind": event.kind,
            "label": self.label,
            "actor": event.actor.display_name if event.actor else None,
            "organization": str(event.organization) if event.organization else None,
            "at": event.created_at,
            "text": event.text,
            "values": dict(self.facts),
        }


def timeline(
    events: Iterable[Any], *, labels: Mapping[str, Any], choices: Choices | None = None
) -> list[Step]:
    """The steps with who took them and what they set, as text (the named rows read in one query per model)."""
    rows = list(events)
    history = HistoryText([value for event in rows for value in (event.values or {}).values()])
    choices = choices or {}
    return [
        Step(
            event,
            str(event.get_kind_display()),
            who(event),
            [
                (str(labels.get(name, name)), history.text(value, choices=choices.get(name)))
                for name, value in (event.values or {}).items()
            ],
        )
        for event in rows
    ]


def who(event: Any) -> str:
    """Who took a step: the person and the organisation, or the platform."""
    if event.actor is None:
        return _("系统")
    name = event.actor.display_name
    return noted(name, event.organization) if event.organization is not None else name
