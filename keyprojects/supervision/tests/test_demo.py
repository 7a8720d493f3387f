"""The demo city's notices: issued, answered, accepted, sent back and overdue, from warnings, a blocker
and a decision; made once."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from keyprojects.supervision.models import SupervisionNotice
from keyprojects.supervision.selectors import overdue_q

pytestmark = pytest.mark.usefixtures("clock")


def test_demo_has_notices_in_every_state_and_overdue_once(db):
    call_command("loaddemo", stdout=io.StringIO())
    notices = SupervisionNotice.objects.all()
    assert set(notices.values_list("status", flat=True)) == {"issued", "answered", "returned", "accepted"}
    assert set(notices.values_list("source", flat=True)) == {"warning", "blocker", "decision"}
    assert notices.filter(overdue_q(timezone.localdate())).exists()
    assert notices.values("receiver").distinct().count() >= 4
    count = notices.count()
    call_command("loaddemo", stdout=io.StringIO())
    assert SupervisionNotice.objects.count() == count
