"""Tables kept in step with others so that reading stays cheap at province scale (the figures in force
of the rates, the totals of the project list, …). Each is written in the same transaction as what it
summarises, and each can be rebuilt from it: an app registers its rebuild here (`AppConfig.ready()`),
and `keyprojects rebuild` runs them, for some cities or all."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

Rebuild = Callable[[list[int] | None], int]  # the cities (all, for None) → the rows written


@dataclass(frozen=True)
class Maintained:
    name: str
    rebuild: Rebuild


_registry: dict[str, Maintained] = {}


def register_maintained(name: str, rebuild: Rebuild) -> None:
    _registry[name] = Maintained(name, rebuild)


def maintained_tables() -> list[Maintained]:
    return sorted(_registry.values(), key=lambda table: table.name)


def rebuild_all(
    *, city_ids: Iterable[int] | None = None, names: Iterable[str] | None = None
) -> dict[str, int]:
    """Rebuild the named tables (all, for None) of the given cities: the rows written per table."""
    cities = None if city_ids is None else list(city_ids)
    wanted = None if names is None else set(names)
    return {
        table.name: table.rebuild(cities)
        for table in maintained_tables()
        if wanted is None or table.name in wanted
    }
