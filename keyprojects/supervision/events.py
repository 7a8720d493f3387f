"""A notice's timeline: one typed row per step (`core.history`), read back in the reader's language."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy

from keyprojects.accounts.models import User
from keyprojects.core.timeline import Step, step_fields
from keyprojects.core.timeline import timeline as case_timeline

from .models import NoticeEvent, SupervisionNotice

Kind = NoticeEvent.Kind
_LABELS = {
    "receiver": gettext_lazy("督办对象"),
    "deadline": gettext_lazy("答复期限"),
    "deadline_workdays": gettext_lazy("办理时限（工作日）"),
}


def notice_event(
    *, notice: SupervisionNotice, kind: str, actor: User | None, text: str = "", **values: Any
) -> NoticeEvent:
    return NoticeEvent.objects.create(
        notice=notice, kind=kind, **step_fields(actor=actor, text=text, values=values)
    )


def timeline(events: Iterable[NoticeEvent]) -> list[Step]:
    return case_timeline(events, labels=_LABELS)
