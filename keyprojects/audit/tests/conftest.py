import datetime

import pytest
from django.utils import timezone

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory
from keyprojects.audit import chain
from keyprojects.audit.models import AuditKind


@pytest.fixture
def auditor(city):
    return UserFactory(
        username="auditor", full_name="审计员", role=Role.AUDIT_ADMIN, organization=city.city_office
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the test's transaction to commit (the audit records) when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def entry(*, at: datetime.datetime | None = None, kind: str = AuditKind.WRITE, username: str = "", **fields):
    values = {
        "at": at or timezone.now(),
        "kind": kind,
        "actor_id": None,
        "username": username,
        "ip": "10.0.0.1",
        "city_id": None,
        "object_model": "",
        "object_pk": "",
        "object_text": "",
        "method": "",
        "path": "",
        "old": None,
        "new": None,
        "reason": "",
    }
    return values | fields


def make(count: int, **fields):
    return chain.append(entry(**fields) for _ in range(count))
