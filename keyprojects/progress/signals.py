"""What this app tells the others: a monthly report was submitted, returned or accepted
(`core.events`), from the model's save signal, so that every way a report is written is heard."""

from typing import Any

from keyprojects.core.events import ReportAccepted, ReportReturned, ReportSubmitted, publish

from .models import MonthlyReport

_EVENTS = {
    MonthlyReport.Status.SUBMITTED: ReportSubmitted,
    MonthlyReport.Status.RETURNED: ReportReturned,
    MonthlyReport.Status.ACCEPTED: ReportAccepted,
}


def report_saved(
    sender: type[MonthlyReport], instance: MonthlyReport, raw: bool = False, **kwargs: Any
) -> None:
    event = _EVENTS.get(MonthlyReport.Status(instance.status)) if not raw else None
    if event is not None:
        publish(event(report_id=instance.pk, project_id=instance.project_id, city_id=instance.city_id))
