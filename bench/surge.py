"""The deadline surge: N owners submit this month's report through the API at the same moment, on the
production server, and 10% of them send the same request twice (a client retry, same Idempotency-Key).

On a throwaway copy of the demo (`keyprojects migrate` + `keyprojects loaddemo`) the script adds N owner
accounts, each with its own enterprise, a bearer token and one project of 聊城 in this month's round;
then it starts granian with the production settings against that database, fires every submission at
once from an asyncio load generator (aiohttp) and measures submissions per second, latency and errors
(anything but 201: a replay answers 201 with the first answer's body). Afterwards it counts the rows:
one report per project, one idempotency record per owner, and each replay equal to its first answer.
Each run (owners × workers × threads) starts from its own copy of the demo and a fresh server.

    .venv/bin/python bench/surge.py [--owners 500 2000] [--workers 1 2 4] [--blocking-threads 0 4] [--backlog N]
                                    [--db-worker] [--quick]
"""

import argparse
import asyncio
import datetime
import json
import os
import statistics
import time
from contextlib import nullcontext
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import aiohttp
from runner import database, database_copy, drop_database_copy, machine, use_database, write_results
from server import (
    PROXY_HEADERS,
    Bench,
    Memory,
    cpu_seconds,
    demo_bench,
    listen_drops,
    mib,
    production_server,
    task_worker,
)

CITY = "371500"  # 聊城, the demo city
GOALS = {500: "p95 under 2 s, no error", 2000: "all within 60 s, no error"}


@dataclass(frozen=True)
class Owner:
    user_id: int
    project_id: int
    token: str
    retries: bool  # sends its request twice at once


@dataclass
class Answer:
    owner: Owner
    status: int | None  # None: no HTTP answer (refused, timed out)
    seconds: float
    body: Any


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--owners", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4], help="granian worker processes")
    parser.add_argument(
        "--blocking-threads",
        type=int,
        nargs="+",
        default=[0, 4],
        help="threads per worker (0: granian's default)",
    )
    parser.add_argument("--backlog", type=int, help="granian's queue of connections (default 1024)")
    parser.add_argument("--retry-share", type=float, default=0.1, help="owners who send the request twice")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a client waits for its answer")
    parser.add_argument(
        "--db-worker", action="store_true", help="run the background worker too, and time its catching up"
    )
    parser.add_argument("--quick", action="store_true", help="100 owners, 2 workers × 4 threads only")
    args = parser.parse_args()
    if args.quick:
        args.owners, args.workers, args.blocking_threads = [100], [2], [4]
    with demo_bench("keyprojects_bench_surge") as bench:
        build = bench.build_demo()
        rows = [
            run(bench, owners=owners, workers=workers, threads=threads, args=args)
            for owners in args.owners
            for workers in args.workers
            for threads in args.blocking_threads
        ]
        report(rows, build)


def add_owners(count: int, retry_share: float) -> list[Owner]:
    """`count` owner accounts of 聊城, each with its own enterprise, a token and one project under
    construction in this month's round (opened if the demo has none)."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from keyprojects.accounts.models import ApiToken, Organization, Region, Role, User
    from keyprojects.progress import services
    from keyprojects.progress.models import DispatchRound
    from keyprojects.projects.models import Pipeline, Project, Stage

    today = timezone.localdate()
    city = Region.objects.get(code=CITY)
    counties = list(Region.objects.filter(city=city).exclude(kind=Region.Kind.CITY).order_by("code"))
    every = round(1 / retry_share) if retry_share else 0
    with transaction.atomic():
        enterprises = Organization.objects.bulk_create(
            Organization(
                name=f"冲刺测试{i}号实业有限公司",
                short_name=f"冲刺{i}号",
                kind=Organization.Kind.ENTERPRISE,
                region=counties[i % len(counties)],
            )
            for i in range(count)
        )
        users = User.objects.bulk_create(
            User(
                username=f"surge-owner-{i}",
                full_name=f"冲刺填报员{i}",
                role=Role.PROJECT_OWNER,
                organization=enterprise,
                password=make_password(None),
            )
            for i, enterprise in enumerate(enterprises)
        )
        projects = [
            Project(
                name=f"冲刺测试{i}号项目",
                owner=enterprise,
                region=enterprise.region,
                total_investment=Decimal(20_000),
                annual_investment=Decimal(6_000),
                pipeline=Pipeline.SCHEDULED,
                stage=Stage.UNDER_CONSTRUCTION,
                year=today.year,
                planned_start=datetime.date(today.year, 1, 1),
                actual_start=datetime.date(today.year, 1, 1),
                planned_end=datetime.date(today.year + 1, 12, 31),
            )
            for i, enterprise in enumerate(enterprises)
        ]
        Project.objects.bulk_create(projects)
        dispatch_round = DispatchRound.objects.filter(city=city, year=today.year, month=today.month).first()
        if dispatch_round is None:
            office = User.objects.filter(role=Role.CITY_ADMIN, organization__city=city).first()
            dispatch_round = services.round_open(
                user=office,
                year=today.year,
                month=today.month,
                opens_on=today,
                closes_on=today + datetime.timedelta(days=10),
                project_ids=[p.pk for p in projects],
            )
        else:
            dispatch_round.projects.add(*projects)
        assert dispatch_round.opens_on <= today, "this month's round is not open yet"
        return [
            Owner(
                user.pk,
                project.pk,
                ApiToken.issue(user=user, name="surge")[1],
                bool(every) and i % every == 0,
            )
            for i, (user, project) in enumerate(zip(users, projects, strict=True))
        ]


def payload(owner: Owner, month: datetime.date) -> dict[str, Any]:
    """This month's figures, a little different for each owner (万元)."""
    n = owner.project_id % 50
    return {
        "month": month.strftime("%Y-%m"),
        "construction": f"{60 + n}.50",
        "installation": "20",
        "equipment": "15",
        "other": "5",
        "progress_text": f"主体结构施工至{n % 20 + 1}层",
        "problems": "",
        "workers": 100 + n,
    }


