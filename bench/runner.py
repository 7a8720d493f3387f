"""What every benchmark shares: a throwaway database, Django's test settings, the demo city with the city
office's API token, the GETs and SQL it times, timing by medians (in turns), and where the figures are written.

The data lives in a throwaway database: a temporary SQLite file, or, when DATABASE_URL is given, a temporary
database on that PostgreSQL server (`.ci/with-postgres` starts one).
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(workdir: Path) -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ["STATIC_ROOT"] = str(workdir)
    # Test settings: DEBUG off (no query log), fast password hashing; everything else as in production.
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def database() -> str:
    """The database's name and version, e.g. "SQLite 3.40.1" or "PostgreSQL 15.18"."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"{connection.display_name} {'.'.join(map(str, connection.Database.sqlite_version_info))}"
    return f"{connection.display_name} {connection.pg_version // 10000}.{connection.pg_version % 10000}"


def timings_ms(fn: Callable[[], object], runs: int) -> list[float]:
    """Each of `runs` runs' time in milliseconds, after one warm-up run (caches and connections)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def median_ms(fn: Callable[[], object], runs: int) -> float:
    return statistics.median(timings_ms(fn, runs))


def medians_in_turns(timed: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """The median time of each, in milliseconds: after a warm-up of each, `runs` turns of one run of each, so
    that the load of a shared machine falls on every request and its floors alike."""
    for fn in timed.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, fn in timed.items():
            start = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def get_ok(client: Any, url: str, headers: dict[str, str] | None = None) -> Callable[[], None]:
    """A GET of `url` by a Django test client, to time; anything but 200 stops the bench."""

    def fetch() -> None:
        response = client.get(url, headers=headers or {})
        assert response.status_code == 200, (url, response.status_code)

    return fetch


def run_sql(*statements: tuple[str, list]) -> Callable[[], None]:
    """The statements, each with its parameters, on one cursor with every row fetched, to time."""

    def execute() -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            for statement, params in statements:
                cursor.execute(statement, params)
                cursor.fetchall()

    return execute


def demo_city() -> tuple[Any, Any, dict[str, str]]:
    """The demo city loaded as of today: its `DemoContext`, the city office's user (`city`) and the
    `authorization` header of an API token of theirs."""
    from django.utils import timezone

    from keyprojects.accounts.models import ApiToken
    from keyprojects.demo import city
    from keyprojects.demo.steps import DemoContext

    ctx = DemoContext(today=timezone.localdate(), password="Bench-pass-1")
    city.load(ctx)
    office = ctx.office_user
    _token, raw = ApiToken.issue(user=office, name="bench")
    return ctx, office, {"authorization": f"Bearer {raw}"}


@contextmanager
def throwaway_database(name: str, *, keep: Path | None = None) -> Iterator[None]:
    """Django set up on an empty, migrated database (a temporary SQLite file, or a database `name` on the
    PostgreSQL server of DATABASE_URL), dropped on the way out; with `keep`, kept for a later look (`EXPLAIN
    ANALYZE` at full size without building again): SQLite's file moved to `keep`, PostgreSQL's database left."""
    with tempfile.TemporaryDirectory(prefix="keyprojects-bench-") as tmp:
        setup_django(Path(tmp))
        from django.db import connection

        sqlite_file = Path(tmp) / "bench.sqlite3"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            str(sqlite_file) if connection.vendor == "sqlite" else name
        )
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        own_name = connection.settings_dict["NAME"]
        try:
            yield
        finally:
            use_database(own_name)  # never another database the run switched to (`use_database`)
            if keep is None:
                connection.creation.destroy_test_db(old_name, verbosity=0)
            else:
                connection.close()
                if connection.vendor == "sqlite":
                    sqlite_file.replace(keep)
                print(
                    f"kept the database: {keep if connection.vendor == 'sqlite' else name}", file=sys.stderr
                )


def project_batches(ctx: Any, size: int, batch: int) -> Iterator[tuple[int, list[Any]]]:
    """The demo generator's projects, unsaved, a batch at a time until the database holds `size`: each batch's
    number and its projects, without the generated codes (they repeat across batches: a caller that needs
    codes numbers them itself). The caller saves a batch before it asks for the next."""
    from keyprojects.demo.projects import build_specs, project_owners
    from keyprojects.projects.models import Project

    while (count := Project.objects.count()) < size:
        specs = build_specs(ctx.place, random.Random(f"bench:{batch}"), ctx.year, ctx.today)[: size - count]
        owners = project_owners(ctx, specs)
        projects = []
        for spec in specs:
            spec.fields.pop("code", None)
            projects.append(
                Project(owner=owners[spec.owner_name], region=ctx.regions[spec.county.code], **spec.fields)
            )
        yield batch, projects
        batch += 1


def analyze() -> None:
    """Planner statistics after a bulk load, as the daily refresh keeps them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def database_copy(suffix: str) -> str:
    """Copy the database as it stands (a file beside the SQLite file, or a database made from it as a
    template on the PostgreSQL server) and answer the copy's name, for `use_database`."""
    from django.db import connection

    source = connection.settings_dict["NAME"]
    connection.close()
    if connection.vendor == "sqlite":
        import sqlite3

        target = str(Path(source).with_name(f"{Path(source).stem}-{suffix}.sqlite3"))
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target
    target = f"{source}_{suffix}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    return target


def drop_database_copy(name: str) -> None:
    from django.db import connection

    if connection.vendor == "sqlite":
        Path(name).unlink(missing_ok=True)
        return
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def use_database(name: str) -> None:
    """Send the next queries to the database `name` (the throwaway one or a copy of it)."""
    from django.db import connection

    if connection.settings_dict["NAME"] != name:
        connection.close()
        connection.settings_dict["NAME"] = name


def write_results(workload: str, payload: dict) -> None:
    """The raw figures, as bench/results/<workload>-<database>.json (not committed)."""
    from django.db import connection

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    body = {"database": database(), "machine": machine(), **payload}
    (out / f"{workload}-{connection.vendor}.json").write_text(json.dumps(body, indent=2, default=str))


def bench_main(
    doc: str,
    database_name: str,
    run: Callable[[list[int], int], list[dict]],
    report: Callable[[list[dict], int], None],
    runs: int,
) -> None:
    """Parse `--sizes` and `--runs`, then run the workload in a throwaway database and report it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=runs)
    args = parser.parse_args()
    with throwaway_database(database_name):
        rows = run(args.sizes, args.runs)
        report(rows, args.runs)
