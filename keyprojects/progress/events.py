"""The history of a report: each step (submitted, returned, resubmitted, accepted, corrected), who,
when and why; each submission keeps the figures as sent (typed, `keyprojects.core.history`)."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, cast

from django.db.models import Field

from keyprojects.accounts.models import User
from keyprojects.core.history import HistoryText, Typed, decode, encode, is_money

from .models import REPORT_FIGURES, MonthlyReport, ReportEvent

SUBMISSIONS = frozenset(
    {ReportEvent.Kind.SUBMITTED, ReportEvent.Kind.RESUBMITTED, ReportEvent.Kind.CORRECTED}
)


def event_figures(report: MonthlyReport, kind: str) -> Typed | None:
    """What an event of `kind` keeps of the report: its figures when it is a submission."""
    return encode({name: getattr(report, name) for name in REPORT_FIGURES}) if kind in SUBMISSIONS else None


def report_event(*, report: MonthlyReport, kind: str, actor: User, reason: str = "") -> ReportEvent:
    return ReportEvent.objects.create(
        report=report, kind=kind, figures=event_figures(report, kind), reason=reason, actor=actor
    )


@dataclass(frozen=True)
class FigureChange:
    """One figure of a resubmitted report that differs from the version it was returned with."""

    field: str
    label: str
    returned: str
    now: str


class EventFigures(Protocol):
    """What `changes_since_return` reads of an event: a `ReportEvent`, or a row of its values."""

    kind: str
    figures: Typed | None


def changes_since_return(events: Sequence[EventFigures]) -> list[FigureChange]:
    """What changed between the figures a report was last returned with and its latest submission,
    from the report's events in order (empty when it was never returned, or came back unchanged)."""
    returned_at = max((i for i, e in enumerate(events) if e.kind == ReportEvent.Kind.RETURNED), default=None)
    if returned_at is None:
        return []
    before = next((e for e in reversed(events[:returned_at]) if e.figures is not None), None)
    after = next((e for e in reversed(events[returned_at:]) if e.figures is not None), None)
    if before is None or after is None:
        return []
    old, new = cast(Typed, before.figures)["v"], cast(Typed, after.figures)["v"]
    text = HistoryText([])
    changes = []
    for name in REPORT_FIGURES:
        if decode(old.get(name)) == decode(new.get(name)):  # 20 and 20.00 are the same amount
            continue
        field = cast(Field, MonthlyReport._meta.get_field(name))
        money = is_money(field)
        changes.append(
            FigureChange(
                name,
                str(field.verbose_name),
                text.text(old.get(name), money=money),
                text.text(new.get(name), money=money),
            )
        )
    return changes
