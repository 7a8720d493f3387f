"""What the audit trail costs: a monthly report's submission and the project list, with and without it.

The demo city's accounts, `--projects` generated projects (the list), and owners each with a project in this
month's round (a submission each, since a month is submitted once). Each figure is the median of N runs taken in
turns: one submission with the trail, one without, one list page with, one without, N times. "Without" is the
same process with the trail's receivers disconnected and a client whose middleware stack lacks
`AuditMiddleware`. Printed: the medians, the ratio with ÷ without, and the queries and audit records of one
submission.

    .venv/bin/python bench/audit.py [--projects 10000] [--runs 25]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable

from runner import database, demo_city, machine, project_batches, throwaway_database, write_results

AUDIT_MIDDLEWARE = "keyprojects.audit.middleware.AuditMiddleware"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    with throwaway_database("keyprojects_bench_audit"):
        report(run(args.projects, args.runs), args.runs, args.projects)


def run(size: int, runs: int) -> dict:
    from django.conf import settings
    from django.db import connection, transaction
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from surge import add_owners, payload

    from keyprojects.audit import recording
    from keyprojects.audit.models import AuditRecord
    from keyprojects.projects.models import Project

    ctx, office, _bearer = demo_city()
    serial = 0
    for _number, projects in project_batches(ctx, size, 0):
        for project in projects:
            serial += 1
            project.code = f"2401-{project.region.code}-04-01-{serial:06d}"
        with transaction.atomic():
            Project.objects.bulk_create(projects, batch_size=1000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    owners = iter(add_owners(2 * runs + 4, 0))
    month = ctx.today.replace(day=1)

    with_trail = Client()
    with_trail.force_login(office)
    with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m != AUDIT_MIDDLEWARE]):
        without_trail = Client()
        without_trail.force_login(office)
        without_trail.get("/notifications/")  # builds its handler, without the middleware

    def submit(client: Client) -> Callable[[], None]:
        def post() -> None:
            owner = next(owners)
            answer = client.post(
                f"/api/v1/projects/{owner.project_id}/reports",
                payload(owner, month),
                content_type="application/json",
                headers={"authorization": f"Bearer {owner.token}"},
            )
            assert answer.status_code in (200, 201), answer.content

        return post

    def page(client: Client) -> Callable[[], None]:
        def get() -> None:
            assert client.get("/projects/").status_code == 200

        return get

    timed = {
        "submit_with": (submit(with_trail), True),
        "submit_without": (submit(without_trail), False),
        "list_with": (page(with_trail), True),
        "list_without": (page(without_trail), False),
    }
    counts = {}
    for name, (fn, trail) in timed.items():  # warm-up, and the queries and records of one of each
        (recording.connect if trail else recording.disconnect)()
        before = AuditRecord.objects.count()
        with CaptureQueriesContext(connection) as queries:
            fn()
        counts[name] = {"queries": len(queries), "records": AuditRecord.objects.count() - before}
    times: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, (fn, trail) in timed.items():
            (recording.connect if trail else recording.disconnect)()
            started = time.perf_counter()
            fn()
            times[name].append((time.perf_counter() - started) * 1000)
    recording.connect()
    print(f"{size:,} projects, {AuditRecord.objects.count():,} audit records", file=sys.stderr)
    return {
        "medians": {name: statistics.median(values) for name, values in times.items()},
        "counts": counts,
    }


def report(result: dict, runs: int, size: int) -> None:
    medians, counts = result["medians"], result["counts"]
    print(
        f"\nDatabase: {database()}; machine: {machine()}; {size:,} projects; median of {runs} runs in turns"
    )
    print(
        "| request | without the trail (ms) | with it (ms) | with ÷ without | queries without → with | records |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for key, label in (
        ("submit", "report submission `POST /api/v1/projects/{id}/reports`"),
        ("list", "project list `GET /projects/`"),
    ):
        off, on = medians[f"{key}_without"], medians[f"{key}_with"]
        print(
            f"| {label} | {off:.1f} | {on:.1f} | {on / off:.2f} "
            f"| {counts[f'{key}_without']['queries']} → {counts[f'{key}_with']['queries']} "
            f"| {counts[f'{key}_with']['records']} |"
        )
    write_results("audit", {"runs": runs, "projects": size, **result})


if __name__ == "__main__":
    main()
