"""Importing a project list from a workbook: every row checked by the project form's own rules, then all
written or nothing.

1. The first sheet with a 项目名称 column is read (`reading.find_table`); rows of 序号 (1, 2, 3…), 合计 and
   group headings (一、产业项目) are skipped, as are blank ones.
2. Each row is read into field values (`parsing.RowReader`) and matched with a project the user sees: by
   unified code, else by name and region. Two rows of the same project are an error.
3. Each row is checked as the project form would be (`projects.services.project_check_new` /
   `project_check_update`), nothing written: every error is reported, naming the row and the column as the
   file names it, in the user's language.
4. With no error (and no dry run), the rows are written in one transaction through `project_create` and
   `project_update` — history and events as for a form edit — or not at all.

A blank cell leaves the field as it is (on a new project, its default). The stage and pipeline of an existing
project change on its page (a move may need a reason), never by an import; a new project listed as 暂缓 or
退出 is created, then moved there with its 阶段说明 as the reason, as the project page would.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from keyprojects.accounts.models import User
from keyprojects.accounts.selectors import require_city
from keyprojects.audit.context import background_context
from keyprojects.core.errors import ApplicationError
from keyprojects.core.events import hold_back
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects import services as project_services
from keyprojects.projects.lifecycle import REASON_STAGES
from keyprojects.projects.models import Project, project_field
from keyprojects.projects.tallies import tallies_held
from keyprojects.projects.vocabulary import Vocabulary, city_vocabulary

from . import permissions
from .columns import BY_KEY, header_matcher
from .models import ImportJob, JobStatus
from .parsing import RowReader
from .reading import Table, check_package, find_table, iter_cells, open_sheets, skipped_row
from .tasks import run_project_import

Progress = Callable[[int, int, str], None]  # (rows done, rows in all, phase: "check" or "write")
PROGRESS_EVERY = 200
REFERENCES = frozenset({"region", "owner", "chain", "leader"})
MOVES = ("stage", "pipeline")  # a project's lifecycle moves: on its page, with their reasons


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in self.errors],
        }


@dataclass
class _Row:
    number: int
    data: dict[str, Any]
    project: Project | None = None
    project_id: int | None = None
    hold: tuple[str, str] | None = None  # a new project's stage of 暂缓 or 退出, and why


class _WriteFailed(Exception):
    pass


class _Columns:
    """The name of each column as the file gives it, for the report."""

    def __init__(self, table: Table) -> None:
        self.names: dict[str, str] = {}
        for index, header in table.headers.items():
            self.names.setdefault(header.column.key, table.header_texts[index].replace("\n", ""))

    def __call__(self, key: str) -> str:
        if key in self.names:
            return self.names[key]
        if key in BY_KEY:
            return str(BY_KEY[key].header)
        if key in {f.name for f in Project._meta.get_fields()}:
            return str(project_field(key).verbose_name)
        return ""


def _errors_of(exc: Exception) -> list[tuple[str, str]]:
    if isinstance(exc, ApplicationError):
        pairs = [(key, str(message)) for key, messages in exc.errors.items() for message in messages]
        return pairs or [("", str(exc.message))]
    return [("", str(exc) or _("您无权执行此操作"))]


def _table(content: bytes) -> Table:
    match = header_matcher()
    for sheet in open_sheets(content):
        table = find_table(sheet, match, required="name")
        if table is not None:
            return table
    message = _("未找到表头：工作簿中没有含“项目名称”列的工作表")
    raise ApplicationError(message, errors={"file": [message]})


def _same(project: Project, key: str, value: Any) -> bool:
    if key in REFERENCES:
        return getattr(project, f"{key}_id") == getattr(value, "pk", value)
    return bool(getattr(project, key) == value)


class _Matcher:
    """The projects the user sees, by unified code and by name and region."""

    def __init__(self, user: User) -> None:
        self.by_code: dict[str, int] = {}
        self.by_name: dict[tuple[str, int], list[tuple[int, str | None, int]]] = {}
        for pk, code, name, region_id, year in project_permissions.visible_projects(user).values_list(
            "pk", "code", "name", "region_id", "year"
        ):
            if code:
                self.by_code[code] = pk
            self.by_name.setdefault((name, region_id), []).append((pk, code, year))

    def find(self, data: Mapping[str, Any]) -> int | None:
        code = data.get("code")
        if code and code in self.by_code:
            return self.by_code[code]
        region = data.get("region")
        if region is None or not data.get("name"):
            return None
        candidates = [c for c in self.by_name.get((data["name"], region.pk), []) if not c[1] or c[1] == code]
        if len(candidates) > 1 and data.get("year") is not None:
            candidates = [c for c in candidates if c[2] == data["year"]]
        if len(candidates) > 1:
            raise ApplicationError(_("本市有多个同名项目，请填写统一项目代码"), errors={"code": []})
        return candidates[0][0] if candidates else None


def _read(user: User, table: Table, result: ImportResult, columns: _Columns, words: Vocabulary) -> list[_Row]:
    reader = RowReader(user, words)
    matcher = _Matcher(user)
    this_year = timezone.localdate().year
    rows: list[_Row] = []
    seen: dict[Any, int] = {}
    for number, cells in iter_cells(table):
        if skipped_row(cells, table):
            continue
        read = reader.read(cells, table.headers)
        for column, message in read.errors:
            result.errors.append(RowError(number, columns(column), message))
        data = read.data
        try:
            project_id = matcher.find(data)
        except ApplicationError as error:
            result.errors.append(RowError(number, columns("code"), str(error.message)))
            continue
        key = project_id or data.get("code") or (data.get("name"), getattr(data.get("region"), "pk", None))
        if key in seen:
            result.errors.append(
                RowError(number, columns("name"), _("与第%(row)s行是同一项目") % {"row": seen[key]})
            )
            continue
        seen[key] = number
        reason = data.pop("stage_reason", "")
        hold = None
        if project_id is None:
            data.setdefault("year", this_year)
            if data.get("stage") in REASON_STAGES:
                hold = (data.pop("stage"), reason)
                if not reason:
                    result.errors.append(
                        RowError(number, columns("stage_reason"), _("暂缓或退出必须说明原因"))
                    )
        rows.append(_Row(number, data, project_id=project_id, hold=hold))
    return rows


def _check(
    user: User,
    rows: list[_Row],
    result: ImportResult,
    columns: _Columns,
    progress: Progress,
    words: Vocabulary,
) -> None:
    """Check every row as the form would, writing nothing; count what would be created and updated."""
    ids = [row.project_id for row in rows if row.project_id is not None]
    projects: dict[int, Project] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        projects.update(
            project_permissions.visible_projects(user).select_related("region", "owner").in_bulk(chunk)
        )
    bad_rows = {error.row for error in result.errors}
    for done, row in enumerate(rows, start=1):
        if done % PROGRESS_EVERY == 0:
            progress(done, len(rows), "check")
        if row.number in bad_rows:
            continue
        project = projects.get(row.project_id) if row.project_id is not None else None
        try:
            if project is None:
                project_services.project_check_new(user=user, data=row.data, words=words)
                result.created += 1
                continue
            row.project = project
            for move in MOVES:
                if move in row.data and not _same(project, move, row.data.pop(move)):
                    label = project_field(move).verbose_name
                    raise ApplicationError(
                        _("已有项目的%(field)s须在项目页面变更") % {"field": label},
                        errors={move: [_("已有项目的%(field)s须在项目页面变更") % {"field": label}]},
                    )
            row.data = {k: v for k, v in row.data.items() if not _same(project, k, v)}
            if not row.data:
                result.unchanged += 1
                continue
            project_services.project_check_update(user=user, project=project, data=row.data, words=words)
            result.updated += 1
        except (ApplicationError, PermissionDenied) as exc:
            for key, message in _errors_of(exc):
                result.errors.append(RowError(row.number, columns(key), message))
    progress(len(rows), len(rows), "check")


def _write(
    user: User,
    rows: list[_Row],
    result: ImportResult,
    columns: _Columns,
    progress: Progress,
    words: Vocabulary,
) -> None:
    try:
        with transaction.atomic(), hold_back(), tallies_held():
            for done, row in enumerate(rows, start=1):
                if done % PROGRESS_EVERY == 0:
                    progress(done, len(rows), "write")
                try:
                    if row.project is None:
                        project = project_services.project_create(user=user, data=row.data, words=words)
                        if row.hold is not None:
                            stage, reason = row.hold
                            project_services.project_transition(
                                user=user,
                                project_id=project.pk,
                                version=project.version,
                                stage=stage,
                                reason=reason,
                            )
                    elif row.data:
                        project_services.project_update(
                            user=user,
                            project_id=row.project.pk,
                            data=row.data,
                            version=row.project.version,
                            reason=_("Excel导入"),
                            words=words,
                        )
                except (ApplicationError, PermissionDenied) as exc:  # changed since it was checked
                    for key, message in _errors_of(exc):
                        result.errors.append(RowError(row.number, columns(key), message))
                    raise _WriteFailed from exc
    except _WriteFailed:
        result.created = result.updated = result.unchanged = 0
    progress(len(rows), len(rows), "write")


def _ignore(done: int, total: int, phase: str) -> None:
    pass


def projects_import(
    *, user: User, content: bytes, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Import a project list (.xlsx bytes) as `user`: all rows or none. The file's own faults (too large,
    not a workbook, no header) raise ApplicationError on the field `file`; the rows' faults are the
    result's `errors`."""
    permissions.require_import(user)
    progress = progress or _ignore
    table = _table(content)
    columns = _Columns(table)
    result = ImportResult(dry_run=dry_run)
    words = city_vocabulary(user.city_id)  # the city's dictionary, read once for every row
    rows = _read(user, table, result, columns, words)
    progress(0, len(rows), "check")
    _check(user, rows, result, columns, progress, words)
    result.errors.sort(key=lambda e: e.row)
    if result.errors and not dry_run:
        result.created = result.updated = result.unchanged = 0  # what was written: nothing
    if result.errors or dry_run:
        return result
    progress(0, len(rows), "write")
    _write(user, rows, result, columns, progress, words)
    return result


