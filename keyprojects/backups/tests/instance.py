"""A throwaway instance for the durability tests: its own database (a SQLite file, or a database on the
PostgreSQL server of DATABASE_URL) and media directory, built with `keyprojects migrate` and seeded in a
process of its own with the production settings, as an operator's instance is; served by granian through the
benchmarks' helpers (bench/server.py), whose surge owners (bench/surge.py) submit the reports.

Run as `python -m keyprojects.backups.tests.instance OWNERS` in the instance's environment, it seeds 聊城
with its county 冠县 and OWNERS owners of this month's round, writes three uploaded files and prints the
owners as JSON.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "bench"))

from server import PROXY_HEADERS, Bench, production_server  # noqa: E402


@dataclass
class Instance:
    bench: Bench
    name: str

    @property
    def url(self) -> str:
        return self.bench.database_url

    @property
    def media(self) -> Path:
        return self.bench.workdir / "media"  # Bench.env's MEDIA_ROOT

    def env(self) -> dict[str, str]:
        return self.bench.env(BACKUP_DIR=str(self.bench.workdir / "backups"))

    def keyprojects(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "keyprojects.manage", *args],
            cwd=ROOT, env=self.env(), capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip

    def popen(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "keyprojects.manage", *args],
            cwd=ROOT, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    @contextmanager
    def server(self, log_name: str = "server") -> Iterator:
        with production_server(
            self.bench, self.url, workers=1, blocking_threads=4, log_name=log_name
        ) as server:
            yield server

    def query(self, sql: str) -> list[tuple]:
        if self.bench.postgres:
            import psycopg

            with psycopg.connect(self.url) as conn:
                cursor = conn.execute(sql)
                return [tuple(row) for row in cursor.fetchall()] if cursor.description else []
        import sqlite3

        with sqlite3.connect(self.bench.workdir / f"{self.name}.sqlite3") as conn:
            rows = [tuple(row) for row in conn.execute(sql).fetchall()]
        conn.close()
        return rows

    def tables(self) -> dict[str, set[tuple]]:
        """Every row of every table, as a set of tuples per table."""
        if self.bench.postgres:
            names = [r[0] for r in self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        else:
            names = [
                r[0]
                for r in self.query("SELECT name FROM sqlite_master WHERE type = 'table'")
                if not r[0].startswith("sqlite_")
            ]
        return {
            name: {_hashable(row) for row in self.query(f'SELECT * FROM "{name}"')} for name in sorted(names)
        }


def _hashable(row: tuple) -> tuple:
    return tuple(
        json.dumps(value, sort_keys=True) if isinstance(value, list | dict) else value for value in row
    )


def new_instance(
    workdir: Path, name: str, *, like: Instance | None = None, migrate: bool = False
) -> Instance:
    """A database named `name` (dropped first if there) and a media directory: empty (migrated if asked),
    or copies of the instance `like`'s."""
    bench = Bench(workdir / name, name)
    if like is None:
        (workdir / name / "media").mkdir(parents=True)
    else:
        shutil.copytree(like.media, workdir / name / "media")
    if bench.postgres:
        import psycopg

        template = f' TEMPLATE "{like.name}"' if like else ""
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"{template}')
    elif like is not None:
        for suffix in (".sqlite3", ".sqlite3-wal"):
            source = like.bench.workdir / f"{like.name}{suffix}"
            if source.exists():
                shutil.copy(source, bench.workdir / f"{name}{suffix}")
    instance = Instance(bench, name)
    if migrate:
        done = instance.keyprojects("migrate", "--no-input", "-v", "0", timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    return instance


def drop(instance: Instance) -> None:
    if instance.bench.postgres:
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{instance.name}" WITH (FORCE)')


def seeded(instance: Instance, owners: int) -> list[dict]:
    """The city and its owners (this module run as a script) in a migrated instance."""
    done = subprocess.run(
        [sys.executable, "-m", "keyprojects.backups.tests.instance", str(owners)],
        cwd=ROOT, env=instance.env(), capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def submit(server_url: str, owner: dict, month: str) -> int | None:
    """One owner's report of `month` through the API, with its Idempotency-Key: the status, or None when
    no answer came."""
    body = json.dumps(
        {
            "month": month,
            "construction": "61.50",
            "installation": "20",
            "equipment": "15",
            "other": "5",
            "progress_text": "主体结构施工",
            "problems": "",
            "workers": 100,
        }
    ).encode()
    request = urllib.request.Request(
        f"{server_url}/api/v1/projects/{owner['project_id']}/reports",
        data=body,
        method="POST",
        headers={
            **PROXY_HEADERS,
            "Content-Type": "application/json",
            "Authorization": f"Bearer {owner['token']}",
            "Idempotency-Key": f"durability-{owner['project_id']}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def reports_without_events(instance: Instance) -> list[tuple]:
    """Reports written without the event row of their submission: half a write."""
    return instance.query(
        "SELECT r.id FROM progress_monthlyreport r LEFT JOIN progress_reportevent e ON e.report_id = r.id "
        "WHERE e.id IS NULL"
    )


def kill_tree(pid: int) -> None:
    """SIGKILL a process and every process under it: no chance to finish or clean up."""
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        with suppress(psutil.NoSuchProcess):
            process.send_signal(signal.SIGKILL)


def _seed(count: int) -> None:
    import django

    django.setup()
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from surge import add_owners

    from keyprojects.accounts.models import Organization, Region, Role, User

    province = Region.objects.create(code="370000", name="山东省", kind=Region.Kind.PROVINCE)
    city = Region.objects.create(code="371500", name="聊城市", kind=Region.Kind.CITY, parent=province)
    county = Region.objects.create(code="371525", name="冠县", kind=Region.Kind.COUNTY, parent=city)
    office = Organization.objects.create(
        name="聊城市发展和改革委员会", kind=Organization.Kind.CITY_OFFICE, region=city
    )
    User.objects.create_user(username="city", full_name="市发改委", role=Role.CITY_ADMIN, organization=office)
    county_office = Organization.objects.create(
        name="冠县发展和改革局", kind=Organization.Kind.COUNTY_OFFICE, region=county
    )
    User.objects.create_user(
        username="guanxian", full_name="冠县发改局", role=Role.COUNTY_OFFICER, organization=county_office
    )
    Organization.objects.create(name="冠县陆港投资有限公司", kind=Organization.Kind.ENTERPRISE, region=county)
    for number in range(3):
        default_storage.save(f"reports/seed/photo-{number}.jpg", ContentFile(os.urandom(50_000 + number)))
    owners = add_owners(count, 0.0)
    print(json.dumps([{"user_id": o.user_id, "project_id": o.project_id, "token": o.token} for o in owners]))


if __name__ == "__main__":
    _seed(int(sys.argv[1]))
