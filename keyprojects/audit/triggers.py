"""The database's own refusal to change the audit trail: triggers on both tables refuse UPDATE and DELETE,
except the DELETE of records an archive anchor covers (`archive.audit_archive`, after writing them to a file)
that are older than the shortest retention by the database's own clock. An anchor is a plain row, which anyone
who can write to the database could insert; such an anchor lets no record younger than the retention go, and
`chain.verify` names it (it has no archive file holding the records it claims). Installed by migrations 0002
and 0003 for the database in use."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# a record may go only past the shortest retention, `archive.MIN_RETENTION_DAYS`, written out in each dialect
SQLITE_CREATE = [
    "CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_auditrecord "
    "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
    "CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_auditrecord "
    "WHEN OLD.seq > COALESCE((SELECT MAX(seq) FROM audit_auditanchor), 0) "
    "OR OLD.at >= datetime('now', '-180 days') "
    "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
    "CREATE TRIGGER audit_anchor_no_update BEFORE UPDATE ON audit_auditanchor "
    "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
    "CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_auditanchor "
    "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_record_no_update",
    "DROP TRIGGER IF EXISTS audit_record_no_delete",
    "DROP TRIGGER IF EXISTS audit_anchor_no_update",
    "DROP TRIGGER IF EXISTS audit_anchor_no_delete",
]
POSTGRESQL_CREATE = [
    """CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_auditrecord'
       AND OLD.seq <= (SELECT COALESCE(MAX(seq), 0) FROM audit_auditanchor)
       AND OLD.at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit records are append-only' USING ERRCODE = 'insufficient_privilege';
END $$""",
    "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
    "CREATE TRIGGER audit_anchor_append_only BEFORE UPDATE OR DELETE ON audit_auditanchor "
    "FOR EACH ROW EXECUTE FUNCTION audit_append_only()",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord",
    "DROP TRIGGER IF EXISTS audit_anchor_append_only ON audit_auditanchor",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]
CREATE = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}
DROP = {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}


def install(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in CREATE.get(connection.vendor, []):
            cursor.execute(statement)


def remove(connection: Any) -> None:
    with connection.cursor() as cursor:
        for statement in DROP.get(connection.vendor, []):
            cursor.execute(statement)


@contextmanager
def lifted(connection: Any) -> Iterator[None]:
    """Without the SQLite triggers inside the block (for `flush`, which empties every table with DELETE); to
    be used inside a transaction, so that no other connection ever sees the tables unguarded."""
    if connection.vendor != "sqlite":
        yield
        return
    remove(connection)
    try:
        yield
    finally:
        install(connection)
