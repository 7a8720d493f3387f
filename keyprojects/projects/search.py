"""Project search: what people type finds the project.

A project is found when every word of the query (in any order) is found in its name, unified code,
owner or location (traditional and simplified alike, any case), in its name's full pinyin
(``guanzhou``), or in its name's pinyin initials typed two by two: each pair the initials of two
neighbouring characters, the pairs in order, an odd last letter anywhere after them (``gzlg`` — 冠州…陆港 —
and ``gzgjlg`` for 冠州国际陆港, as Chinese names are mostly words of two characters).

Each project has one `ProjectSearch` row. Its `tokens` feed a full-text index that narrows a query
to a few candidates without reading the table: every character and pair of characters of the Chinese
text, every suffix of a run of letters and digits (a code's fragment is the prefix of one), every
syllable-aligned suffix of the name's pinyin (suffixes cut to `TOKEN_LENGTH`, as the query's terms are),
and every pair of neighbouring initials (marked with an ``i``). The candidates are then checked against
the text itself, so the index only makes the rule fast, never changes it; a word of one or two Chinese
characters needs no check, its token being in the index exactly when the text holds it (a common word such
as 项目 finds most of a list: checking each of its projects again was most of the query's cost).

Best matches come first (`rank`): the exact name or code, then a name (or its pinyin, or initials)
that begins with the query, then a name holding the query as typed, then a name holding every word,
then the rest. Past the exact name or code, the grades are weighed among the 1,000 newest projects found
only (`RANKED`), so that a query finding most of the list costs no more than finding it.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from pypinyin import lazy_pinyin

from keyprojects.accounts.models import Organization
from keyprojects.core.text import normalize_search

from .models import SEARCHED_FIELDS, Project, ProjectSearch

FTS_TABLE = "projects_search_fts"  # SQLite's FTS5 index of `ProjectSearch.tokens` (migration 0012)
VECTOR = "vector"  # PostgreSQL's tsvector of `tokens`, a stored generated column with a GIN index (0014)
MAX_QUERY = 100  # characters of a query read; the API refuses longer ones
MAX_WORDS = 8
RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")
BATCH = 2000
INITIALS = "i"  # marks the tokens of initials apart from the pinyin's: no pinyin syllable begins with i
TOKEN_LENGTH = 12  # a longer suffix is cut, and so is a longer term of a query: fewer distinct tokens
RANKED = 1000  # the projects found whose match is graded finer than exact or not (`rank`)
REST = 4
SELECTIVE = 3  # a word's runs of letters or digits shorter than this are left to the check when it has longer


def fold(text: str) -> str:
    """Simplified characters, lower case, full-width letters and digits as ASCII."""
    return unicodedata.normalize("NFKC", normalize_search(text))


def _is_cjk(run: str) -> bool:
    return not run[0].isascii()


def _suffixes(parts: list[str]) -> Iterator[str]:
    for i in range(len(parts)):
        yield "".join(parts[i:])[:TOKEN_LENGTH]


def _text_tokens(text: str) -> Iterator[str]:
    for run in RUN.findall(text):
        if _is_cjk(run):
            yield from run
            yield from (run[i : i + 2] for i in range(len(run) - 1))
        else:
            yield from _suffixes(list(run))


def _syllables(name: str) -> list[list[str]]:
    """The pinyin syllables of each run of Chinese characters of the name."""
    return [lazy_pinyin(run) for run in RUN.findall(name) if _is_cjk(run)]


def search_values(*, name: str, code: str, owner: str, location: str) -> dict[str, str]:
    """A project's search row (`ProjectSearch`) from its name, unified code, owner's name and location."""
    name, code = fold(name), fold(code)
    text = " ".join(part for part in (name, code, fold(owner), fold(location)) if part)
    syllables = _syllables(name)
    initials = [[syllable[0] for syllable in run] for run in syllables]
    tokens = dict.fromkeys(
        [
            *_text_tokens(text),
            *(token for run in syllables for token in _suffixes(run)),
            *(INITIALS + "".join(run[i : i + 2]) for run in initials for i in range(len(run) - 1)),
        ]
    )
    return {
        "name": name,
        "code": code,
        "text": text,
        "pinyin": " ".join("".join(run) for run in syllables),
        "initials": " ".join("".join(run) for run in initials),
        "tokens": " ".join(tokens),
    }


def project_values(project: Any) -> dict[str, str]:
    """`search_values` of a project (or of its historical model, in a migration) with its owner loaded."""
    owner = project.owner.name if project.owner_id else ""
    return search_values(name=project.name, code=project.code or "", owner=owner, location=project.location)


ROW_FIELDS = ["city", "name", "code", "text", "pinyin", "initials", "tokens"]


def _write(projects: Iterable[Project]) -> int:
    rows = [ProjectSearch(project_id=p.pk, city_id=p.city_id, **project_values(p)) for p in projects]
    ProjectSearch.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["project"], update_fields=ROW_FIELDS
    )
    return len(rows)


def _chunks(projects: QuerySet[Project]) -> Iterator[list[Project]]:
    ids = list(projects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        yield list(Project.objects.filter(pk__in=ids[start : start + BATCH]).select_related("owner"))


@transaction.atomic
def index_projects(project_ids: Iterable[int]) -> int:
    """Write the search rows of the given projects (written past the save signal)."""
    return sum(_write(chunk) for chunk in _chunks(Project.objects.filter(pk__in=list(project_ids))))


@transaction.atomic
def rebuild(city_ids: list[int] | None) -> int:
    """Rewrite the search rows of the given cities (all, for None): the number of rows written."""
    projects = Project.objects.all() if city_ids is None else Project.objects.filter(city_id__in=city_ids)
    rows = (
        ProjectSearch.objects.all()
        if city_ids is None
        else ProjectSearch.objects.filter(city_id__in=city_ids)
    )
    rows.delete()
    return sum(_write(chunk) for chunk in _chunks(projects))


def project_saved(
    sender: type[Project], instance: Project, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    if raw or (update_fields is not None and not SEARCHED_FIELDS & set(update_fields)):
        return
    _write([instance])


def organization_saved(
    sender: type[Organization], instance: Organization, raw: bool = False, **kwargs: Any
) -> None:
    """An owner renamed: its projects are found by the new name."""
    if raw or kwargs.get("created"):
        return
    index_projects(Project.objects.filter(owner=instance).values_list("pk", flat=True))


class _Word:
    """One word of a query: the index terms that narrow to its candidates, and the check of each."""

    def __init__(self, word: str) -> None:
        self.word = word
        runs = RUN.findall(word)
        self.alternatives: list[list[tuple[str, bool]]] = [[]]  # OR of (AND of (token, is a prefix))
        longest = max((len(run) for run in runs if not _is_cjk(run)), default=0)
        for run in runs:
            if _is_cjk(run):
                pairs = [run[i : i + 2] for i in range(len(run) - 1)] or [run]
                self.alternatives[0] += [(pair, False) for pair in pairs]
            elif len(run) >= SELECTIVE or longest < SELECTIVE:
                self.alternatives[0].append((run[:TOKEN_LENGTH], True))
        self.letters = word.isascii() and word.isalpha()
        if self.letters and len(word) > 1:
            self.alternatives.append([(INITIALS + pair, False) for pair in initial_pairs(word)])
        self.searchable = bool(runs)
        # one or two Chinese characters are a token exactly when the text holds them: the index is the rule
        self.indexed_exactly = runs == [word] and _is_cjk(word) and len(word) <= 2

    def check(self) -> Q:
        if self.indexed_exactly:
            return Q()
        found = Q(text__contains=self.word)
        if self.letters:
            found |= Q(pinyin__contains=self.word) | Q(
                _Like(F("initials"), Value(initials_pattern(self.word)))
            )
        return found


def initial_pairs(word: str) -> list[str]:
    """Initials typed two by two: ``gzlg`` → gz, lg (an odd last letter is left to the check)."""
    return [word[i : i + 2] for i in range(0, len(word) - 1, 2)]


def initials_pattern(word: str) -> str:
    """The LIKE pattern of initials typed: each pair side by side, the pairs (and an odd last letter) in
    order."""
    return "%" + "%".join(initial_pairs(word) + ([word[-1]] if len(word) % 2 else [])) + "%"


class _Like(Func):
    """`expression LIKE pattern` with the pattern's wildcards kept (Django's lookups escape them)."""

    output_field = BooleanField()
    arg_joiner = " LIKE "
    template = "%(expressions)s"


class TokensMatch(Func):
    """The search rows whose tokens hold every word's index terms, answered by the full-text index."""

    output_field = BooleanField()

    def __init__(self, words: list["_Word"]) -> None:
        super().__init__(F("project_id"), F("tokens"))
        self.words = words

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:  # type: ignore[override]  # PostgreSQL
        # the stored tsvector of `tokens` (migration 0014) beside it, which the GIN index holds
        tokens_sql, params = compiler.compile(self.source_expressions[1])
        vector_sql = tokens_sql.rsplit(".", 1)[0] + "." + connection.ops.quote_name(VECTOR)
        query = " & ".join(
            "(" + " | ".join("(" + " & ".join(map(_ts_term, alt)) + ")" for alt in w.alternatives) + ")"
            for w in self.words
        )
        return f"{vector_sql} @@ %s::tsquery", (*params, query)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, tuple]:
        pk_sql, params = compiler.compile(self.source_expressions[0])
        query = " AND ".join(
            "(" + " OR ".join("(" + " AND ".join(map(_fts_term, alt)) + ")" for alt in w.alternatives) + ")"
            for w in self.words
        )
        sql = f"{pk_sql} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608 (constants)  # nosec B608
        return sql, (*params, query)


