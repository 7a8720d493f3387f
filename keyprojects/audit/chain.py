"""The hash chain: each record's `hash` is H(`prev_hash` ‖ its canonical form), H being SM3 (GB/T 32905) when the
installed OpenSSL offers it through `cryptography`, else SHA-256; the hash names its algorithm ("sm3:…"), so a
chain verifies wherever it is read. Appending takes one lock for the whole chain (PostgreSQL: a transaction-level
advisory lock; SQLite: the write lock its IMMEDIATE transactions take at their start), so parallel writers queue
and neither lose nor fork records.
"""

import datetime
import gzip
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils.translation import gettext as _

from .models import AuditAnchor, AuditRecord

GENESIS = "0" * 64
# the fields a record's hash covers, in this order
FIELDS = (
    "seq",
    "at",
    "kind",
    "actor_id",
    "username",
    "ip",
    "city_id",
    "object_model",
    "object_pk",
    "object_text",
    "method",
    "path",
    "old",
    "new",
    "reason",
)
# any constant naming the audit chain among PostgreSQL's advisory locks
ADVISORY_LOCK = 0x4B50_4155_4454  # "KPAUDT"


@cache
def sm3_available() -> bool:
    try:
        from cryptography.hazmat.backends.openssl import backend
        from cryptography.hazmat.primitives import hashes
    except ImportError:  # pragma: no cover - cryptography is a dependency
        return False
    return bool(backend.hash_supported(hashes.SM3()))


def algorithm() -> str:
    """The algorithm new records are chained with: `AUDIT_HASH` ("sm3" or "sha256"), else SM3 when available."""
    chosen = getattr(settings, "AUDIT_HASH", "")
    return chosen or ("sm3" if sm3_available() else "sha256")


def _digest(name: str, data: bytes) -> str:
    if name == "sm3":
        from cryptography.hazmat.primitives import hashes

        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize().hex()
    if name == "sha256":
        return hashlib.sha256(data).hexdigest()
    return ""  # an algorithm this platform never chains with: the record cannot check out


def canonical(values: dict[str, Any]) -> bytes:
    """A record's fields as one line of JSON: keys sorted, no spaces, UTF-8, the time in UTC to the microsecond."""
    at = values["at"]
    if isinstance(at, datetime.datetime):
        at = at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    data = {name: values[name] for name in FIELDS} | {"at": at}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def chained(prev_hash: str, values: dict[str, Any], *, name: str) -> str:
    """The hash, by algorithm `name`, of a record following `prev_hash`."""
    return name + ":" + _digest(name, prev_hash.encode() + b"\n" + canonical(values))


def lock() -> None:
    """Hold the chain until the transaction ends (PostgreSQL; SQLite's IMMEDIATE transaction holds it already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])


def head() -> tuple[int, str]:
    """The last record's sequence and hash (the latest archive anchor's when the table is empty)."""
    last = AuditRecord.objects.order_by("-seq").values_list("seq", "hash").first()
    if last is not None:
        return last
    anchor = AuditAnchor.objects.order_by("-seq").values_list("seq", "hash").first()
    return anchor if anchor is not None else (0, GENESIS)


def append(entries: Iterable[dict[str, Any]]) -> list[AuditRecord]:
    """Chain and insert `entries` (the fields of `FIELDS` but `seq`) after the last record, in one transaction."""
    entries = list(entries)
    if not entries:
        return []
    name = algorithm()
    with transaction.atomic():
        lock()
        seq, prev = head()
        rows = []
        for entry in entries:
            seq += 1
            values = {**entry, "seq": seq}
            digest = chained(prev, values, name=name)
            rows.append(AuditRecord(prev_hash=prev, hash=digest, **values))
            prev = digest
        return AuditRecord.objects.bulk_create(rows)


@dataclass(frozen=True)
class Verification:
    records: int
    head: tuple[int, str]
    broken: int | None = None  # the first record that does not check out
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken is None


def _rows(after: int) -> Iterator[dict[str, Any]]:
    rows = AuditRecord.objects.filter(seq__gt=after).order_by("seq")
    yield from rows.values(*FIELDS, "prev_hash", "hash").iterator(chunk_size=2000)


def archived_rows(path: Path) -> Iterator[dict[str, Any]]:
    """The records an archive file holds, in order."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _anchor_problem(anchor: AuditAnchor, start: tuple[int, str]) -> str:
    """What is wrong with an anchor following `start` (sequence and hash): its file is missing or altered, or
    does not hold the records from `start` to the anchor's own."""
    path = Path(anchor.file)
    if not path.is_file():
        return _("归档文件不存在")
    with path.open("rb") as stored:
        if hashlib.file_digest(stored, "sha256").hexdigest() != anchor.sha256:
            return _("归档文件的 SHA-256 与锚点不符")
    try:
        walked = verify_rows(archived_rows(path), start=start)
    except (OSError, EOFError, ValueError, KeyError, TypeError):
        return _("归档文件无法读取")
    if not walked.ok:
        return _("归档文件第 %(seq)s 条记录：%(problem)s") % {"seq": walked.broken, "problem": walked.problem}
    if walked.head != (anchor.seq, anchor.hash):
        return _("归档文件的记录止于第 %(seq)s 条，与锚点不符") % {"seq": walked.head[0]}
    return ""


