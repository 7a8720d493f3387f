"""Two simultaneous adds to a city's dictionary never fail with a server error: different names are both
added with codes of their own, the same name once (the other officer is told it is taken) — on PostgreSQL
with a connection per officer in this process, on SQLite with a connection per officer to a file database
in WAL mode, as in production."""

import pytest
from django.db import connection

from keyprojects.core.tests.races import city_office_officers, on_sqlite_file

from .dictionary_race import ROUNDS, rounds

EXPECTED = [
    outcome
    for n in range(ROUNDS)
    for outcome in (
        {"outcomes": ["added", "added"], "entries": 3 * n + 2, "codes": 3 * n + 2},
        {"outcomes": ["added", "label"], "entries": 3 * n + 3, "codes": 3 * n + 3},
    )
]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite: a file database in WAL mode")
def test_on_sqlite_two_simultaneous_adds_are_both_answered():
    assert on_sqlite_file("keyprojects.projects.tests.dictionary_race", timeout=300) == EXPECTED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: row locks")
def test_on_postgresql_two_simultaneous_adds_are_both_answered():
    assert rounds(city_office_officers()) == EXPECTED
