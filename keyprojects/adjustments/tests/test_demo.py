"""The demo's change requests: pending in the queue, made through the service, and made once."""

import io

from django.core.management import call_command

from keyprojects.adjustments.models import ChangeRequest, Status
from keyprojects.projects.models import ProjectEvent


def test_demo_has_pending_requests_once(db):
    call_command("loaddemo", stdout=io.StringIO())
    requests = list(ChangeRequest.objects.order_by("pk"))
    assert [r.status for r in requests] == [Status.PENDING, Status.PENDING]
    assert [r.requested_by.username for r in requests] == ["owner-aobo", "guanxian"]
    assert ProjectEvent.objects.filter(field="adjustment").count() == 2
    call_command("loaddemo", stdout=io.StringIO())
    assert ChangeRequest.objects.count() == 2
