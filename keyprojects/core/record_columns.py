"""Columns an app adds to another app's export without that app knowing it (e.g. the supervision notices
issued from each warning, in the warnings' 督办清单): a provider per kind of record, registered in
`AppConfig.ready()`, answers the column's text for each of a page of records, in one query."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

Values = Callable[[Any, Sequence[int]], Mapping[int, str]]


@dataclass(frozen=True)
class RecordColumn:
    key: str
    label: str | Promise
    values: Values  # (the reader, the records' ids) → text by id; a record it does not name stays empty
    width: int = 24


_columns: dict[str, dict[str, RecordColumn]] = {}


def register_record_column(kind: str, column: RecordColumn) -> None:
    _columns.setdefault(kind, {})[column.key] = column


def record_columns(kind: str) -> list[RecordColumn]:
    return list(_columns.get(kind, {}).values())
