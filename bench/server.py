"""What the load benchmarks share: a throwaway copy of the demo, the production server (granian with
`config.settings.production`, as `make serve` runs it) on a loopback port against it, and the memory of
a process tree sampled while it runs.

The demo is built the way an operator builds it, `keyprojects migrate` and `keyprojects loaddemo` (the
development settings, as `make run`), in a temporary SQLite file, or, when DATABASE_URL is given, a
temporary database on that PostgreSQL server (`.ci/with-postgres` starts one). The benchmark process
itself runs Django with the same production settings and secret as the server, to prepare data before
the server starts and to count rows after it stops.
"""

import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psutil

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# What the TLS-terminating proxy adds (docs/deploy.md): without it production redirects to HTTPS.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
EXCEPTION_LINE = re.compile(r"^[\w.]+(Error|Exception): ")
DRIVERS = ("sqlite3.", "psycopg.")
APP_FRAME = re.compile(r'File ".*/(?P<path>keyprojects/[^"]+)", line (?P<line>\d+), in (?P<function>\w+)')


@dataclass
class Memory:
    """The resident memory of a process and all its descendants, sampled every `interval` seconds."""

    samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds since start, bytes)
    high_water: dict[int, int] = field(default_factory=dict)  # pid → its own peak (VmHWM), bytes
    processes: int = 0  # the most processes seen at once

    @property
    def peak(self) -> int:
        return max((rss for _, rss in self.samples), default=0)

    @property
    def peak_of_each(self) -> int:
        """The sum of each process's own peak: an upper bound of the tree's peak between samples."""
        return sum(self.high_water.values())


