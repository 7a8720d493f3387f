"""Ordinary traffic for a long time on the production server, to show that its memory does not grow.

On a throwaway copy of the demo (`keyprojects migrate` + `keyprojects loaddemo`), signed-in users of every
role browse in a loop: the project list, one of their projects' pages, the rates page, the warnings page
and the API's project list (with a bearer token), each user pausing between rounds; beside them the war room's
wall screens (the city office's and the leader's) load the wall page once and then refresh it as its script
does, asking the dashboard's API again every few seconds (every five minutes on a real wall; more often here, so
that an hour holds hundreds of refreshes). The resident memory of
every process of the server is sampled meanwhile; at the end the script prints it at the start, after the
warm-up, at the end and at its peak, and its slope (least squares) from the warm-up on.

    .venv/bin/python bench/soak.py [--minutes 60] [--users 6] [--pause 1] [--walls 2] [--wall-every 5]
                                   [--workers 2] [--blocking-threads 4]
"""

import argparse
import asyncio
import os
import random
import statistics
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from runner import database, machine, write_results
from server import PROXY_HEADERS, Memory, Server, demo_bench, mib, production_server

# Who browses: the city office and leader, a county, a department, two owners and the province office.
ACCOUNTS = ["city", "leader", "dongchangfu", "ziranziyuan", "owner-xinfa", "owner-langchao", "province"]
PAGES = ["list", "project", "rates", "warnings", "api"]
# The wall screens: the accounts that keep one open, the page they load once and what they refresh.
WALL_ACCOUNTS = ["city", "leader"]
WALL_PAGES = {"wall": "/dashboard/wall/", "wall api": "/api/v1/dashboard"}


@dataclass(frozen=True)
class Visitor:
    username: str
    cookie: str
    token: str
    projects: list[int]


@dataclass
class Traffic:
    seconds: dict[str, list[float]] = field(
        default_factory=lambda: {page: [] for page in [*PAGES, *WALL_PAGES]}
    )
    errors: dict[str, int] = field(default_factory=dict)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--users", type=int, default=6, help="users browsing at the same time")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds each user waits between rounds")
    parser.add_argument("--walls", type=int, default=2, help="war-room wall screens open at the same time")
    parser.add_argument(
        "--wall-every", type=float, default=5.0, help="seconds between a wall screen's refreshes"
    )
    parser.add_argument("--workers", type=int, default=2, help="granian worker processes")
    parser.add_argument(
        "--blocking-threads", type=int, default=4, help="threads per worker (0: granian's default)"
    )
    parser.add_argument("--sample", type=float, default=10, help="seconds between memory samples")
    args = parser.parse_args()
    with demo_bench("keyprojects_bench_soak") as bench:
        build = bench.build_demo(pages=True)
        visitors = sign_in(ACCOUNTS)
        from django.db import connection

        connection.close()
        with production_server(
            bench,
            bench.database_url,
            workers=args.workers,
            blocking_threads=args.blocking_threads or None,
            log_name="soak",
            interval=args.sample,
        ) as server:
            check_signed_in(server, visitors)
            load = [os.getloadavg()[0]]
            traffic = asyncio.run(browse(server.url, visitors, args, server.memory, load))
            memory = server.memory
        report(memory, traffic, build, args, load)


def sign_in(usernames: list[str]) -> list[Visitor]:
    """A session for each account, as a login makes it, a bearer token, and the projects it sees."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from keyprojects.accounts.models import ApiToken, User
    from keyprojects.projects.permissions import visible_projects

    visitors = []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "keyprojects.accounts.backends.AccountBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        _, token = ApiToken.issue(user=user, name="soak")
        projects = list(visible_projects(user).values_list("pk", flat=True)[:200])
        visitors.append(Visitor(user.username, f"sessionid={session.session_key}", token, projects))
    assert len(visitors) == len(usernames), "an account of the demo is missing"
    return visitors


def check_signed_in(server: Server, visitors: list[Visitor]) -> None:
    """Stop at once, rather than after an hour of redirects, when a session does not sign its user in."""
    opener = urllib.request.build_opener(NoRedirect)
    for visitor in visitors:
        request = urllib.request.Request(
            f"{server.url}/projects/", headers={"Cookie": visitor.cookie, **PROXY_HEADERS}
        )
        try:
            status = opener.open(request).status
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(
                f"{visitor.username}'s session does not sign in: /projects/ answers {status}; "
                f"the server logged {server.exceptions() or 'nothing'}"
            )


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


def _path(page: str, visitor: Visitor, rng: random.Random) -> tuple[str, dict[str, str]]:
    if page == "api":
        return "/api/v1/projects?limit=50", {"Authorization": f"Bearer {visitor.token}"}
    paths = {
        "list": "/projects/",
        "project": f"/projects/{rng.choice(visitor.projects)}/",
        "rates": "/metrics/",
        "warnings": "/alerts/",
    }
    return paths[page], {"Cookie": visitor.cookie}


async def browse(
    url: str, visitors: list[Visitor], args: argparse.Namespace, memory: Memory, load: list[float]
) -> Traffic:
    """`args.users` users, each with an account of `visitors` in turn, browsing until the time is up;
    a line of progress every minute."""
    traffic = Traffic()
    started = time.monotonic()
    end = started + args.minutes * 60

    async def get(client: aiohttp.ClientSession, page: str, path: str, headers: dict[str, str]) -> None:
        before = time.perf_counter()
        try:
            async with client.get(path, headers=headers, allow_redirects=False) as response:
                await response.read()
                status: int | str = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            status = type(exc).__name__
        if status == 200:
            traffic.seconds[page].append(time.perf_counter() - before)
        else:
            key = f"{page} {status}"
            traffic.errors[key] = traffic.errors.get(key, 0) + 1

    async def user(number: int, client: aiohttp.ClientSession) -> None:
        visitor = visitors[number % len(visitors)]
        rng = random.Random(number)
        await asyncio.sleep(rng.random() * args.pause)  # not all in step
        while time.monotonic() < end:
            for page in PAGES:
                await get(client, page, *_path(page, visitor, rng))
            await asyncio.sleep(args.pause)

    async def wall(number: int, client: aiohttp.ClientSession) -> None:
        """A wall screen: the page once, then the dashboard's API every `args.wall_every` seconds."""
        username = WALL_ACCOUNTS[number % len(WALL_ACCOUNTS)]
        visitor = next(v for v in visitors if v.username == username)
        headers = {"Cookie": visitor.cookie}
        await get(client, "wall", WALL_PAGES["wall"], headers)
        while time.monotonic() < end:
            await asyncio.sleep(args.wall_every)
            await get(client, "wall api", WALL_PAGES["wall api"], headers)

    async def progress() -> None:
        while time.monotonic() < end:
            await asyncio.sleep(min(60, max(0.0, end - time.monotonic())))
            load.append(os.getloadavg()[0])
            done = sum(len(s) for s in traffic.seconds.values())
            rss = memory.samples[-1][1] if memory.samples else 0
            print(
                f"{(time.monotonic() - started) / 60:5.1f} min: {done:,} requests, "
                f"{sum(traffic.errors.values())} errors, server {mib(rss)}, load {load[-1]:.2f}",
                flush=True,
            )

    connector = aiohttp.TCPConnector(limit=args.users + args.walls)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(
        base_url=url, connector=connector, timeout=timeout, headers=PROXY_HEADERS
    ) as c:
        await asyncio.gather(
            progress(), *(user(n, c) for n in range(args.users)), *(wall(n, c) for n in range(args.walls))
        )
    return traffic


