"""Races run on a SQLite file database in WAL mode, as in production: each in a process of its own, since the
test database is in memory."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]


def on_sqlite_file(module: str, *, timeout: int) -> Any:
    """What `python -m module` prints (JSON) when run against a fresh SQLite file; it must exit cleanly."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/race.sqlite3"}
        done = subprocess.run(
            [sys.executable, "-m", module],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
