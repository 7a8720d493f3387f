"""Backing up a running instance and restoring it into an empty one.

The database is taken first, then the uploaded files: a file is written before the row naming it
commits, so every file the snapshot names is on disk by the time the files are read (a file uploaded
meanwhile comes along unnamed, which harms nothing). A restore checks the whole archive before it
touches anything, refuses an instance already in use, loads the database in one transaction, and only
then moves the files, already extracted beside MEDIA_ROOT, into place.

Verifiers: a part of the platform whose own consistency a restore must prove (the audit trail's hash
chain) registers `register_verifier(name, record, verify)`: `record()` is kept in the manifest when the
backup is taken, and `verify(recorded)` runs on the restored instance, raising ApplicationError when the
restored data does not check out.
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.core.errors import ApplicationError

from . import archive, databases


@dataclass(frozen=True)
class Verifier:
    record: Callable[[], Any]
    verify: Callable[[Any], None]


_verifiers: dict[str, Verifier] = {}


def register_verifier(name: str, record: Callable[[], Any], verify: Callable[[Any], None]) -> None:
    _verifiers[name] = Verifier(record, verify)


@dataclass(frozen=True)
class Restored:
    manifest: archive.Manifest
    tables: int
    rows: int
    files: int
    bytes: int


def default_path() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"keyprojects-{stamp}.tar"


def backup_write(*, path: Path) -> archive.Manifest:
    """A consistent backup of the instance at `path`, with `path.sha256` beside it."""
    vendor = databases.current_vendor()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=path.parent) as work:
        dump = Path(work) / vendor.dump_name
        created_at = timezone.now().isoformat()
        databases.dump(dump)
        manifest = archive.Manifest(
            created_at=created_at,
            vendor=vendor.name,
            database=vendor.dump_name,
            migrations=databases.applied_migrations(),
            tables=_snapshot_rows(dump, vendor),
            members={},
            checks={name: verifier.record() for name, verifier in _verifiers.items()},
        )
        archive.write(path, manifest, dump, Path(settings.MEDIA_ROOT))
    return manifest


def _snapshot_rows(dump: Path, vendor: databases.Vendor) -> dict[str, int]:
    """Rows per table of the snapshot itself (SQLite: counted in the copy; PostgreSQL: its dump is not
    readable without restoring, so the live counts are taken right after, and marked as such)."""
    if vendor is databases.SQLITE:
        import sqlite3

        with sqlite3.connect(dump) as copy:
            names = [row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            counts = {
                name: copy.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # noqa: S608 (its own tables, from its catalogue)  # nosec B608
                for name in names
                if not name.startswith("sqlite_")
            }
        copy.close()
        return dict(sorted(counts.items()))
    return {}


def backup_restore(*, path: Path) -> Restored:
    """Restore the backup at `path` into this instance, which must be empty; ApplicationError (nothing
    changed) when the archive is damaged, of another database or the instance is in use."""
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=media_root.parent) as work:
        staging = Path(work)
        manifest = archive.read(path, staging)
        vendor = databases.current_vendor()
        if manifest.vendor != vendor.name:
            raise ApplicationError(
                _("该备份取自 %(theirs)s 数据库，不能恢复到 %(ours)s 数据库")
                % {"theirs": manifest.vendor, "ours": vendor.name}
            )
        _require_empty(media_root)
        databases.load(staging / manifest.database)
        restored = databases.applied_migrations()
        if restored != manifest.migrations:
            raise ApplicationError(_("恢复后的数据库迁移记录与备份清单不符"))
        for name, verifier in _verifiers.items():
            verifier.verify(manifest.checks.get(name))
        files = manifest.media_files
        for name in files:
            target = media_root / Path(name).relative_to(archive.MEDIA)
            target.parent.mkdir(parents=True, exist_ok=True)
            (staging / name).replace(target)
    rows = databases.table_rows()
    return Restored(
        manifest=manifest,
        tables=len(rows),
        rows=sum(rows.values()),
        files=len(files),
        bytes=sum(manifest.members[name]["size"] for name in files),
    )


def _require_empty(media_root: Path) -> None:
    used = databases.used_tables()
    if used:
        raise ApplicationError(
            _("目标实例不是空的：数据表 %(tables)s 已有数据。请在新建的空数据库上恢复，以免覆盖现有数据。")
            % {"tables": "、".join(used[:5]) + ("……" if len(used) > 5 else "")}
        )
    files = archive.media_files(media_root)
    if files:
        raise ApplicationError(
            _("目标实例不是空的：上传文件目录 %(root)s 已有 %(count)s 个文件。请使用空目录。")
            % {"root": media_root, "count": len(files)}
        )
