"""Parallel writers neither lose nor fork the chain: every record is there once, in one unbroken sequence."""

import pytest
from django.db import connection

from keyprojects.core.tests.races import on_sqlite_file

from .race import EACH, WRITERS, parallel_appends

WHOLE = {
    "errors": [],
    "records": WRITERS * EACH,
    "distinct": WRITERS * EACH,
    "verified": True,
    "head": WRITERS * EACH,
}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite: a file database in WAL mode")
def test_on_sqlite_parallel_appends_keep_one_whole_chain():
    assert on_sqlite_file("keyprojects.audit.tests.race", timeout=600) == WHOLE


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: the advisory lock")
def test_on_postgresql_parallel_appends_keep_one_whole_chain():
    assert parallel_appends() == WHOLE
