"""A notice's timeline: one typed row per step (`core.history`), read back in the reader's language."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.accounts.models import User
from keyprojects.core.history import HistoryText, encode

from .models import NoticeEvent, SupervisionNotice

Kind = NoticeEvent.Kind
_LABELS = {
    "receiver": gettext_lazy("督办对象"),
    "deadline": gettext_lazy("答复期限"),
    "deadline_workdays": gettext_lazy("办理时限(工作日)"),
}


def notice_event(
    *, notice: SupervisionNotice, kind: str, actor: User | None, text: str = "", **values: Any
) -> NoticeEvent:
    typed = {name: encode(value) for name, value in values.items() if value is not None}
    return NoticeEvent.objects.create(
        notice=notice,
        kind=kind,
        actor=actor,
        organization=actor.organization if actor is not None else None,
        text=text,
        values=typed or None,
    )


@dataclass(frozen=True)
class Step:
    event: NoticeEvent
    label: str
    who: str
    facts: list[tuple[str, str]]


def timeline(events: Iterable[NoticeEvent]) -> list[Step]:
    """The steps with who took them and what they set, as text (named rows read in one query per model)."""
    rows = list(events)
    history = HistoryText([v for e in rows for v in (e.values or {}).values()])
    return [
        Step(
            event,
            str(event.get_kind_display()),
            _who(event),
            [(str(_LABELS.get(n, n)), history.text(v)) for n, v in (event.values or {}).items()],
        )
        for event in rows
    ]


def _who(event: NoticeEvent) -> str:
    if event.actor is None:
        return _("系统")
    org = event.organization
    return f"{event.actor.display_name}({org})" if org is not None else event.actor.display_name
