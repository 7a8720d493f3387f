"""The server's processes killed (SIGKILL, as a crash or the OOM killer stops them) in a burst of report
submissions, and an import killed while it writes: after the restart nothing acknowledged is lost, nothing is
half-written or doubled, the kept tables equal their rebuild, and the database's own integrity check passes."""

import datetime
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from keyprojects.sheets.tests.test_import import HEADERS, row
from keyprojects.sheets.tests.workbooks import workbook

from .instance import drop, kill_tree, new_instance, reports_without_events, submit

pytestmark = pytest.mark.durability

KEPT = ("progress_figureinforce", "projects_projecttally")


@pytest.fixture
def instance(tmp_path, seeded_template):
    made = new_instance(tmp_path, "keyprojects_crash", like=seeded_template[0])
    yield made
    drop(made)


def integrity(instance) -> list[tuple]:
    """What the database's check finds: SQLite's integrity_check; on PostgreSQL amcheck over every index of
    the platform's tables (each heap read through its index)."""
    if not instance.bench.postgres:
        return instance.query("PRAGMA integrity_check")
    instance.query("CREATE EXTENSION IF NOT EXISTS amcheck")
    checked = instance.query(
        "SELECT bt_index_check(c.oid, true)::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam "
        "WHERE n.nspname = 'public' AND a.amname = 'btree'"
    )
    assert checked, "no index checked"
    return [("ok",)]


def kept_tables_match_their_rebuild(instance) -> None:
    def kept() -> dict[str, list[tuple]]:
        return {name: sorted(row[1:] for row in instance.query(f'SELECT * FROM "{name}"')) for name in KEPT}

    before = kept()
    done = instance.keyprojects("rebuild")
    assert done.returncode == 0, done.stderr
    assert kept() == before


def test_a_server_killed_during_a_burst_keeps_every_acknowledged_report_once(instance, seeded_template):
    owners = seeded_template[1]
    month = datetime.date.today().replace(day=1).strftime("%Y-%m")
    answers: dict[int, int | None] = {}
    with instance.server("killed") as server, ThreadPoolExecutor(12) as pool:

        def one(owner: dict) -> None:
            answers[owner["project_id"]] = submit(server.url, owner, month)

        futures = [pool.submit(one, owner) for owner in owners]
        while sum(status == 201 for status in answers.values()) < 20:
            time.sleep(0.05)
        kill_tree(server.process.pid)
        for future in futures:
            future.result()
    acknowledged = {project for project, status in answers.items() if status == 201}
    assert 20 <= len(acknowledged) < len(owners), "the kill came after the burst"

    assert integrity(instance) == [("ok",)]
    reports = instance.query(
        f"SELECT project_id, count(*) FROM progress_monthlyreport WHERE month = '{month}-01' GROUP BY project_id"
    )
    assert acknowledged <= {project for project, _ in reports}
    assert all(count == 1 for _, count in reports)
    assert reports_without_events(instance) == []
    kept_tables_match_their_rebuild(instance)

    # every owner sends again with the same Idempotency-Key: each report exists once
    with instance.server("restarted") as server, ThreadPoolExecutor(12) as pool:
        again = list(pool.map(lambda owner: submit(server.url, owner, month), owners))
    assert set(again) == {201}
    reports = instance.query(
        f"SELECT project_id, count(*) FROM progress_monthlyreport WHERE month = '{month}-01' GROUP BY project_id"
    )
    assert len(reports) == len(owners) and all(count == 1 for _, count in reports)
    assert integrity(instance) == [("ok",)]


def test_an_import_killed_while_writing_writes_nothing_and_runs_again_whole(instance, tmp_path):
    year = datetime.date.today().year
    sheet = tmp_path / "list.xlsx"
    sheet.write_bytes(
        workbook(
            [
                HEADERS,
                *(row(n, f"批量项目{n}", **{"建设起止年限": f"{year}-{year + 1}"}) for n in range(1, 801)),
            ]
        )
    )
    imported = "SELECT count(*) FROM projects_project WHERE name LIKE '批量项目%'"
    process = instance.popen("import-projects", str(sheet), "--user", "guanxian")
    seen = ""
    while "写入 [" not in seen:
        char = process.stderr.read(1)
        assert char, f"the import ended before it wrote: {seen}"
        seen += char
    kill_tree(process.pid)
    process.wait()
    assert process.returncode == -9

    assert integrity(instance) == [("ok",)]
    assert instance.query(imported) == [(0,)]
    kept_tables_match_their_rebuild(instance)

    done = instance.keyprojects("import-projects", str(sheet), "--user", "guanxian", "--no-progress")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "新建 800 个" in done.stdout
    assert instance.query(imported) == [(800,)]
    kept_tables_match_their_rebuild(instance)
