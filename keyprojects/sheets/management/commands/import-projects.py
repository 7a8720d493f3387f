"""`keyprojects import-projects FILE --user NAME [--dry-run]`: import a project list as that user, with a
progress bar, all rows or none (the same import as the page and the API)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError
from keyprojects.core.text import labelled
from keyprojects.sheets.reading import MAX_UPLOAD_BYTES
from keyprojects.sheets.services import projects_import

BAR_WIDTH = 30


class ProgressBar:
    """A bar redrawn on one line of the terminal: the phase, the share done, the rows."""

    def __init__(self, stream: OutputWrapper) -> None:
        self.stream = stream
        self.phase = ""
        self.labels = {"check": _("校验"), "write": _("写入")}

    def __call__(self, done: int, total: int, phase: str) -> None:
        if phase != self.phase and self.phase:
            self.stream.write("")
        self.phase = phase
        share = done / total if total else 1
        filled = int(BAR_WIDTH * share)
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        self.stream.write(f"\r{self.labels[phase]} [{bar}] {share:4.0%} {done}/{total}", ending="")
        self.stream.flush()

    def close(self) -> None:
        if self.phase:
            self.stream.write("")


class Command(BaseCommand):
    help = "Import a project list (.xlsx) as a user: every row checked, all written or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="the username whose rights the import runs with")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(_("账号 %(name)s 不存在或已停用") % {"name": options["user"]})
        path: Path = options["file"]
        try:
            with path.open("rb") as handle:
                content = handle.read(MAX_UPLOAD_BYTES + 1)
        except OSError as error:
            raise CommandError(
                _("无法读取文件 %(path)s：%(error)s") % {"path": path, "error": error}
            ) from None
        bar = None if options["no_progress"] else ProgressBar(self.stderr)
        try:
            result = projects_import(user=user, content=content, dry_run=options["dry_run"], progress=bar)
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        finally:
            if bar is not None:
                bar.close()
        for fault in result.errors:
            message = labelled(fault.column, fault.message) if fault.column else fault.message
            self.stderr.write(_("第%(row)s行 %(message)s") % {"row": fault.row, "message": message})
        summary = _("新建 %(created)s 个，更新 %(updated)s 个，%(unchanged)s 个无变化") % {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if not result.ok:
            raise CommandError(_("发现 %(count)s 处错误，未写入任何项目") % {"count": len(result.errors)})
        self.stdout.write(
            _("仅校验，未写入：%(summary)s") % {"summary": summary} if options["dry_run"] else summary
        )
