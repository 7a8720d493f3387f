"""`keyprojects backup [FILE]`: a consistent backup of the running instance (database and uploaded files)
to FILE, by default BACKUP_DIR/keyprojects-YYYYmmdd-HHMMSS.tar, with FILE.sha256 beside it."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keyprojects.backups import services
from keyprojects.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Back up the database and the uploaded files to one file with its SHA-256 checksum."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="default: BACKUP_DIR/keyprojects-<time>.tar")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = (options["file"] or services.default_path()).absolute()
        if path.exists():
            raise CommandError(_("文件 %(path)s 已存在，不会覆盖") % {"path": path})
        try:
            manifest = services.backup_write(path=path)
        except (ApplicationError, OSError) as error:
            raise CommandError(
                _("备份失败：%(error)s") % {"error": getattr(error, "message", error)}
            ) from None
        files = manifest.media_files
        self.stdout.write(
            _("已备份到 %(path)s（%(vendor)s 数据库，上传文件 %(files)s 个），校验和见 %(path)s.sha256")
            % {"path": path, "vendor": manifest.vendor, "files": len(files)}
        )
