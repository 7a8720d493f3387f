"""Races between officers, each on a connection of its own (`at_once`); on SQLite run against a file database in
WAL mode, as in production, each in a process of its own, since the test database is in memory (`on_sqlite_file`)."""

import json
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
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


def at_once(attempt: Callable[..., str], calls: Iterable[Sequence[Any]]) -> list[str]:
    """`attempt(*args)` for each of `calls`, each in a thread and on a connection of its own, released at the
    same moment: their outcomes (what `attempt` answers, or the unexpected error), sorted."""
    from django.db import connection

    calls = list(calls)
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(*args: Any) -> None:
        try:
            barrier.wait()
            outcomes.append(attempt(*args))
        except BaseException as error:  # reported to the test
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=tuple(args)) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def city_office_officers() -> list[Any]:
    """Two officers of a new city's office, to race each other."""
    from keyprojects.accounts.models import Organization, Role
    from keyprojects.accounts.tests.factories import CityRegionFactory, OrganizationFactory, UserFactory

    region = CityRegionFactory()
    office = OrganizationFactory(
        name=f"{region.name}重点项目办", kind=Organization.Kind.CITY_OFFICE, region=region
    )
    return [UserFactory(role=Role.CITY_ADMIN, organization=office) for _ in range(2)]
