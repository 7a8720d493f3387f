"""The database half of a backup, one way per vendor, each a consistent snapshot taken while writes go on.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies every page in one step under one read
transaction, so in WAL mode writers keep committing and the copy is the database as it stood when the
step began. Restoring runs the same API the other way, into the instance's connection: the whole file is
replaced in one write transaction. PostgreSQL: `pg_dump --format=custom` reads everything in one
repeatable-read snapshot; `pg_restore --clean --if-exists --single-transaction` replaces what the target
holds (the tables `migrate` made, if any) and commits once or not at all.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from glob import glob
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from keyprojects.core.errors import ApplicationError

# What `migrate` writes by itself into an instance nobody has used yet.
SEEDED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}


@dataclass(frozen=True)
class Vendor:
    name: str  # "sqlite" or "postgresql"
    dump_name: str  # the archive member holding the dump


SQLITE = Vendor("sqlite", "database.sqlite3")
POSTGRESQL = Vendor("postgresql", "database.pgdump")


def current_vendor() -> Vendor:
    if connection.vendor == "sqlite":
        return SQLITE
    if connection.vendor == "postgresql":
        return POSTGRESQL
    raise ApplicationError(_("不支持的数据库：%(vendor)s") % {"vendor": connection.vendor})


def dump(target: Path) -> None:
    """Write a consistent snapshot of the instance's database to `target`."""
    if current_vendor() is SQLITE:
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        _run_pg("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}")


def load(source: Path) -> None:
    """Replace the instance's database with the snapshot in `source`, all of it or nothing."""
    if current_vendor() is SQLITE:
        connection.ensure_connection()
        with sqlite3.connect(source) as snapshot:
            snapshot.backup(connection.connection)
        snapshot.close()
        problems = _sqlite_integrity()
        if problems:
            raise ApplicationError(_("恢复后的数据库未通过完整性检查：%(problems)s") % {"problems": problems})
    else:
        connection.close()
        _run_pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(source),
        )


def _sqlite_integrity() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        found = [row[0] for row in cursor.fetchall()]
        cursor.execute("PRAGMA foreign_key_check")
        found += [f"foreign key: {row}" for row in cursor.fetchall()]
    return "" if found == ["ok"] else "; ".join(found)


def applied_migrations() -> dict[str, list[str]]:
    """The migrations recorded as applied, by app (empty for a database never migrated)."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def table_rows() -> dict[str, int]:
    """Rows per table of every installed model whose table exists."""
    existing = set(connection.introspection.table_names())
    return {
        model._meta.db_table: model._base_manager.using(connection.alias).count()
        for model in _models()
        if model._meta.db_table in existing
    }


def used_tables() -> list[str]:
    """The tables holding rows that `migrate` alone would not have written."""
    existing = set(connection.introspection.table_names())
    return [
        model._meta.db_table
        for model in _models()
        if model._meta.label_lower not in SEEDED_BY_MIGRATE
        and model._meta.db_table in existing
        and model._base_manager.using(connection.alias).exists()
    ]


def _models() -> list:
    seen: dict[str, type] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            seen.setdefault(model._meta.db_table, model)
    return sorted(seen.values(), key=lambda model: model._meta.db_table)


def postgres_binary(name: str) -> str:
    """`pg_dump` / `pg_restore` from PATH, else the newest of /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    if candidates:
        return candidates[-1]
    raise ApplicationError(
        _("找不到 %(name)s：请安装 PostgreSQL 客户端（apt-get install postgresql-client-15）")
        % {"name": name}
    )


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.parent.name
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _run_pg(program: str, *args: str) -> None:
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(settings["NAME"])}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    result = subprocess.run(  # noqa: S603
        [postgres_binary(program), *args], env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise ApplicationError(
            _("%(program)s 失败：%(error)s") % {"program": program, "error": result.stderr.strip()[-2000:]}
        )
