"""The warnings follow what happens elsewhere: each committed change that can turn a light marks its
projects for the city's next refresh, a few seconds later (`queue.py`), or queues a refresh of
everything when settings the rules read changed.

One handler for every event, so that a held-back batch (an import, the demo: `core.events.hold_back`)
queues one refresh, whatever it holds."""

from collections.abc import Sequence

from keyprojects.core.events import (
    DomainEvent,
    FactorChanged,
    InclusionChanged,
    InvestmentPlanChanged,
    PlanChanged,
    ProjectChanged,
    ReportAccepted,
    ReportReturned,
    ReportSubmitted,
    SettingsChanged,
)
from keyprojects.metrics.models import MetricsSettings
from keyprojects.progress.models import ProgressSettings
from keyprojects.schedule.models import ScheduleSettings

from .models import WarningRules
from .queue import mark_pending, run_after
from .tasks import refresh_all_warnings, refresh_pending_warnings

PROJECT_EVENTS = (
    ProjectChanged,
    PlanChanged,
    ReportSubmitted,
    ReportReturned,
    ReportAccepted,
    InclusionChanged,
    InvestmentPlanChanged,
    FactorChanged,
)
EVENTS = (*PROJECT_EVENTS, SettingsChanged)
# the settings the rules read: their thresholds, the rate bases, the inclusion threshold, the calendar
RULE_SETTINGS = frozenset(
    model._meta.label_lower for model in (WarningRules, MetricsSettings, ProgressSettings, ScheduleSettings)
)
MANY_PROJECTS = 200  # past this, one refresh of everything costs less than a list of ids


def warnings_follow(events: Sequence[DomainEvent]) -> None:
    if any(isinstance(e, SettingsChanged) and e.model in RULE_SETTINGS for e in events):
        refresh_all_warnings.enqueue()
        return
    projects = {e.project_id: e.city_id for e in events if isinstance(e, PROJECT_EVENTS)}
    if len(projects) > MANY_PROJECTS:
        refresh_all_warnings.enqueue()
        return
    for city_id in sorted(mark_pending(projects)):
        refresh_pending_warnings.using(run_after=run_after()).enqueue(city_id)
