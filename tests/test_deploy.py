"""Production is one documented step away: `check --deploy` is clean and granian serves the platform,
static files included, under `config.settings.production`."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def production_env(**extra: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        KEYPROJECTS_FIELD_KEY=secrets.token_hex(16),
        DATABASE_URL="postgres://keyprojects:secret@db.internal:5432/keyprojects",
        ALLOWED_HOSTS="zdxm.example.gov.cn",
        CSRF_TRUSTED_ORIGINS="https://zdxm.example.gov.cn",
    )
    env.update(extra)
    return {k: v for k, v in env.items() if v is not None}


def keyprojects(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keyprojects.manage", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
    )  # fmt: skip


def test_check_deploy_is_clean_under_production_settings():
    result = keyprojects("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"KEYPROJECTS_FIELD_KEY": None}, "KEYPROJECTS_FIELD_KEY"),
        ({"KEYPROJECTS_FIELD_KEY": "6b657970726f6a656374732d64657621"}, "KEYPROJECTS_FIELD_KEY"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(override, message):
    result = keyprojects("check", env=production_env(**override))
    assert result.returncode != 0
    assert message in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, **headers: str) -> tuple[int, Message, bytes]:
    """(status, headers looked up case-insensitively, body), without following redirects."""
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:  # against a hang, not a measure
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_granian_serves_the_platform_and_its_static_files(tmp_path):
    env = production_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        ALLOWED_HOSTS="127.0.0.1",
    )
    # gzip and brotli versions of every file (a minute of CPU), and the web font cut if missing
    collected = keyprojects("collectstatic", "--no-input", "-v", "0", env=env, timeout=600)
    assert collected.returncode == 0, collected.stderr
    port = free_port()
    server = subprocess.Popen(
        [BIN / "granian", "--interface", "wsgi", "config.wsgi:application",
         "--host", "127.0.0.1", "--port", str(port), "--workers", "1"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        # Ready when it answers; no stopwatch, which a busy machine would trip. The worker binds the
        # port a moment after it says it started, and a server that exits ends the wait.
        while True:
            try:
                status, headers, _ = fetch(f"{base}/accounts/login/")
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(
                        "granian exited:\n" + (server.stdout.read().decode() if server.stdout else "")
                    )
                time.sleep(0.2)
        # Plain HTTP is sent to HTTPS; behind the TLS proxy the same page is served.
        assert status == 301 and headers["Location"].startswith("https://")
        https = {"X-Forwarded-Proto": "https"}
        status, headers, body = fetch(f"{base}/accounts/login/", **https)
        assert status == 200 and "Strict-Transport-Security" in headers
        for path in (
            "htmx/htmx.min.js",
            "js-lib-bootstrap5/css/bootstrap.min.css",
            "fonts/NotoSansSC-web.woff2",
        ):
            status, headers, body = fetch(f"{base}/static/{path}", **https)
            assert status == 200, path
            assert len(body) > 1000
    finally:
        server.terminate()
        server.wait(timeout=10)
