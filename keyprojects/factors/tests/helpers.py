"""A city's factor pools and a project's demands, made through the services as the offices would."""

import datetime
from decimal import Decimal

from keyprojects.factors.models import FactorDemand, FactorPool
from keyprojects.factors.services import demand_create, pool_set


def pool(city, *, kind="land", supply="100", year=2026, region=None) -> FactorPool:
    made, _created = pool_set(
        user=city.city_admin, kind=kind, year=year, supply=supply, reason="市政府下达年度指标", region=region
    )
    return made


def demand(city, project, *, kind="land", amount="60", needed_by=datetime.date(2026, 9, 1)) -> FactorDemand:
    return demand_create(
        user=city.city_admin, project_id=project.pk, kind=kind, amount=Decimal(amount), needed_by=needed_by
    )