def _session(url: str, timeout: float) -> aiohttp.ClientSession:
    """A client with as many connections as there are requests in flight (each owner its own)."""
    return aiohttp.ClientSession(
        base_url=url,
        connector=aiohttp.TCPConnector(limit=0),
        timeout=aiohttp.ClientTimeout(total=timeout),
        headers=PROXY_HEADERS,
    )


async def fire(
    url: str, owners: list[Owner], month: datetime.date, timeout: float
) -> tuple[list[Answer], float]:
    """Every submission (and each retry beside its first) sent at once; the answers and the seconds
    from the start until the last answer."""
    async with _session(url, timeout) as client:
        go = asyncio.Event()

        async def submit(owner: Owner) -> Answer:
            headers = {
                "Authorization": f"Bearer {owner.token}",
                "Idempotency-Key": f"surge-{owner.project_id}",
            }
            path = f"/api/v1/projects/{owner.project_id}/reports"
            await go.wait()
            started = time.perf_counter()
            try:
                async with client.post(path, json=payload(owner, month), headers=headers) as response:
                    text = await response.text()
            except (aiohttp.ClientError, TimeoutError) as exc:
                return Answer(owner, None, time.perf_counter() - started, repr(exc))
            seconds = time.perf_counter() - started
            try:
                body = json.loads(text)
            except json.JSONDecodeError:
                body = text[:300]
            return Answer(owner, response.status, seconds, body)

        tasks = [asyncio.create_task(submit(o)) for o in owners for _ in range(2 if o.retries else 1)]
        await asyncio.sleep(0.5)  # every task waits at the start line
        started = time.perf_counter()
        go.set()
        answers = await asyncio.gather(*tasks)
        return list(answers), time.perf_counter() - started


async def warm_up(url: str, owners: list[Owner], requests: int) -> None:
    """Reads one by one, then in parallel, so that every worker has loaded its code before the surge."""

    async def read(client: aiohttp.ClientSession, owner: Owner) -> None:
        async with client.get(
            "/api/v1/projects", headers={"Authorization": f"Bearer {owner.token}"}
        ) as response:
            await response.read()

    async with _session(url, 60) as client:
        for owner in owners[:requests]:
            await read(client, owner)
        await asyncio.gather(*(read(client, owner) for owner in owners[:requests]))


