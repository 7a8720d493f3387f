"""Each city's dictionary (categories, industries, funding sources, construction natures) as pages, the
API, exports and imports read it: one query for the cities of a page, then labels and choices by code.

Projects keep codes; a code the city's dictionary does not hold (none should) reads as its built-in label,
else as itself, so nothing a project holds is ever hidden.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language, override

from keyprojects.accounts.models import Region
from keyprojects.core.settings_events import SettingsHistoryRow, settings_history
from keyprojects.core.text import join_list

from .models import BUILT_IN_ENTRIES, DictionaryEntry, DictionaryKind, Project

_BUILT_IN_LABELS = {kind: dict(choices.choices) for kind, choices in BUILT_IN_ENTRIES.items()}


@cache
def _built_in_msgids() -> dict[tuple[str, str], str]:
    with override("zh-hans"):
        return {
            (kind, code): str(label)
            for kind, labels in _BUILT_IN_LABELS.items()
            for code, label in labels.items()
        }


def _shown(entry: DictionaryEntry) -> str:
    """A built-in entry the city has not renamed reads in the reader's language."""
    if _built_in_msgids().get((entry.kind, entry.code)) == entry.label:
        return str(_BUILT_IN_LABELS[entry.kind][entry.code])
    return entry.label


@dataclass(frozen=True)
class Vocabulary:
    """The dictionaries of some cities (`cities`), read once; each city's labels of a kind are built once per
    language, however many cells read them."""

    entries: dict[tuple[int, str], list[DictionaryEntry]] = field(default_factory=dict)
    cities: frozenset[int] = frozenset()
    _labels: dict[tuple[int, str, str], dict[str, str]] = field(
        default_factory=dict, init=False, compare=False, repr=False
    )

    def covering(self, city_ids: Iterable[int | None]) -> "Vocabulary":
        """This vocabulary with the dictionaries of `city_ids` too: itself when it holds them already (a
        page's rows of the city whose filter read it), else one query for the others."""
        missing = {c for c in city_ids if c is not None} - self.cities
        if not missing:
            return self
        more = vocabulary(missing)
        return Vocabulary(self.entries | more.entries, self.cities | more.cities)

    def of(self, city_id: int | None, kind: str) -> list[DictionaryEntry]:
        """The city's entries of one kind, in the city's order, active or not."""
        return self.entries.get((city_id or 0, kind), [])

    def labels(self, city_id: int | None, kind: str) -> dict[str, str]:
        """Each code's label (not to be changed: it is kept for the next reader)."""
        key = (city_id or 0, kind, get_language())
        if (found := self._labels.get(key)) is None:
            own = {e.code: _shown(e) for e in self.of(city_id, kind)}
            found = self._labels[key] = own | {
                code: str(label) for code, label in _BUILT_IN_LABELS.get(kind, {}).items() if code not in own
            }
        return found

    def label(self, city_id: int | None, kind: str, code: str | None) -> str:
        if not code:
            return ""
        return self.labels(city_id, kind).get(code, code)

    def shown(self, city_id: int | None, kind: str, value: str | list[str] | None) -> Any:
        """A project's field of `kind` as it reads: its code's label, or (funding sources) its codes' labels."""
        if isinstance(value, list):
            labels = self.labels(city_id, kind)
            return [labels.get(code, code) for code in value]
        return self.label(city_id, kind, value)

    def text(
        self, city_id: int | None, kind: str, value: str | list[str] | None, *, separator: str = ""
    ) -> str:
        """`shown` as one text, a list's labels joined by `separator` (default: the reader's list separator)."""
        shown = self.shown(city_id, kind, value)
        if isinstance(shown, list):
            return separator.join(shown) if separator else join_list(shown)
        return str(shown)

    def choices(self, city_id: int | None, kind: str, *, keep: Iterable[str] = ()) -> list[tuple[str, str]]:
        """What a form offers: the active entries, and those in `keep` (a project's current values)."""
        kept = set(keep)
        return [(e.code, _shown(e)) for e in self.of(city_id, kind) if e.active or e.code in kept]

    def named(self, city_id: int | None, kind: str) -> list[tuple[str, str]]:
        """Every entry of one kind, active or not, by the name the reader reads."""
        return [(e.code, _shown(e)) for e in self.of(city_id, kind)]

    def code_of(self, city_id: int | None, kind: str, text: str) -> str | None:
        """The code of the city's entry named `text` (its label or its code); None when the city has none."""
        for entry in self.of(city_id, kind):
            if text in (entry.label, entry.code):
                return entry.code
        return None


