"""Two officers allocating the last units at the same moment: exactly one succeeds, the other is told the
pool has not enough left, and the pool stays whole — on PostgreSQL with a connection per officer in this
process, on SQLite with a connection per officer to a file database in WAL mode, as in production."""

import pytest
from django.db import connection

from keyprojects.core.tests.races import city_office_officers, on_sqlite_file
from keyprojects.factors.models import FactorPool

from .race import ROUNDS, last_units_race, race_scene


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite: a file database in WAL mode")
def test_on_sqlite_exactly_one_of_two_simultaneous_allocations_of_the_last_units_succeeds():
    rounds = on_sqlite_file("keyprojects.factors.tests.race", timeout=300)
    assert rounds == [{"outcomes": ["allocated", "refused"], "remaining": "0.000"}] * ROUNDS


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL: row locks")
def test_on_postgresql_exactly_one_of_two_simultaneous_allocations_of_the_last_units_succeeds():
    officers = city_office_officers()
    for year in range(2026, 2026 + ROUNDS):
        scene = race_scene(officers, year)
        assert last_units_race(**scene) == ["allocated", "refused"]
        assert FactorPool.objects.get(pk=scene["pool_id"]).remaining == 0
