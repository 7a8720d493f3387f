"""Two officers allocating the last units at the same moment: exactly one succeeds, the other is told the
pool has not enough left, and the pool stays whole — on PostgreSQL with a connection per officer in this
process, on SQLite with a connection per officer to a file database in WAL mode, as in production."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.db import connection

from keyprojects.factors.models import FactorPool

from .race import ROUNDS, last_units_race, race_officers, race_scene

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite: a file database in WAL mode")
def test_on_sqlite_exactly_one_of_two_simultaneous_allocations_of_the_last_units_succeeds():
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp}/race.sqlite3"}
        done = subprocess.run(
            [sys.executable, "-m", "keyprojects.factors.tests.race"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    rounds = json.loads(done.stdout)
    assert rounds == [{"outcomes": ["allocated", "refused"], "remaining": "0.000"}] * ROUNDS


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: row locks")
def test_on_postgresql_exactly_one_of_two_simultaneous_allocations_of_the_last_units_succeeds():
    officers = race_officers()
    for year in range(2026, 2026 + ROUNDS):
        scene = race_scene(officers, year)
        assert last_units_race(**scene) == ["allocated", "refused"]
        assert FactorPool.objects.get(pk=scene["pool_id"]).remaining == 0
