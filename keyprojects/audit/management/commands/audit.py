"""`keyprojects audit verify` proves the chain whole; `keyprojects audit archive --before DATE [--to FILE]` moves
the records older than the retention to a file."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from keyprojects.core.commands import iso_date
from keyprojects.core.errors import ApplicationError

from ... import archive, chain


class Command(BaseCommand):
    help = "审计记录：校验哈希链（verify），归档超过保存期的记录（archive）"

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help="校验哈希链，首条不符的记录以非零状态退出")
        verify.add_argument("--archive", type=Path, help="校验一个归档文件，而非数据库中的记录")
        move = actions.add_parser("archive", help="把截止日期以前的记录归档到文件，再从数据库移除")
        move.add_argument(
            "--before", type=iso_date, required=True, help="归档此日（不含）以前的记录，YYYY-MM-DD"
        )
        move.add_argument("--to", type=Path, help="归档文件（.jsonl.gz），默认写在 AUDIT_ARCHIVE_DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self._verify(options.get("archive"))
        else:
            self._archive(options["before"], options.get("to"))

    def _verify(self, path: Path | None) -> None:
        result = chain.verify() if path is None else archive.archive_verify(path)
        if not result.ok:
            raise CommandError(
                _("审计链不完整：第 %(seq)s 条记录：%(problem)s（此前 %(count)s 条无误）")
                % {"seq": result.broken, "problem": result.problem, "count": result.records}
            )
        seq, digest = result.head
        self.stdout.write(
            _("审计链完整：%(count)s 条记录，最后一条第 %(seq)s 条，哈希 %(hash)s")
            % {"count": result.records, "seq": seq, "hash": digest}
        )

    def _archive(self, before: Any, to: Path | None) -> None:
        try:
            done = archive.audit_archive(before=before, to=to)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if not done.records:
            self.stdout.write(_("没有需要归档的记录"))
            return
        self.stdout.write(
            _("已归档 %(count)s 条记录到 %(path)s（SHA-256 %(sha)s），哈希链自第 %(seq)s 条起继续校验")
            % {
                "count": done.records,
                "path": done.path,
                "sha": done.sha256,
                "seq": done.anchor[0] + 1 if done.anchor else 0,
            }
        )
