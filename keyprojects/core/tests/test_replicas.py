"""Lag-tolerant reads go to a replica when one is configured; everything else stays on the primary."""

import pytest
from django.db import transaction
from django.test import override_settings

from config.routers import ReplicaRouter
from keyprojects.accounts.models import Region
from keyprojects.core.replicas import lag_tolerant, tolerating_lag

WITH_REPLICA = ["replica1"]


def test_without_a_replica_every_read_is_on_the_primary():
    with tolerating_lag():
        assert ReplicaRouter().db_for_read(Region) == "default"


@override_settings(DATABASE_REPLICAS=WITH_REPLICA)
def test_lag_tolerant_reads_go_to_the_replica_and_others_stay():
    router = ReplicaRouter()
    assert router.db_for_read(Region) == "default"
    with tolerating_lag():
        assert router.db_for_read(Region) == "replica1"
    assert router.db_for_read(Region) == "default"
    assert router.db_for_write(Region) == "default"
    assert router.allow_migrate("replica1", "accounts") is False


@pytest.mark.django_db
def test_reads_inside_a_write_transaction_stay_on_the_primary():
    with override_settings(DATABASE_REPLICAS=WITH_REPLICA), transaction.atomic(), tolerating_lag():
        assert ReplicaRouter().db_for_read(Region) == "default"


@override_settings(DATABASE_REPLICAS=WITH_REPLICA)
def test_a_lag_tolerant_view_reads_from_the_replica_only_while_it_runs():
    seen = []

    @lag_tolerant
    def view():
        seen.append(ReplicaRouter().db_for_read(Region))
        return "ok"

    assert view() == "ok"
    assert seen == ["replica1"]
    assert ReplicaRouter().db_for_read(Region) == "default"
