"""Append only at every level; the chain verifies, and fails naming the first altered record; archive."""

import datetime
import gzip
import hashlib
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from keyprojects.audit import chain, triggers
from keyprojects.audit.archive import archive_verify, audit_archive
from keyprojects.audit.models import AppendOnlyError, AuditAnchor, AuditRecord
from keyprojects.core.errors import ApplicationError

from .conftest import make

pytestmark = pytest.mark.django_db


def test_records_refuse_every_change_through_the_orm():
    record = make(1)[0]
    record = AuditRecord.objects.get(pk=record.pk)
    record.reason = "改过"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.filter(pk=record.pk).update(reason="改过")
    with pytest.raises(AppendOnlyError):
        AuditRecord.objects.all().delete()


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_auditrecord SET reason = 'x'", "DELETE FROM audit_auditrecord"]
)
def test_the_database_refuses_update_and_delete(statement):
    make(2)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditRecord.objects.count() == 2


def test_the_admin_shows_records_to_the_auditor_and_changes_nothing(client, auditor, city):
    record = make(1)[0]
    auditor.is_staff = True
    auditor.save()
    client.force_login(auditor)
    assert client.get(f"/admin/audit/auditrecord/{record.pk}/change/").status_code == 200
    assert client.post(f"/admin/audit/auditrecord/{record.pk}/change/", {"reason": "x"}).status_code == 403
    assert client.post(f"/admin/audit/auditrecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    client.force_login(city.admin)
    assert client.get(f"/admin/audit/auditrecord/{record.pk}/change/").status_code == 403


def test_verify_passes_on_a_whole_chain(capsys):
    make(5)
    call_command("audit", "verify")
    assert "5" in capsys.readouterr().out


def _tamper(sql: str, params: list) -> None:
    """Change the table past its triggers, as someone with the database's own rights could."""
    triggers.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    triggers.install(connection)


def test_verify_fails_naming_a_record_altered_in_the_database():
    records = make(5)
    _tamper("UPDATE audit_auditrecord SET username = 'someone' WHERE seq = %s", [records[2].seq])
    with pytest.raises(CommandError, match=f"第 {records[2].seq} 条"):
        call_command("audit", "verify")


def test_verify_fails_naming_the_record_after_a_deleted_one():
    records = make(5)
    _tamper("DELETE FROM audit_auditrecord WHERE seq = %s", [records[1].seq])
    with pytest.raises(CommandError, match=f"第 {records[2].seq} 条"):
        call_command("audit", "verify")


def test_a_record_rehashed_in_place_still_breaks_the_link_to_the_next():
    records = make(3)
    target = AuditRecord.objects.filter(seq=records[0].seq).values(*chain.FIELDS, "prev_hash").get()
    target["reason"] = "改过"
    forged = chain.chained(target["prev_hash"], target, name=chain.algorithm())
    _tamper(
        "UPDATE audit_auditrecord SET reason = %s, hash = %s WHERE seq = %s", ["改过", forged, records[0].seq]
    )
    assert chain.verify().broken == records[1].seq


def test_the_chain_is_hashed_with_sm3_when_openssl_offers_it():
    record = make(1)[0]
    assert record.hash.startswith("sm3:" if chain.sm3_available() else "sha256:")
    assert len(record.hash.split(":")[1]) == 64


@pytest.mark.today("2026-12-01")
def test_archive_keeps_180_days_writes_the_file_and_the_chain_still_verifies(clock, tmp_path):
    now = timezone.now()
    make(3, at=now - datetime.timedelta(days=400))
    make(2, at=now - datetime.timedelta(days=200))
    make(2, at=now - datetime.timedelta(days=10))
    with pytest.raises(ApplicationError, match="180"):
        audit_archive(before=clock.today - datetime.timedelta(days=179))

    target = tmp_path / "audit-2026.jsonl.gz"
    done = audit_archive(before=clock.today - datetime.timedelta(days=180), to=target)
    assert done.records == 5
    assert AuditRecord.objects.count() == 2
    assert hashlib.sha256(target.read_bytes()).hexdigest() == done.sha256
    assert (tmp_path / "audit-2026.jsonl.gz.sha256").read_text().startswith(done.sha256)
    with gzip.open(target, "rt", encoding="utf-8") as archived:
        lines = [json.loads(line) for line in archived]
    assert [line["seq"] for line in lines] == [1, 2, 3, 4, 5]
    assert archive_verify(target).ok
    assert AuditAnchor.objects.get().seq == 5
    assert chain.verify().ok and chain.verify().records == 2
    make(1)
    assert chain.verify().ok
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord")


def _forge_anchor_at_the_head() -> int:
    seq, digest = chain.head()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditanchor (seq, hash, records, before, file, sha256, created_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [seq, digest, seq, timezone.now(), "/nowhere/forged.jsonl.gz", "0" * 64, timezone.now()],
        )
    return seq


def _database_now() -> datetime.datetime:
    """The database's clock, which the triggers read (the tests may move Python's)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        value = cursor.fetchone()[0]
    if isinstance(value, str):  # SQLite: UTC, as text
        value = datetime.datetime.fromisoformat(value).replace(tzinfo=datetime.UTC)
    return value


def test_a_forged_anchor_lets_no_record_younger_than_the_retention_go():
    make(3, at=_database_now() - datetime.timedelta(days=179))
    _forge_anchor_at_the_head()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM audit_auditrecord")
    assert AuditRecord.objects.count() == 3


def test_verify_fails_naming_a_forged_anchor_and_the_records_it_let_go():
    make(3, at=_database_now() - datetime.timedelta(days=181))
    seq = _forge_anchor_at_the_head()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditrecord")
    assert not AuditRecord.objects.exists()
    with pytest.raises(
        CommandError, match=f"归档锚点（第 {seq} 条，文件 /nowhere/forged.jsonl.gz）：归档文件不存在"
    ):
        call_command("audit", "verify")


@pytest.mark.today("2026-12-01")
def test_an_anchor_is_checked_against_its_file(clock, tmp_path):
    now = timezone.now()
    make(3, at=now - datetime.timedelta(days=400))
    make(1, at=now - datetime.timedelta(days=10))
    target = tmp_path / "audit.jsonl.gz"
    audit_archive(before=clock.today - datetime.timedelta(days=180), to=target)
    assert chain.verify().ok
    lines = list(chain.archived_rows(target))

    def rewrite(rows) -> None:
        with gzip.open(target, "wt", encoding="utf-8") as out:
            out.writelines(json.dumps(row) + "\n" for row in rows)

    rewrite([{**lines[1], "reason": "改"}])
    assert "SHA-256 与锚点不符" in chain.verify().problem
    stored = AuditAnchor.objects.get()
    for rows, problem in [
        (lines[:2], "归档文件的记录止于第 2 条"),
        ([lines[0], {**lines[1], "reason": "改"}, lines[2]], "归档文件第 2 条记录：哈希与记录内容不符"),
    ]:
        rewrite(rows)  # and a checksum to match: the records must still chain to the anchor
        forged = AuditAnchor(
            seq=stored.seq,
            hash=stored.hash,
            file=stored.file,
            sha256=hashlib.sha256(target.read_bytes()).hexdigest(),
        )
        assert problem in chain._anchor_problem(forged, (0, chain.GENESIS))
    rewrite(lines)
    assert (
        chain._anchor_problem(
            AuditAnchor(
                seq=stored.seq,
                hash=stored.hash,
                file=stored.file,
                sha256=hashlib.sha256(target.read_bytes()).hexdigest(),
            ),
            (0, chain.GENESIS),
        )
        == ""
    )
    target.unlink()
    assert "归档文件不存在" in chain.verify().problem


@pytest.mark.today("2026-12-01")
def test_the_archive_command_refuses_a_date_inside_the_retention(clock):
    with pytest.raises(CommandError, match="180"):
        call_command("audit", "archive", "--before", clock.today.isoformat())


def test_a_restored_chain_is_checked_against_the_head_the_backup_recorded():
    records = make(3)
    head = chain.backup_head()
    chain.restored_check(head)
    _tamper("UPDATE audit_auditrecord SET reason = 'x' WHERE seq = %s", [records[1].seq])
    with pytest.raises(ApplicationError, match=str(records[1].seq)):
        chain.restored_check(head)
