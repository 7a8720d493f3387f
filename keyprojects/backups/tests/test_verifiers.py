"""The hook for checks a restore must pass (the audit trail's chain): what a verifier records is kept in the
manifest at the backup, and a restore whose verifier objects fails (its files are not moved into place)."""

import pytest
from django.core.management import call_command

from keyprojects.accounts.models import User
from keyprojects.backups import services
from keyprojects.core.errors import ApplicationError


@pytest.fixture
def verifiers(monkeypatch):
    monkeypatch.setattr(services, "_verifiers", {})


@pytest.mark.django_db(transaction=True)
def test_a_verifier_records_at_the_backup_and_checks_the_restored_instance(
    city, tmp_path, settings, verifiers
):
    settings.MEDIA_ROOT = tmp_path / "media"
    checked = []
    services.register_verifier(
        "accounts", record=lambda: User.objects.count(), verify=lambda recorded: checked.append(recorded)
    )
    users = User.objects.count()
    manifest = services.backup_write(path=tmp_path / "backup.tar")
    assert manifest.checks == {"accounts": users}

    call_command("flush", "--no-input")
    restored = services.backup_restore(path=tmp_path / "backup.tar")
    assert checked == [users]
    assert User.objects.count() == users
    assert restored.rows >= users and restored.files == 0

    def refuse(recorded):
        raise ApplicationError("审计链校验失败")

    services.register_verifier("accounts", record=lambda: 0, verify=refuse)
    call_command("flush", "--no-input")
    with pytest.raises(ApplicationError, match="审计链校验失败"):
        services.backup_restore(path=tmp_path / "backup.tar")
