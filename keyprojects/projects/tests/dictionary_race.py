"""Two officers adding entries to the same list of their city's dictionary at the same moment, each on a
connection of its own: different names both get added, each with a code of its own; the same name is added
once, the other officer told it is taken.

`adds_race` runs on the database Django is set up with; run as a module
(`python -m keyprojects.projects.tests.dictionary_race`), it builds a throwaway SQLite file in WAL mode, as
production runs SQLite (`DATABASE_URL` names it), runs `ROUNDS` races of each kind and prints their outcomes
as JSON (see `keyprojects.factors.tests.race` for why not the in-memory test database)."""

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from keyprojects.core.tests.races import at_once, city_office_officers

ROUNDS = 5


def adds_race(*, officers: Sequence[Any], kind: str, labels: Sequence[str]) -> list[str]:
    """Each officer adds an entry named by its label with a blank code, released at the same moment: each
    one's outcome ("added", the field of the error, or the unexpected error), sorted."""
    from keyprojects.core.errors import ApplicationError
    from keyprojects.projects.dictionary import dictionary_entry_create

    def add(user: Any, label: str) -> str:
        try:
            dictionary_entry_create(user=user, kind=kind, label=label)
        except ApplicationError as error:
            return ",".join(error.errors)
        return "added"

    return at_once(add, zip(officers, labels, strict=True))


def rounds(officers: Sequence[Any]) -> list[dict[str, Any]]:
    """`ROUNDS` races of two different names and of one name, in a list with no entry yet (industries);
    each race's outcomes and the codes the list then holds."""
    from keyprojects.projects.models import DictionaryEntry

    city_id = officers[0].city_id
    found = []
    for n in range(ROUNDS):
        for labels in ([f"产业甲{n}", f"产业乙{n}"], [f"产业丙{n}", f"产业丙{n}"]):
            outcomes = adds_race(officers=officers, kind="industry", labels=labels)
            codes = DictionaryEntry.objects.filter(city_id=city_id, kind="industry").values_list(
                "code", flat=True
            )
            found.append({"outcomes": outcomes, "entries": len(codes), "codes": len(set(codes))})
    return found


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    json.dump(rounds(city_office_officers()), sys.stdout)


if __name__ == "__main__":
    main()
