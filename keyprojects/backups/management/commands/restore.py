"""`keyprojects restore FILE`: restore a backup into an empty instance, after checking the whole file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keyprojects.backups import services
from keyprojects.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Restore a backup into an empty instance: checksum and every member checked first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            restored = services.backup_restore(path=options["file"].absolute())
        except ApplicationError as error:
            raise CommandError(_("未恢复：%(error)s") % {"error": error.message}) from None
        self.stdout.write(
            _(
                "已恢复 %(created)s 的备份：数据库 %(tables)s 张表、%(rows)s 条记录，上传文件 %(files)s 个"
                "（%(size)s 字节）"
            )
            % {
                "created": restored.manifest.created_at,
                "tables": restored.tables,
                "rows": restored.rows,
                "files": restored.files,
                "size": restored.bytes,
            }
        )
