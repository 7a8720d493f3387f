"""`keyprojects backup` of a live instance while owners submit reports, and `keyprojects restore` of it into
an empty one: every row and every file as the snapshot holds them; a damaged archive or an instance in use
refused, with nothing changed."""

import datetime
import hashlib
import shutil
import subprocess
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO

import pytest

from .instance import drop, new_instance, reports_without_events, submit

pytestmark = pytest.mark.durability

# Rows a running server rewrites after they are first written (who last signed in, a queued task's state):
# compared by their ids only.
REWRITTEN = {"django_session", "axes_accessattempt"}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("backup")


@pytest.fixture
def source(tmp_path, seeded_template):
    instance = new_instance(tmp_path, "keyprojects_backup_source", like=seeded_template[0])
    yield instance
    drop(instance)


@pytest.fixture
def target(tmp_path):
    instance = new_instance(tmp_path, "keyprojects_backup_target")
    yield instance
    drop(instance)


def files_of(instance) -> dict[str, str]:
    return {
        path.relative_to(instance.media).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in instance.media.rglob("*")
        if path.is_file()
    }


def test_a_backup_taken_during_a_burst_of_reports_restores_every_row_and_file(
    source, target, seeded_template
):
    owners = seeded_template[1][:60]
    month = datetime.date.today().replace(day=1).strftime("%Y-%m")
    acknowledged: dict[int, float] = {}  # project id → when its 201 came
    archive = source.bench.workdir / "live.tar"
    with source.server() as server, ThreadPoolExecutor(8) as pool:

        def one(owner: dict) -> None:
            if submit(server.url, owner, month) == 201:
                acknowledged[owner["project_id"]] = time.monotonic()

        first = [pool.submit(one, owner) for owner in owners[:30]]
        for future in first[:10]:
            future.result()
        started = time.monotonic()
        backup = source.popen("backup", str(archive))
        rest = [pool.submit(one, owner) for owner in owners[30:]]
        out, err = backup.communicate(timeout=120)
        for future in first + rest:
            future.result()
    assert backup.returncode == 0, out + err
    assert str(archive) in out
    assert len(acknowledged) == len(owners)

    done = target.keyprojects("restore", str(archive))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "已恢复" in done.stdout and "上传文件 3 个" in done.stdout

    restored, live = target.tables(), source.tables()
    assert restored.keys() == live.keys()
    for table, rows in restored.items():
        if table in REWRITTEN:
            continue
        assert rows <= live[table], f"{table}: rows the source never held"
    reports = {
        row[0]
        for row in target.query(f"SELECT project_id FROM progress_monthlyreport WHERE month = '{month}-01'")
    }
    before = {project for project, at in acknowledged.items() if at < started}
    assert before <= reports, "a report acknowledged before the backup began is missing"
    assert reports <= set(acknowledged)
    assert reports_without_events(target) == []
    assert files_of(target) == files_of(source)
    checked = subprocess.run(
        ["sha256sum", "-c", "live.tar.sha256"], cwd=archive.parent, capture_output=True, text=True
    )
    assert checked.stdout == "live.tar: OK\n"


@pytest.fixture(scope="module")
def taken(workdir, seeded_template):
    """A seeded instance and a backup of it, shared by the refusals below."""
    instance = new_instance(workdir, "keyprojects_backup_taken", like=seeded_template[0])
    done = instance.keyprojects("backup")
    assert done.returncode == 0, done.stdout + done.stderr
    (archive,) = (instance.bench.workdir / "backups").glob("keyprojects-*.tar")
    yield instance, archive
    drop(instance)


def copy_of(archive, workdir, name: str):
    copy = workdir / name
    shutil.copy(archive, copy)
    (workdir / f"{name}.sha256").write_text(
        (archive.parent / f"{archive.name}.sha256").read_text().replace(archive.name, name)
    )
    return copy


def untouched(instance) -> bool:
    return instance.tables() == {} and files_of(instance) == {}


def test_a_damaged_archive_is_refused_before_anything_is_touched(
    taken, target, workdir, migrated_template, tmp_path
):
    _, archive = taken
    flipped = copy_of(archive, workdir, "flipped.tar")
    data = bytearray(flipped.read_bytes())
    data[len(data) // 2] ^= 0xFF
    flipped.write_bytes(bytes(data))
    done = target.keyprojects("restore", str(flipped))
    assert done.returncode == 1
    assert "未恢复：备份文件与校验和不符，文件已损坏或被改动" in done.stderr

    (workdir / "flipped.tar.sha256").unlink()
    done = target.keyprojects("restore", str(flipped))
    assert "缺少校验和文件" in done.stderr

    # a photo replaced and the checksum written anew: the manifest still knows the photo's hash
    forged = workdir / "forged.tar"
    with tarfile.open(archive) as source, tarfile.open(forged, "w") as out:
        for info in source:
            body = source.extractfile(info).read()
            if info.name == "media/reports/seed/photo-0.jpg":
                body = b"x" * len(body)
            out.addfile(info, BytesIO(body))
    (workdir / "forged.tar.sha256").write_text(
        f"{hashlib.sha256(forged.read_bytes()).hexdigest()}  forged.tar\n"
    )
    done = target.keyprojects("restore", str(forged))
    assert "备份内容与清单不符：media/reports/seed/photo-0.jpg" in done.stderr
    assert untouched(target)

    # an instance `migrate` has prepared, holding nothing yet, takes the backup
    migrated = new_instance(tmp_path, "keyprojects_backup_migrated", like=migrated_template)
    try:
        done = migrated.keyprojects("restore", str(archive))
        assert done.returncode == 0, done.stdout + done.stderr
        assert files_of(migrated) == files_of(taken[0])
        assert migrated.tables() == taken[0].tables()
    finally:
        drop(migrated)


def test_an_instance_in_use_is_refused(taken, target):
    instance, archive = taken
    before = instance.tables()
    done = instance.keyprojects("restore", str(archive))
    assert done.returncode == 1
    assert "目标实例不是空的：数据表" in done.stderr and "请在新建的空数据库上恢复" in done.stderr
    assert instance.tables() == before

    (target.media / "left-over.txt").write_text("x")
    done = target.keyprojects("restore", str(archive))
    assert "目标实例不是空的：上传文件目录" in done.stderr
    assert target.tables() == {}


def test_the_backup_never_overwrites_a_file(taken):
    instance, archive = taken
    done = instance.keyprojects("backup", str(archive))
    assert done.returncode == 1
    assert "已存在，不会覆盖" in done.stderr
