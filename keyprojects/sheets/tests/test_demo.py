"""The demo's imports: 冠县's two dry runs, one refused with its report, one clean; run twice, nothing more."""

import io

import pytest
from django.core.management import call_command

from keyprojects.demo import steps
from keyprojects.sheets.models import ImportJob

pytestmark = pytest.mark.today("2026-05-12")


def test_the_demo_shows_a_refused_and_a_clean_dry_run(db, clock, monkeypatch):
    monkeypatch.setattr(steps, "DEMO_STEPS", [*steps.FOUNDATION_STEPS, "keyprojects.sheets.demo.load"])
    call_command("loaddemo", stdout=io.StringIO())
    refused, clean = ImportJob.objects.order_by("pk")
    assert refused.status == "failed" and refused.dry_run
    assert refused.result["errors"][0]["message"] == "年度计划投资不能超过总投资"
    assert clean.status == "done" and clean.result["unchanged"] > 20 and clean.result["created"] == 0
    call_command("loaddemo", stdout=io.StringIO())
    assert ImportJob.objects.count() == 2
