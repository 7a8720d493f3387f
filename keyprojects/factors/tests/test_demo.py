"""The demo's factor guarantee: pools of every factor, allocations, demands met, waiting and overdue (each
overdue one a red warning), made through the services and made once."""

import io

import pytest
from django.core.management import call_command

from keyprojects.alerts.models import ProjectWarning, Rule
from keyprojects.factors.models import (
    FactorAllocation,
    FactorDemand,
    FactorKind,
    FactorLedgerEntry,
    FactorPool,
)
from keyprojects.factors.selectors import UNMET

pytestmark = pytest.mark.usefixtures("clock")


def test_the_demo_city_has_pools_allocations_and_unmet_demands_once(db, clock):
    call_command("loaddemo", stdout=io.StringIO())
    liaocheng = FactorPool.objects.filter(city__code="371500", year=clock.today.year)
    assert set(liaocheng.filter(parent=None).values_list("kind", flat=True)) == set(FactorKind.values)
    assert liaocheng.exclude(parent=None).count() == 4
    demands = FactorDemand.objects.filter(city__code="371500")
    overdue = demands.filter(UNMET, needed_by__lt=clock.today)
    assert demands.exclude(UNMET).exists() and demands.filter(UNMET).exists() and overdue.exists()
    assert FactorAllocation.objects.filter(city__code="371500").exists()
    warned = ProjectWarning.objects.filter(rule=Rule.FACTOR_UNMET, is_active=True, city__code="371500")
    assert warned.count() == overdue.count()
    counts = (FactorPool.objects.count(), FactorDemand.objects.count(), FactorLedgerEntry.objects.count())
    call_command("loaddemo", stdout=io.StringIO())
    assert (
        FactorPool.objects.count(),
        FactorDemand.objects.count(),
        FactorLedgerEntry.objects.count(),
    ) == counts
