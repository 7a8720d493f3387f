"""Two officers allocating the last units of a pool at the same moment, each on a connection of its own.

`last_units_race` runs the race on the database Django is set up with; run as a module
(`python -m keyprojects.factors.tests.race`), it builds a throwaway SQLite file in WAL mode, as production
runs SQLite (`DATABASE_URL` names it), runs `ROUNDS` races and prints each round's outcomes as JSON. The
test database of an SQLite test session is an in-memory database whose connections share one cache, where
a second writer is refused at once instead of waiting: not the production setup, hence the file."""

import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from keyprojects.core.tests.races import at_once, city_office_officers

ROUNDS = 10


def last_units_race(
    *, officers: Sequence[Any], pool_id: int, project_ids: Sequence[int], amount: Decimal
) -> list[str]:
    """Each officer allocates `amount` of the pool to its project, released at the same moment; what
    each got ("allocated", "refused", or the unexpected error), sorted."""
    from keyprojects.factors.services import NotEnoughLeft, allocation_create

    def allocate(user: Any, project_id: int) -> str:
        try:
            allocation_create(
                user=user, pool_id=pool_id, project_id=project_id, amount=amount, reason="同时配置"
            )
        except NotEnoughLeft:
            return "refused"
        return "allocated"

    return at_once(allocate, zip(officers, project_ids, strict=True))


def race_scene(officers: list[Any], year: int) -> dict[str, Any]:
    """Two projects each needing 10 亩 and a land pool of `year` holding 10: what `last_units_race` needs."""
    from keyprojects.factors.services import demand_create, pool_set
    from keyprojects.projects.tests.factories import ProjectFactory

    region = officers[0].organization.region
    pool, _made = pool_set(user=officers[0], kind="land", year=year, supply="10", reason="年度指标")
    projects = [ProjectFactory(region=region, year=year) for _ in range(2)]
    for project in projects:
        demand_create(
            user=officers[0],
            project_id=project.pk,
            kind="land",
            amount="10",
            needed_by=project.created_at.date(),
        )
    return {
        "officers": officers,
        "pool_id": pool.pk,
        "project_ids": [p.pk for p in projects],
        "amount": Decimal(10),
    }


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    from keyprojects.factors.models import FactorPool

    call_command("migrate", verbosity=0)
    rounds = []
    officers = city_office_officers()
    for year in range(2026, 2026 + ROUNDS):
        scene = race_scene(officers, year)
        outcomes = last_units_race(**scene)
        remaining = FactorPool.objects.get(pk=scene["pool_id"]).remaining
        rounds.append({"outcomes": outcomes, "remaining": str(remaining)})
    json.dump(rounds, sys.stdout)


if __name__ == "__main__":
    main()
