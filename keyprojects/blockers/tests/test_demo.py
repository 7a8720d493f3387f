"""The demo city's blockers: every state, several departments and categories, the ladder climbed, a
meeting with decisions done and overdue; made once."""

import io

import pytest
from django.core.management import call_command

from keyprojects.blockers.models import Blocker, Decision, Status

pytestmark = pytest.mark.usefixtures("clock")


def test_demo_has_blockers_in_every_state_and_a_meeting_once(db):
    call_command("loaddemo", stdout=io.StringIO())
    blockers = Blocker.objects.all()
    assert set(blockers.values_list("status", flat=True)) == set(Status.values)
    assert blockers.values("department").distinct().count() >= 4
    assert blockers.values("category").distinct().count() >= 8
    assert set(blockers.values_list("level", flat=True)) == {"county", "city", "leader"}
    assert blockers.filter(instruction_pending=True).count() == 1
    decisions = Decision.objects.all()
    assert decisions.count() == 2 and decisions.filter(status="done").count() == 1
    count = blockers.count()
    call_command("loaddemo", stdout=io.StringIO())
    assert Blocker.objects.count() == count
