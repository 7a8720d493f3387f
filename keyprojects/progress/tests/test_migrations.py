"""The data migrations of the typed history in this app and in the warnings: a report's latest
submission gets the figures it still carries; a stored warning keeps its text until refreshed."""

import datetime

import pytest
from django.utils import timezone

from keyprojects.accounts.tests.historical import OldWorld
from keyprojects.alerts.models import ProjectWarning


def _project(apps):
    world = OldWorld(apps)
    return world.create(
        "projects.Project",
        name="示例项目",
        region=world.county("371525", "冠县"),
        total_investment=1000,
        year=2026,
    )


@pytest.mark.django_db(transaction=True)
def test_the_latest_submission_of_each_report_gets_its_figures(migrator):
    old = migrator.apply_initial_migration([("progress", "0003_settings_version")])
    project = _project(old.apps)
    user = old.apps.get_model("accounts", "User").objects.create(username="owner", role="project_owner")
    dispatch_round = old.apps.get_model("progress", "DispatchRound").objects.create(
        year=2026, month=3, title="2026年第3期", opens_on="2026-03-20", closes_on="2026-03-31"
    )
    report = old.apps.get_model("progress", "MonthlyReport").objects.create(
        project=project,
        dispatch_round=dispatch_round,
        month=datetime.date(2026, 3, 1),
        status="submitted",
        construction="80.00",
        total="80.00",
        progress_text="主体封顶",
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    ReportEvent = old.apps.get_model("progress", "ReportEvent")
    for kind in ("submitted", "returned", "resubmitted"):
        ReportEvent.objects.create(report=report, kind=kind, actor=user)

    new = migrator.apply_tested_migration([("progress", "0004_report_event_figures")])
    events = new.apps.get_model("progress", "ReportEvent").objects.order_by("id")
    first, returned, latest = (e.figures for e in events)
    assert first is None and returned is None  # what was sent before is not known
    assert latest["v"]["construction"] == {"t": "decimal", "v": "80.00"}
    assert latest["v"]["progress_text"] == {"t": "text", "v": "主体封顶"}


@pytest.mark.django_db(transaction=True)
def test_a_stored_warning_keeps_its_text_until_refreshed(migrator):
    old = migrator.apply_initial_migration([("alerts", "0002_rules_version")])
    old.apps.get_model("alerts", "ProjectWarning").objects.create(
        project=_project(old.apps),
        rule="start_delay",
        color="red",
        message="计划2026-03-01开工，至今未开工（已过92天）",
        since="2026-03-01",
    )
    new = migrator.apply_tested_migration([("alerts", "0003_warning_facts")])
    (warning,) = new.apps.get_model("alerts", "ProjectWarning").objects.all()
    assert warning.facts == {"t": "text", "v": "计划2026-03-01开工，至今未开工（已过92天）"}
    assert (
        ProjectWarning(rule="start_delay", facts=warning.facts).message
        == "计划2026-03-01开工，至今未开工（已过92天）"
    )
