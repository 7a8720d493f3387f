"""The backup file: one uncompressed tar (the dump and the photos are compressed already) holding the
database dump, the uploaded files under `media/` and, last, `manifest.json`: the format and its version,
when it was taken, the database vendor, the migrations applied, the rows per table, and every other
member's size and SHA-256. Beside it `FILE.sha256`, one line in `sha256sum` format, so `sha256sum -c`
checks the copy anywhere.

Reading extracts every member into a staging directory, hashing it on the way, and compares the whole
file with its `.sha256` and each member with the manifest, before anything of the instance is touched.
"""

import hashlib
import io
import json
import os
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.utils.translation import gettext as _

from keyprojects.core.errors import ApplicationError

FORMAT = "keyprojects-backup"
VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
CHUNK = 1 << 20


@dataclass
class Manifest:
    created_at: str
    vendor: str
    database: str  # the member holding the dump
    migrations: dict[str, list[str]]
    tables: dict[str, int]  # rows per table at the snapshot
    members: dict[str, dict[str, Any]]  # name → {"size", "sha256"}
    checks: dict[str, Any]  # what later verifiers recorded at the snapshot (the audit chain's head)

    def as_json(self) -> bytes:
        return json.dumps(
            {"format": FORMAT, "version": VERSION, **self.__dict__},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        ).encode()

    @property
    def media_files(self) -> list[str]:
        return [name for name in self.members if name.startswith(f"{MEDIA}/")]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checksum_path(path: Path) -> Path:
    return path.with_name(f"{path.name}.sha256")


def media_files(root: Path) -> list[Path]:
    """The regular files under `root` (symbolic links are not followed), in a stable order."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        found += [Path(folder) / name for name in sorted(files) if (Path(folder) / name).is_file()]
    return [path for path in found if not path.is_symlink()]


def write(path: Path, manifest: Manifest, dump: Path, media_root: Path) -> None:
    """The tar at `path` (through `path.partial`, renamed once complete) and its `.sha256`; the manifest
    gets each member's hash as it is added."""
    partial = path.with_name(f"{path.name}.partial")
    try:
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            _add(tar, manifest, dump, manifest.database)
            for file in media_files(media_root):
                _add(tar, manifest, file, f"{MEDIA}/{file.relative_to(media_root).as_posix()}")
            body = manifest.as_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(Path(dump).stat().st_mtime)
            tar.addfile(info, io.BytesIO(body))
        _sync(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    line = f"{sha256_of(path)}  {path.name}\n"
    checksum = checksum_path(path)
    partial_checksum = checksum.with_name(f"{checksum.name}.partial")
    partial_checksum.write_text(line, encoding="ascii")
    _sync(partial_checksum)
    partial_checksum.replace(checksum)


def _add(tar: tarfile.TarFile, manifest: Manifest, file: Path, name: str) -> None:
    with file.open("rb") as handle:
        info = tar.gettarinfo(fileobj=handle, arcname=name)
        hashing = _Hashing(handle)
        tar.addfile(info, hashing)
    manifest.members[name] = {"size": info.size, "sha256": hashing.digest.hexdigest()}


def read(path: Path, staging: Path) -> Manifest:
    """Check `path` against its `.sha256` and extract it into `staging`, every member checked against
    the manifest: the manifest, or ApplicationError saying what is wrong."""
    if not path.is_file():
        raise ApplicationError(_("备份文件 %(path)s 不存在") % {"path": path})
    checksum = checksum_path(path)
    try:
        expected = checksum.read_text(encoding="ascii").split()[0].lower()
    except (OSError, IndexError, UnicodeDecodeError):
        raise ApplicationError(_("缺少校验和文件 %(path)s，无法确认备份完好") % {"path": checksum}) from None
    if sha256_of(path) != expected:
        raise ApplicationError(_("备份文件与校验和不符，文件已损坏或被改动：%(path)s") % {"path": path})
    hashes: dict[str, tuple[int, str]] = {}
    body = b""
    try:
        with tarfile.open(path, "r:") as tar:
            for info in tar:
                name = _safe_name(info)
                source = tar.extractfile(info)
                assert source is not None
                if name == MANIFEST:
                    body = source.read()
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with target.open("wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                hashes[name] = (info.size, digest.hexdigest())
    except (tarfile.TarError, OSError, EOFError) as error:
        raise ApplicationError(_("备份文件无法读取：%(error)s") % {"error": error}) from None
    manifest = _manifest(body)
    listed = {name: (entry["size"], entry["sha256"]) for name, entry in manifest.members.items()}
    wrong = sorted(name for name in listed.keys() | hashes.keys() if listed.get(name) != hashes.get(name))
    if wrong:
        raise ApplicationError(_("备份内容与清单不符：%(names)s") % {"names": "、".join(wrong[:10])})
    return manifest


def _safe_name(info: tarfile.TarInfo) -> str:
    name = PurePosixPath(info.name)
    if not info.isfile() or name.is_absolute() or ".." in name.parts or not name.parts:
        raise ApplicationError(_("备份文件含有不允许的成员：%(name)s") % {"name": info.name})
    return name.as_posix()


def _manifest(body: bytes) -> Manifest:
    try:
        data = json.loads(body)
        if data.pop("format") != FORMAT:
            raise ValueError
    except (ValueError, KeyError, TypeError, AttributeError):
        raise ApplicationError(_("备份文件缺少有效的清单（manifest.json）")) from None
    version = data.pop("version", None)
    if version != VERSION:
        raise ApplicationError(_("不认识的备份格式版本：%(version)s") % {"version": version})
    try:
        return Manifest(**data)
    except TypeError:
        raise ApplicationError(_("备份文件缺少有效的清单（manifest.json）")) from None


def _sync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


class _Hashing:
    """A file read through, hashing what is read."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.digest.update(chunk)
        return chunk
