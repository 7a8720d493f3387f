"""Django's `flush`, which empties every table, the audit trail's too: on SQLite, whose DELETE the audit
triggers refuse, it lifts them for the flush and puts them back in the same transaction (PostgreSQL empties
tables with TRUNCATE, which row triggers do not see)."""

from typing import Any

from django.core.management.commands import flush
from django.db import connections, transaction

from ...triggers import lifted


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options.get("database") or "default"
        with transaction.atomic(using=database), lifted(connections[database]):
            super().handle(**options)
