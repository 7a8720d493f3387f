"""Schemathesis over the whole OpenAPI of a live instance: a throwaway copy of the demo (`keyprojects
migrate` and `loaddemo`, as `make run` builds it) served by the production server on 127.0.0.1
(bench/server.py, as `make serve` runs it), as the city office and as a project owner, each with a
bearer token from `POST /api/v1/auth/token`.

Every answer is checked: no server error, the status code and the body as the schema declares them.
Exits 1 when schemathesis finds anything (its report names the operation and the request to replay).
Bounded: `--max-examples` cases per operation and phase, and `--max-time` seconds per role.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from server import BIN, PROXY_HEADERS, Bench, production_server

CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance"
# The city office (every project of the city) and the owner of two of the demo's projects.
ROLES = {"city": "city", "owner": "owner-aobo"}
DEMO_PASSWORD = "Demo-2024!"  # config.settings.base.PUBLISHED_DEMO_PASSWORD


def token(base: str, username: str) -> str:
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token",
        data=json.dumps({"username": username, "password": DEMO_PASSWORD, "name": "schemathesis"}).encode(),
        headers={"Content-Type": "application/json", **PROXY_HEADERS},
    )
    with urllib.request.urlopen(request, timeout=120) as answer:
        return json.load(answer)["token"]


def fetch_schema(base: str, into: Path) -> Path:
    """The OpenAPI document, fetched once with time to spare (a busy machine builds it slowly)."""
    request = urllib.request.Request(f"{base}/api/v1/openapi.json", headers=PROXY_HEADERS)
    with urllib.request.urlopen(request, timeout=300) as answer:
        into.write_bytes(answer.read())
    return into


def fuzz(base: str, schema: Path, role: str, bearer: str, args: argparse.Namespace, report: Path) -> int:
    headers = [
        f"{name}: {value}" for name, value in {**PROXY_HEADERS, "Authorization": f"Bearer {bearer}"}.items()
    ]
    command = [
        str(BIN / "st"), "run", str(schema), "--url", base,
        "--checks", CHECKS,
        "--phases", args.phases,
        "--max-examples", str(args.max_examples),
        "--max-time", str(args.max_time),
        "--seed", str(args.seed),
        "--workers", "1",
        "--request-timeout", "180",  # the briefing's PDF takes a while on a busy machine
        "--no-color",
        # the tokens' DELETEs would revoke the very token the run uses
        "--exclude-path-regex", "^/api/v1/auth/token",
        "--report", "junit", "--report-junit-path", str(report / f"{role}.xml"),
        *(item for header in headers for item in ("-H", header)),
    ]  # fmt: skip
    print(f"== schemathesis as {role} ({ROLES[role]})", flush=True)
    return subprocess.run(command, check=False).returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=4)
    parser.add_argument("--max-time", type=int, default=120, help="seconds per role")
    parser.add_argument("--phases", default="examples,coverage,fuzzing")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--report-dir", type=Path, default=Path("var/schemathesis"))
    args = parser.parse_args()
    args.report_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="api-fuzz-") as tmp:
        bench = Bench(Path(tmp), "api_fuzz")
        bench.setup()
        try:
            bench.build_demo(
                pages=True
            )  # collected static files: production renders its error pages with them
            with production_server(bench, bench.database_url, workers=2, log_name="server") as server:
                schema = fetch_schema(server.url, Path(tmp) / "openapi.json")
                failed = [
                    role
                    for role, username in ROLES.items()
                    if fuzz(server.url, schema, role, token(server.url, username), args, args.report_dir)
                ]
                errors = server.exceptions()
        finally:
            bench.drop()
    for line, count in errors.items():
        print(f"server logged {count}× {line}")
    if failed or errors:
        sys.exit(
            f"schemathesis found problems as: {', '.join(failed) or '—'}; server exceptions: {len(errors)}"
        )
    print("schemathesis: no server error, every status code and body as the schema says")


if __name__ == "__main__":
    main()