def category_choices(city_id: int | None) -> list[tuple[str, str]]:
    """The categories a filter offers: all of the city's, deactivated ones too (old projects have them)."""
    return list(city_vocabulary(city_id).labels(city_id, DictionaryKind.CATEGORY).items())


def vocabulary(city_ids: "Iterable[int | None] | QuerySet[Any]") -> Vocabulary:
    """The dictionaries of these cities (ids, or a query of them such as a list's `city_id`s), in one query."""
    ids: frozenset[int] | None = None
    if not isinstance(city_ids, QuerySet):
        ids = frozenset(c for c in city_ids if c is not None)
        if not ids:
            return Vocabulary()
    entries: dict[tuple[int, str], list[DictionaryEntry]] = {}
    chosen = DictionaryEntry.objects.filter(city_id__in=city_ids if ids is None else ids)
    for entry in chosen.order_by("kind", "position", "id"):
        entries.setdefault((entry.city_id, entry.kind), []).append(entry)
    return Vocabulary(entries, frozenset(city_id for city_id, _kind in entries) if ids is None else ids)


def projects_vocabulary(projects: "QuerySet[Project]") -> Vocabulary:
    """The dictionaries of the cities of `projects`, in one query."""
    return vocabulary(projects.order_by().values("city_id"))


def city_vocabulary(city_id: int | None) -> Vocabulary:
    return vocabulary([city_id])


def built_in_entries(city_id: int) -> list[DictionaryEntry]:
    return [
        DictionaryEntry(city_id=city_id, kind=kind, code=code, label=str(label), position=(i + 1) * 10)
        for kind, choices in BUILT_IN_ENTRIES.items()
        for i, (code, label) in enumerate(choices.choices)
    ]


def seed_dictionary(city_ids: Iterable[int]) -> None:
    """Give these cities the built-in entries they lack (a new city, the demo)."""
    ids = list(city_ids)
    have = set(DictionaryEntry.objects.filter(city_id__in=ids).values_list("city_id", "kind", "code"))
    DictionaryEntry.objects.bulk_create(
        e for city_id in ids for e in built_in_entries(city_id) if (city_id, e.kind, e.code) not in have
    )


CODE_PREFIX = {"category": "cat", "industry": "ind", "funding_source": "fund", "nature": "nat"}


def next_code(kind: str, taken: set[str]) -> str:
    """The first free code of a kind's own entries: ind1, ind2, …"""
    n = len(taken) + 1
    while f"{CODE_PREFIX[kind]}{n}" in taken:
        n += 1
    return f"{CODE_PREFIX[kind]}{n}"


def entries_for_labels(city_id: int, kind: str, labels: Iterable[str]) -> dict[str, str]:
    """The codes of these labels in a city's list of `kind`, adding the missing ones at its end with the
    next free codes (the demo's industries; the office adds its own through `dictionary`)."""
    mine = DictionaryEntry.objects.filter(city_id=city_id, kind=kind)
    known = dict(mine.values_list("label", "code"))
    taken = set(known.values())
    position = max(mine.values_list("position", flat=True), default=0)
    made = []
    for label in dict.fromkeys(labels):
        if not label or label in known:
            continue
        known[label] = next_code(kind, taken)
        taken.add(known[label])
        position += 10
        made.append(
            DictionaryEntry(city_id=city_id, kind=kind, code=known[label], label=label, position=position)
        )
    DictionaryEntry.objects.bulk_create(made)
    return known


def city_saved(
    sender: type[Region], instance: Region, created: bool, raw: bool = False, **kwargs: object
) -> None:
    """A new city starts with the built-in entries."""
    if created and not raw and instance.kind == Region.Kind.CITY:
        seed_dictionary([instance.pk])


def dictionary_history(*, entries: Iterable[DictionaryEntry], limit: int = 50) -> list[SettingsHistoryRow]:
    """The changes of these entries, newest first, each named by its entry: 名称（产业）."""
    by_id = {e.pk: e for e in entries}
    rows = settings_history(record=DictionaryEntry, object_ids=list(by_id), limit=limit)
    return [
        replace(row, field_label=f"{row.field_label}（{by_id[row.event.object_id].label}）")
        for row in rows
        if row.event.object_id in by_id
    ]
