"""Writers appending to the audit chain at the same moment, each on a connection of its own.

`parallel_appends` runs on the database Django is set up with; run as a module
(`python -m keyprojects.audit.tests.race`), it builds a throwaway SQLite file in WAL mode (as production runs
SQLite; `DATABASE_URL` names it), runs the appends and prints the outcome as JSON. The SQLite test database is
in memory with a shared cache, where a second writer is refused at once instead of waiting: hence the file."""

import json
import os
import sys
import threading
from typing import Any

WRITERS = 8
EACH = 15


def parallel_appends(writers: int = WRITERS, each: int = EACH) -> dict[str, Any]:
    """`writers` threads each append `each` records one by one, released together; the chain's state after."""
    from django.db import connection
    from django.utils import timezone

    from keyprojects.audit import chain
    from keyprojects.audit.models import AuditRecord

    barrier = threading.Barrier(writers)
    errors: list[str] = []

    def run(writer: int) -> None:
        try:
            barrier.wait()
            for n in range(each):
                entry = {name: "" for name in chain.FIELDS if name not in ("seq", "at")}
                entry |= {
                    "at": timezone.now(),
                    "kind": "write",
                    "actor_id": None,
                    "ip": None,
                    "city_id": None,
                }
                entry |= {"old": None, "new": None, "object_text": f"{writer}-{n}"}
                chain.append([entry])
        except BaseException as error:  # reported to the test
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    result = chain.verify()
    texts = sorted(AuditRecord.objects.values_list("object_text", flat=True))
    return {
        "errors": errors,
        "records": AuditRecord.objects.count(),
        "distinct": len(set(texts)),
        "verified": result.ok,
        "head": result.head[0],
    }


def main() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    json.dump(parallel_appends(), sys.stdout)


if __name__ == "__main__":
    main()