def import_job_start(
    *, user: User, filename: str, content: bytes, dry_run: bool, language: str = "zh-hans"
) -> ImportJob:
    """Queue an import of `content` as `user`: refused at once if the user may not import or the file is too
    large or no .xlsx; the rows are checked and written by `import_job_run` in the background."""
    permissions.require_import(user)
    check_package(content)
    job = ImportJob.objects.create(
        author=user,
        city_id=require_city(user),
        filename=filename[:255],
        content=content,
        dry_run=dry_run,
        language=language,
    )
    run_project_import.enqueue(job.pk)
    return job


def import_job_run(job_id: int) -> None:
    """Run a queued import, its progress kept on the job as the rows are checked (outside any transaction,
    so that the page reads it), then the rows written in one transaction."""
    job = ImportJob.objects.select_related("author").filter(pk=job_id, status=JobStatus.QUEUED).first()
    if job is None:
        return
    jobs = ImportJob.objects.filter(pk=job_id)

    def progress(done: int, total: int, phase: str) -> None:
        if phase == "check":
            jobs.update(status=JobStatus.CHECKING, done=done, total=total)
        elif done == 0:  # the writing's transaction is about to begin
            jobs.update(status=JobStatus.WRITING, done=total, total=total)

    try:
        with override(job.language), background_context(job.author, task=f"Excel导入 {job.filename}"):
            result = projects_import(
                user=job.author, content=bytes(job.content), dry_run=job.dry_run, progress=progress
            )
    except (ApplicationError, PermissionDenied) as exc:
        with override(job.language):
            detail = str(getattr(exc, "message", exc))
        answer: dict[str, Any] = {"ok": False, "detail": detail, "errors": []}
        status = JobStatus.FAILED
    else:
        answer = result.as_dict()
        status = JobStatus.DONE if result.ok else JobStatus.FAILED
    jobs.update(status=status, result=answer, content=b"", finished_at=timezone.now())
