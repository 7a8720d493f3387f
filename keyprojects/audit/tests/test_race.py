"""Parallel writers neither lose nor fork the chain: every record is there once, in one unbroken sequence."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from .race import EACH, WRITERS, parallel_appends

ROOT = Path(__file__).resolve().parents[3]
WHOLE = {
    "errors": [],
    "records": WRITERS * EACH,
    "distinct": WRITERS * EACH,
    "verified": True,
    "head": WRITERS * EACH,
}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite: a file database in WAL mode")
def test_on_sqlite_parallel_appends_keep_one_whole_chain():
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/race.sqlite3"}
        done = subprocess.run(
            [sys.executable, "-m", "keyprojects.audit.tests.race"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == WHOLE


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: the advisory lock")
def test_on_postgresql_parallel_appends_keep_one_whole_chain():
    assert parallel_appends() == WHOLE