def _ts_term(term: tuple[str, bool]) -> str:
    token, prefix = term
    return f"'{token}'" + (":*" if prefix else "")


def _fts_term(term: tuple[str, bool]) -> str:
    token, prefix = term
    return f'"{token}"' + ("*" if prefix else "")


def query_words(q: str | None) -> list[_Word]:
    words = [_Word(word) for word in fold((q or "")[:MAX_QUERY]).split()[:MAX_WORDS]]
    return [word for word in words if word.searchable]


def matching_rows(words: list[_Word]) -> QuerySet[ProjectSearch]:
    """The search rows of the projects the query's words find."""
    rows = ProjectSearch.objects.filter(TokensMatch(words))
    for word in words:
        rows = rows.filter(word.check())
    return rows


def rank(q: str) -> Case:
    """How well a project (through its search row) matches the query: 0 best. The words are read as
    typed and run together (Chinese needs no spaces: 物流园 智慧 begins 物流园智慧城).

    Only the exact name or code is compared on every project found; the finer grades are weighed among the
    `RANKED` newest candidates of the index (a capped set), the others ranking as "the rest": a broad query
    (one common character finding tens of thousands) costs a comparison per project found, not a grading."""
    found = query_words(q)
    words = [word.word for word in found]
    phrases = {" ".join(words), "".join(words)}
    # the newest the index proposes, before each is checked: the filter checks them anyway
    candidates = (
        ProjectSearch.objects.filter(TokensMatch(found)).order_by("-project_id").values("project_id")[:RANKED]
    )

    def any_phrase(lookup: str) -> Q:
        return Q(*(Q(**{lookup: phrase}) for phrase in phrases), _connector=Q.OR)

    return Case(
        When(any_phrase("search__name") | Q(search__code=" ".join(words)), then=Value(0)),
        When(~Q(pk__in=candidates), then=Value(REST)),
        When(
            any_phrase("search__name__startswith")
            | any_phrase("search__pinyin__startswith")
            | any_phrase("search__initials__startswith"),
            then=Value(1),
        ),
        When(any_phrase("search__name__contains"), then=Value(2)),
        When(Q(*(Q(search__name__contains=word) for word in words)), then=Value(3)),
        default=Value(REST),
        output_field=IntegerField(),
    )