def slope_per_hour(points: list[tuple[float, int]]) -> float:
    """Least-squares slope of (seconds, bytes), in bytes per hour."""
    if len(points) < 2:
        return 0.0
    mean_t = statistics.fmean(t for t, _ in points)
    mean_b = statistics.fmean(b for _, b in points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    return 3600 * sum((t - mean_t) * (b - mean_b) for t, b in points) / spread if spread else 0.0


def report(
    memory: Memory, traffic: Traffic, build: dict, args: argparse.Namespace, load: list[float]
) -> None:
    samples = memory.samples
    warm_up = min(60.0, args.minutes * 30)  # the first minute, or the first half of a shorter run
    after = [(t, rss) for t, rss in samples if t >= warm_up] or samples
    requests = sum(len(s) for s in traffic.seconds.values())
    figures: dict[str, Any] = {
        "minutes": args.minutes,
        "users": args.users,
        "pause_s": args.pause,
        "walls": args.walls,
        "wall_every_s": args.wall_every,
        "workers": args.workers,
        "blocking_threads": args.blocking_threads or "granian default",
        "requests": requests,
        "requests_per_s": round(requests / (args.minutes * 60), 1),
        "errors": traffic.errors,
        "latency_ms": {
            page: {
                "p50": round(1000 * statistics.median(s), 1),
                "p95": round(1000 * sorted(s)[int(0.95 * (len(s) - 1))], 1),
            }
            for page, s in traffic.seconds.items()
            if s
        },
        "rss_start": samples[0][1],
        "rss_after_warm_up": after[0][1],
        "rss_last": samples[-1][1],
        "rss_peak": memory.peak,
        "rss_peak_of_each": memory.peak_of_each,
        "slope_per_hour": round(slope_per_hour(after)),
        "slope_per_hour_second_half": round(slope_per_hour(after[len(after) // 2 :])),
        "processes": memory.processes,
        "samples": len(samples),
        "load": {"min": min(load), "max": max(load)},
        "loaddemo": build["loaddemo"],
    }
    print(f"\n{database()} — {machine()}")
    print(
        f"{args.minutes:g} min, {args.users} users (pause {args.pause:g} s), {args.walls} wall screens "
        f"(every {args.wall_every:g} s), {args.workers} workers × "
        f"{figures['blocking_threads']} threads: {requests:,} requests ({figures['requests_per_s']}/s), "
        f"errors {traffic.errors or 0}; load average {min(load):.2f}–{max(load):.2f}"
    )
    for page, latency in figures["latency_ms"].items():
        print(f"  {page:<9} p50 {latency['p50']} ms, p95 {latency['p95']} ms")
    print(
        f"server memory (all {memory.processes} processes, RSS): start {mib(samples[0][1])}, after warm-up "
        f"{mib(after[0][1])}, last {mib(samples[-1][1])}, peak {mib(memory.peak)}; slope from the warm-up on "
        f"{figures['slope_per_hour'] / 2**20:+.1f} MiB/hour (second half "
        f"{figures['slope_per_hour_second_half'] / 2**20:+.1f} MiB/hour)"
    )
    print(
        f"keyprojects loaddemo: peak {mib(build['loaddemo']['peak_rss'])} in {build['loaddemo']['seconds']} s"
    )
    write_results("soak", {**figures, "samples_mib": [(round(t), round(b / 2**20, 1)) for t, b in samples]})


if __name__ == "__main__":
    main()