def verify() -> Verification:
    """Walk the chain from its start: each archive anchor against its file (the records it holds chain from
    the anchor before to this one), then the records in the table after the latest."""
    start = (0, GENESIS)
    for anchor in AuditAnchor.objects.order_by("seq"):
        problem = _anchor_problem(anchor, start)
        if problem:
            return Verification(
                0,
                start,
                anchor.seq,
                _("归档锚点（第 %(seq)s 条，文件 %(file)s）：%(problem)s")
                % {"seq": anchor.seq, "file": anchor.file, "problem": problem},
            )
        start = (anchor.seq, anchor.hash)
    return verify_rows(_rows(start[0]), start=start)


def verify_rows(rows: Iterable[dict[str, Any]], *, start: tuple[int, str] | None = None) -> Verification:
    """Walk `rows` in order from `start` (sequence and hash before them; default: the first row's own)."""
    seq, prev = start if start is not None else (-1, "")
    count = 0
    for row in rows:
        if start is None and count == 0:
            seq, prev = row["seq"] - 1, row["prev_hash"]
        if row["seq"] != seq + 1:
            return Verification(
                count,
                (seq, prev),
                row["seq"],
                _("缺少第 %(first)s–%(last)s 条记录") % {"first": seq + 1, "last": row["seq"] - 1},
            )
        if row["prev_hash"] != prev:
            return Verification(count, (seq, prev), row["seq"], _("前一条哈希与上一条记录不符"))
        if row["hash"] != chained(prev, row, name=row["hash"].split(":", 1)[0]):
            return Verification(count, (seq, prev), row["seq"], _("哈希与记录内容不符"))
        seq, prev, count = row["seq"], row["hash"], count + 1
    return Verification(count, (seq, prev))


def backup_head() -> list[Any]:
    """What a backup keeps of the chain: its head (sequence, hash)."""
    return list(head())


def restored_check(recorded: Any) -> None:
    """A restored instance's chain: whole, and holding the head the backup recorded (a record made while the
    dump was taken may come after it)."""
    from keyprojects.core.errors import ApplicationError

    result = verify()
    if not result.ok:
        raise ApplicationError(
            _("恢复后的审计链在第 %(seq)s 条记录处不完整：%(problem)s")
            % {"seq": result.broken, "problem": result.problem}
        )
    if recorded:
        seq, digest = recorded
        stored = AuditRecord.objects.filter(seq=seq).values_list("hash", flat=True).first()
        anchored = AuditAnchor.objects.filter(seq__gte=seq).exists()
        if stored != digest and not anchored and (stored is not None or seq <= result.head[0]):
            raise ApplicationError(_("恢复后的审计链与备份时记录的第 %(seq)s 条不符") % {"seq": seq})
