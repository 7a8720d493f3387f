"""Database routing for a primary with streaming replicas (see docs/scale.md and keyprojects/core/replicas.py)."""

import random
from typing import Any

from django.conf import settings
from django.db import connections

from keyprojects.core.replicas import reads_tolerate_lag


class ReplicaRouter:
    """Lag-tolerant reads go to a replica; writes, migrations and reads inside a write transaction to the primary."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        replicas = settings.DATABASE_REPLICAS
        if not replicas or not reads_tolerate_lag() or connections["default"].in_atomic_block:
            return "default"
        return random.choice(replicas)

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == "default"