def check(owners: list[Owner], answers: list[Answer], month: datetime.date) -> dict[str, Any]:
    """What the database holds afterwards, and whether the answers agree with it."""
    from django.db.models import Count

    from keyprojects.core.models import IdempotencyRecord
    from keyprojects.progress.models import MonthlyReport

    projects = [o.project_id for o in owners]
    per_project: dict[int, list[int]] = {}
    for project_id, report_id in MonthlyReport.objects.filter(
        project_id__in=projects, month=month
    ).values_list("project_id", "id"):
        per_project.setdefault(project_id, []).append(report_id)
    records = dict(
        IdempotencyRecord.objects.filter(user_id__in=[o.user_id for o in owners], scope="reports:create")
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    by_owner: dict[int, list[Answer]] = {}
    for answer in answers:
        by_owner.setdefault(answer.owner.project_id, []).append(answer)
    wrong_id = [
        a
        for a in answers
        if a.status == 201 and per_project.get(a.owner.project_id, [None])[0] != a.body.get("id")
    ]
    retried = [pair for pair in by_owner.values() if len(pair) == 2]
    consistent = [
        pair for pair in retried if pair[0].status == pair[1].status == 201 and pair[0].body == pair[1].body
    ]
    return {
        "reports": sum(len(ids) for ids in per_project.values()),
        "missing": sum(1 for p in projects if p not in per_project),
        "doubled": sum(1 for ids in per_project.values() if len(ids) > 1),
        "idempotency_records": sum(records.values()),
        "owners_without_one_record": sum(1 for o in owners if records.get(o.user_id) != 1),
        "answers_naming_another_report": len(wrong_id),
        "retried": len(retried),
        "replays_consistent": len(consistent),
    }


def queued_tasks(waiting: bool = False) -> int:
    """The background tasks in the database: all of them, or those still waiting for the worker."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.all()
    return (tasks.filter(status=TaskResultStatus.READY) if waiting else tasks).count()


def drained(deadline: float) -> float | None:
    """Seconds until no task waits for the worker (None: still waiting after `deadline` seconds)."""
    from django.db import connection

    started = time.perf_counter()
    while time.perf_counter() - started < deadline:
        waiting = queued_tasks(waiting=True)
        connection.close()
        if not waiting:
            return time.perf_counter() - started
        time.sleep(1)
    return None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


@dataclass
class Measured:
    answers: list[Answer]
    wall: float  # seconds from the start until the last answer
    server_cpu: float  # CPU seconds of the server's processes meanwhile
    client_cpu: float  # and of this process (the load generator)
    load: tuple[float, float]  # load average (1 minute) before and after
    listen_drops: int  # connections refused by the kernel meanwhile (a full queue), retried by the clients
    idle_rss: int  # the server's memory after the warm-up
    memory: Memory
    exceptions: dict[str, int]
    worker: Memory | None  # the background worker's memory, when it ran
    caught_up: float | None  # seconds from the start until the worker had done every task


def surge(
    bench: Bench,
    database_url: str,
    owners: list[Owner],
    month: datetime.date,
    *,
    workers: int,
    threads: int,
    label: str,
    args: argparse.Namespace,
) -> Measured:
    """Start the server (and the worker) on the database, warm it up, fire every submission at once."""
    with (
        production_server(
            bench,
            database_url,
            workers=workers,
            blocking_threads=threads or None,
            backlog=args.backlog,
            log_name=label,
        ) as server,
        task_worker(bench, database_url) if args.db_worker else nullcontext() as worker,
    ):
        asyncio.run(warm_up(server.url, owners, 4 * workers))  # the worker starts meanwhile
        idle = server.memory.samples[-1][1] if server.memory.samples else 0
        load, drops = os.getloadavg()[0], listen_drops()
        server_cpu, client_cpu = cpu_seconds(server.process.pid), time.process_time()
        answers, wall = asyncio.run(fire(server.url, owners, month, args.timeout))
        server_cpu = cpu_seconds(server.process.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        loads, drops = (load, os.getloadavg()[0]), listen_drops() - drops
        time.sleep(0.5)  # one more memory sample after the last answer
        catching_up = drained(600) if worker else None
    return Measured(
        answers,
        wall,
        server_cpu,
        client_cpu,
        loads,
        drops,
        idle,
        server.memory,
        server.exceptions(),
        worker,
        None if catching_up is None else wall + catching_up,
    )


def run(bench: Bench, *, owners: int, workers: int, threads: int, args: argparse.Namespace) -> dict[str, Any]:
    """One surge on a fresh copy of the demo: prepare the owners, fire, count the rows."""
    from django.db import connection
    from django.utils import timezone

    from keyprojects.progress.selectors import month_start

    label = f"surge_{owners}_{workers}w_{threads or 'default'}t"
    copy = database_copy(label)
    use_database(copy)
    try:
        started = time.perf_counter()
        people = add_owners(owners, args.retry_share)
        tasks_before = queued_tasks()
        prepared = time.perf_counter() - started
        connection.close()
        month = month_start(timezone.localdate())
        m = surge(
            bench, bench.url_of(copy), people, month, workers=workers, threads=threads, label=label, args=args
        )
        rows = check(people, m.answers, month)
        tasks_queued = queued_tasks() - tasks_before
    finally:
        connection.close()
        drop_database_copy(copy)
        use_database(bench.name)
    seconds = [a.seconds for a in m.answers]
    errors = [a for a in m.answers if a.status != 201]
    result = {
        "owners": owners,
        "requests": len(m.answers),
        "workers": workers,
        "blocking_threads": threads or "granian default",
        "prepare_s": round(prepared, 1),
        "wall_s": round(m.wall, 2),
        "submissions_per_s": round(rows["reports"] / m.wall, 1),
        "requests_per_s": round(len(m.answers) / m.wall, 1),
        "p50_s": round(statistics.median(seconds), 3),
        "p95_s": round(percentile(seconds, 0.95), 3),
        "max_s": round(max(seconds), 3),
        "errors": len(errors),
        "listen_drops": m.listen_drops,
        "backlog": args.backlog or "granian default",
        "error_kinds": _kinds(errors),
        "server_exceptions": m.exceptions,
        "rows": rows,
        "rows_ok": rows["missing"] == rows["doubled"] == rows["answers_naming_another_report"] == 0
        and rows["owners_without_one_record"] == 0
        and rows["replays_consistent"] == rows["retried"],
        "tasks_queued": tasks_queued,
        "db_worker": m.worker is not None,
        "worker_caught_up_s": None if m.caught_up is None else round(m.caught_up, 1),
        "worker_peak_rss": m.worker.peak if m.worker else None,
        "server_cpu_ms_per_request": round(1000 * m.server_cpu / len(m.answers), 1),
        "client_cpu_ms_per_request": round(1000 * m.client_cpu / len(m.answers), 1),
        "server_idle_rss": m.idle_rss,
        "server_peak_rss": m.memory.peak,
        "server_peak_of_each": m.memory.peak_of_each,
        "server_processes": m.memory.processes,
        "load_before": round(m.load[0], 2),
        "load_after": round(m.load[1], 2),
    }
    print(_line(result), flush=True)
    return result


def _kinds(errors: list[Answer]) -> dict[str, int]:
    kinds: dict[str, int] = {}
    for answer in errors:
        detail = answer.body if answer.status is None else f"{answer.status} {str(answer.body)[:120]}"
        kinds[detail] = kinds.get(detail, 0) + 1
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1])[:5])


def _line(r: dict[str, Any]) -> str:
    return (
        f"{r['owners']:>5} owners ({r['requests']} requests), {r['workers']} workers × "
        f"{r['blocking_threads']} threads: {r['wall_s']} s, {r['submissions_per_s']} submissions/s, "
        f"p50 {r['p50_s']} s, p95 {r['p95_s']} s, max {r['max_s']} s, {r['errors']} errors, "
        f"{r['listen_drops']} connections dropped by the kernel, rows "
        f"{'ok' if r['rows_ok'] else 'WRONG'}, server peak {mib(r['server_peak_rss'])} "
        f"({r['server_processes']} processes), CPU per request: server {r['server_cpu_ms_per_request']} ms, "
        f"client {r['client_cpu_ms_per_request']} ms; load {r['load_before']}→{r['load_after']}"
    )


def report(rows: list[dict[str, Any]], build: dict) -> None:
    print(f"\n{database()} — {machine()}")
    print(
        f"demo built by: migrate {build['migrate']['seconds']} s; loaddemo {build['loaddemo']['seconds']} s, "
        f"peak {mib(build['loaddemo']['peak_rss'])}"
    )
    print()
    print(
        "| owners | requests | workers × threads | wall (s) | submissions/s | p50 (s) | p95 (s) | max (s) | errors "
        "| SYNs dropped | rows | server peak RSS | server CPU per request (ms) | load |"
    )
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |")
    for r in rows:
        print(
            f"| {r['owners']:,} | {r['requests']:,} | {r['workers']} × {r['blocking_threads']}"
            f"{' + db_worker' if r['db_worker'] else ''} | {r['wall_s']} | "
            f"{r['submissions_per_s']} | {r['p50_s']} | {r['p95_s']} | {r['max_s']} | {r['errors']} | "
            f"{r['listen_drops']} | {'ok' if r['rows_ok'] else 'WRONG'} | {mib(r['server_peak_rss'])} | "
            f"{r['server_cpu_ms_per_request']} | {r['load_before']}–{r['load_after']} |"
        )
    for r in rows:
        if r["errors"]:
            print(f"errors of {r['owners']} owners, {r['workers']} workers: {r['error_kinds']}")
            print(f"  the server logged: {r['server_exceptions']}")
        if not r["rows_ok"]:
            print(f"rows of {r['owners']} owners, {r['workers']} workers: {r['rows']}")
    for owners, goal in GOALS.items():
        for r in (r for r in rows if r["owners"] == owners):
            met = (
                r["errors"] == 0 and r["rows_ok"] and (r["p95_s"] < 2 if owners == 500 else r["wall_s"] <= 60)
            )
            print(
                f"goal {owners} owners ({goal}), {r['workers']} workers × {r['blocking_threads']}: "
                f"{'met' if met else 'NOT met'}"
            )
    write_results("surge", {"build": build, "runs": rows})


if __name__ == "__main__":
    main()
