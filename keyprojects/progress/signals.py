"""What this app tells the others: a monthly report was submitted, returned or accepted
(`core.events`), from the model's save signal, so that every way a report is written is heard; and
the figures in force, kept from the same signals."""

from typing import Any

from keyprojects.core.events import ReportAccepted, ReportReturned, ReportSubmitted, publish

from .in_force import refresh_month
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


def report_written(
    sender: type[MonthlyReport], instance: MonthlyReport, raw: bool = False, **kwargs: Any
) -> None:
    """Keep the month's figures in force when one of its accepted versions is written or deleted."""
    saved = "created" in kwargs
    if raw or (saved and instance.status != MonthlyReport.Status.ACCEPTED):
        return
    if saved and kwargs.get("update_fields") == frozenset({"is_current"}):
        return  # a correction was filed: the accepted version stays in force until it is accepted
    refresh_month(city_id=instance.city_id, project_id=instance.project_id, month=instance.month)
