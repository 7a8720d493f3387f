"""Archiving: records older than the retention (`AUDIT_RETENTION_DAYS`, at least 180 days: 网络安全法 art. 21)
are written to a gzip-compressed JSON-lines file with its SHA-256 beside it, an `AuditAnchor` keeps the last
archived record's sequence and hash, and only then are they removed. The chain verifies through every anchor's
file (kept where the anchor names it: the files are the trail's older part) and on to the table."""

import datetime
import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.core.errors import ApplicationError

from . import chain
from .models import AuditAnchor, AuditRecord

MIN_RETENTION_DAYS = 180


@dataclass(frozen=True)
class Archived:
    records: int
    path: Path | None
    sha256: str
    anchor: tuple[int, str] | None


def retention_days() -> int:
    return max(int(getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS)), MIN_RETENTION_DAYS)


def latest_allowed(today: datetime.date) -> datetime.date:
    """The latest `--before` date that archives no record younger than the retention."""
    return today - datetime.timedelta(days=retention_days())


def default_path(first: int, last: int) -> Path:
    return Path(settings.AUDIT_ARCHIVE_DIR) / f"audit-{first:012d}-{last:012d}.jsonl.gz"


def _line(row: dict[str, Any]) -> bytes:
    values = dict(row)
    values["at"] = values["at"].astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return json.dumps(values, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode() + b"\n"


def _write(path: Path, rows: list[dict[str, Any]]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with gzip.open(partial, "wb") as out:
        for row in rows:
            out.write(_line(row))
    with partial.open("rb") as written:
        os.fsync(written.fileno())
        digest = hashlib.file_digest(written, "sha256").hexdigest()
    partial.replace(path)
    path.with_name(path.name + ".sha256").write_text(f"{digest}  {path.name}\n")
    return digest


def audit_archive(*, before: datetime.date, to: Path | None = None) -> Archived:
    """Archive the records made before `before` (local time) to `to` (default under `AUDIT_ARCHIVE_DIR`)."""
    limit = latest_allowed(timezone.localdate())
    if before > limit:
        raise ApplicationError(
            _("审计记录至少保存 %(days)s 天：归档截止日期最晚为 %(limit)s")
            % {"days": retention_days(), "limit": limit.isoformat()},
            errors={"before": [_("不能晚于 %(limit)s") % {"limit": limit.isoformat()}]},
        )
    cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time.min))
    with transaction.atomic():
        chain.lock()
        checked = chain.verify()
        if not checked.ok:
            raise ApplicationError(
                _("审计链在第 %(seq)s 条记录处不完整，未归档：%(problem)s")
                % {"seq": checked.broken, "problem": checked.problem}
            )
        young = (
            AuditRecord.objects.filter(at__gte=cutoff).order_by("seq").values_list("seq", flat=True).first()
        )
        old = AuditRecord.objects.order_by("seq")
        if young is not None:
            old = old.filter(seq__lt=young)
        rows = list(old.values(*chain.FIELDS, "prev_hash", "hash"))
        if not rows:
            return Archived(0, None, "", None)
        first, last = rows[0], rows[-1]
        path = to or default_path(first["seq"], last["seq"])
        digest = _write(path, rows)
        AuditAnchor.objects.create(
            seq=last["seq"],
            hash=last["hash"],
            records=len(rows),
            before=cutoff,
            file=str(path),
            sha256=digest,
        )
        with connection.cursor() as cursor:  # the triggers let through the records the anchor covers
            cursor.execute("DELETE FROM audit_auditrecord WHERE seq <= %s", [last["seq"]])
    return Archived(len(rows), path, digest, (last["seq"], last["hash"]))


def archive_verify(path: Path) -> chain.Verification:
    """Walk the chain inside an archive file (from its first record's `prev_hash`)."""
    return chain.verify_rows(chain.archived_rows(path))