def _high_water(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@contextmanager
def sampled(pid: int, interval: float = 0.2) -> Iterator[Memory]:
    """Sample the tree under `pid` in a thread until the block ends."""
    memory = Memory()
    done = threading.Event()
    root = psutil.Process(pid)
    started = time.monotonic()

    def sample() -> None:
        while True:
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for process in tree:
                try:
                    total += process.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
                memory.high_water[process.pid] = max(
                    memory.high_water.get(process.pid, 0), _high_water(process.pid)
                )
            memory.samples.append((time.monotonic() - started, total))
            memory.processes = max(memory.processes, len(tree))
            if done.wait(interval):
                return

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield memory
    finally:
        done.set()
        thread.join()


def cpu_seconds(pid: int) -> float:
    """User and system CPU time used so far by the process `pid` and its live descendants."""
    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def listen_drops() -> int:
    """Connections the kernel has refused so far because a listening socket's queue was full (the
    client retries its SYN after 1, 3, 7, 15, 31 s …): the machine's counter, TcpExt ListenDrops."""
    lines = [
        line.split()
        for line in Path("/proc/net/netstat").read_text().splitlines()
        if line.startswith("TcpExt:")
    ]
    return int(dict(zip(lines[0], lines[1], strict=True))["ListenDrops"])


def mib(size: float) -> str:
    return f"{size / 2**20:,.0f} MiB"


class Bench:
    """A temporary directory, the database URL of the throwaway demo, and the environment of the
    production settings; Django in this process is set up with them (`setup`)."""

    def __init__(self, workdir: Path, name: str) -> None:
        self.workdir = workdir
        given = os.environ.get("DATABASE_URL", "")
        self.postgres = given.startswith(("postgres://", "postgresql://"))
        self.database_url = (
            urlunsplit(urlsplit(given)._replace(path=f"/{name}"))
            if self.postgres
            else f"sqlite:///{workdir / name}.sqlite3"
        )
        self.secret = secrets.token_urlsafe(64)
        self.field_key = secrets.token_hex(16)

    def env(self, database_url: str | None = None, **extra: str) -> dict[str, str]:
        """The production server's environment (docs/deploy.md) for the database `database_url`."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": self.secret,
            "KEYPROJECTS_FIELD_KEY": self.field_key,
            "DATABASE_URL": database_url or self.database_url,
            "ALLOWED_HOSTS": HOST,
            "STATIC_ROOT": str(self.workdir / "static"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "LOG_LEVEL": "WARNING",
            **extra,
        }

    def setup(self) -> None:
        os.environ.update(self.env())
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.db import connection

        self.name = str(connection.settings_dict["NAME"])  # the demo's database, for use_database
        if self.postgres:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                cursor.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        from django.db import connection

        connection.close()
        if self.postgres:
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')

    def url_of(self, name: str) -> str:
        """The DATABASE_URL of a copy named `name` (runner.database_copy)."""
        if self.postgres:
            return urlunsplit(urlsplit(self.database_url)._replace(path=f"/{name}"))
        return f"sqlite:///{name}"

    def command(self, *args: str, settings: str = "config.settings.production") -> subprocess.Popen:
        env = self.env(DJANGO_SETTINGS_MODULE=settings)
        return subprocess.Popen(
            [str(BIN / "keyprojects"), *args],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def build_demo(self, *, pages: bool = False) -> dict:
        """`keyprojects migrate` and `keyprojects loaddemo` (development settings, as `make run`), and for
        serving pages `keyprojects collectstatic`; each run and measured: seconds and peak memory."""
        from django.db import connection

        connection.close()
        figures = {}
        steps = {
            "migrate": (("migrate", "--no-input", "-v", "0"), "config.settings.dev"),
            "loaddemo": (("loaddemo",), "config.settings.dev"),
        }
        if pages:
            steps["collectstatic"] = (
                ("collectstatic", "--no-input", "-v", "0"),
                "config.settings.production",
            )
        for label, (args, settings) in steps.items():
            started = time.perf_counter()
            process = self.command(*args, settings=settings)
            with sampled(process.pid, interval=0.05) as memory:
                output, _ = process.communicate()
            if process.returncode:
                raise SystemExit(f"keyprojects {' '.join(args)} failed:\n{output}")
            figures[label] = {
                "seconds": round(time.perf_counter() - started, 1),
                "peak_rss": max(memory.peak, memory.peak_of_each),
            }
            print(
                f"{label}: {figures[label]['seconds']} s, peak {mib(figures[label]['peak_rss'])}", flush=True
            )
        return figures


@contextmanager
def demo_bench(name: str) -> Iterator[Bench]:
    """A Bench in a temporary directory, Django set up on its empty database, dropped on the way out."""
    with tempfile.TemporaryDirectory(prefix=f"{name}-") as tmp:
        bench = Bench(Path(tmp), name)
        bench.setup()
        try:
            yield bench
        finally:
            bench.drop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    memory: Memory
    log: Path

    def exceptions(self) -> dict[str, int]:
        """The exceptions the server logged, each with the platform's innermost line it passed
        through, by how often."""
        counts: dict[str, int] = {}
        where = ""
        for line in self.log.read_text(errors="replace").splitlines():
            frame = APP_FRAME.search(line)
            if frame:
                where = f" at {frame['path']}:{frame['line']} {frame['function']}"
            elif EXCEPTION_LINE.match(line) and not line.startswith(DRIVERS):  # Django's wrapper says it too
                key = f"{line[:120]}{where}"
                counts[key] = counts.get(key, 0) + 1
                where = ""
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


@contextmanager
def production_server(
    bench: Bench,
    database_url: str,
    *,
    workers: int,
    blocking_threads: int | None = None,
    backlog: int | None = None,
    log_name: str,
    interval: float = 0.2,
) -> Iterator[Server]:
    """granian serving `config.wsgi` with the production settings on a free loopback port, until the
    block ends; its memory (every process) is sampled meanwhile."""
    port = free_port()
    command = [
        str(BIN / "granian"),
        "--interface", "wsgi", "config.wsgi:application",
        "--host", HOST, "--port", str(port),
        "--workers", str(workers),
        "--log-level", "warning",
    ]  # fmt: skip
    if blocking_threads:
        command += ["--blocking-threads", str(blocking_threads)]
    if backlog:
        command += ["--backlog", str(backlog)]
    log = bench.workdir / f"{log_name}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env=bench.env(database_url), cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait_ready(process, port, workers)
        with sampled(process.pid, interval) as memory:
            yield Server(f"http://{HOST}:{port}", process, memory, log)
    finally:
        _stop(process)


@contextmanager
def task_worker(bench: Bench, database_url: str) -> Iterator[Memory]:
    """`keyprojects db_worker` (the background worker of docs/deploy.md) on the same database until the
    block ends; its memory sampled meanwhile."""
    with (bench.workdir / "db_worker.log").open("w") as out:
        process = subprocess.Popen(
            [str(BIN / "keyprojects"), "db_worker", "--no-startup-delay", "-v", "0"],
            env=bench.env(database_url),
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        with sampled(process.pid) as memory:
            yield memory
    finally:
        _stop(process)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_ready(process: subprocess.Popen, port: int, workers: int, timeout: float = 60) -> None:
    """Until every worker has loaded the application and answers (an HTTP answer from each)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server stopped at once (exit {process.returncode})")
        started = psutil.Process(process.pid).children()
        if len(started) >= workers and _answers(port):
            return
        time.sleep(0.2)
    raise SystemExit("the server did not answer within a minute")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=5) as sock:
            sock.sendall(b"GET /api/v1/projects HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            return sock.recv(12).startswith(b"HTTP/1.1")
    except OSError:
        return False
