"""Lists read as plain values: a page of rows built from the columns it shows, not from model instances.

A list page or endpoint of 50 rows spent most of its time building each row as model instances with their
related records, then reading them back one attribute at a time (in templates, or through ninja's getter and
resolvers). `Rows` reads a queryset one page at a time as values and shapes each row once; `RowSchema`
lets an API schema take such a row as it is; `id_url` reverses a per-row URL once per list.
"""

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

from django.db.models import Model, QuerySet
from django.urls import reverse
from ninja import Schema
from pydantic import ModelWrapValidatorHandler, ValidationInfo, model_validator

T = TypeVar("T")
U = TypeVar("U")
M = TypeVar("M", bound=Model)

_PLACEHOLDER = 999_999_999_999


class Rows(Generic[T]):
    """A queryset whose page is built by `build` (a query or two for the page, whatever its length):
    sliced, it answers the built rows of that slice; counted, it counts the queryset, or `counted` when the
    page's rows are read through more (a join the count does not need). Django's paginator and ninja's
    pagination both take it as they take a queryset."""

    def __init__(
        self,
        queryset: QuerySet[Any],
        build: Callable[[QuerySet[Any]], list[T]],
        *,
        counted: QuerySet[Any] | None = None,
    ) -> None:
        self.queryset = queryset
        self.build = build
        self.counted = queryset if counted is None else counted

    def then(self, shape: Callable[[T], U]) -> "Rows[U]":
        """The same rows, each shaped by `shape` once built (e.g. as an API schema takes it)."""
        return Rows(
            self.queryset, lambda page: [shape(row) for row in self.build(page)], counted=self.counted
        )

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return self.build(self.queryset[index])
        return self.build(self.queryset[index : index + 1])[0]

    def __iter__(self) -> Iterator[T]:
        return iter(self.build(self.queryset))

    def __len__(self) -> int:
        return self.count()

    def count(self) -> int:
        return self.counted.count()

    def all(self) -> "Rows[T]":  # ninja's pagination counts `items.all().count()`
        return self


def picked(page: QuerySet[M]) -> QuerySet[M]:
    """The rows of `page` (a sliced queryset) chosen by their own columns first (the first ids of an index, in
    `page`'s order) and read by those ids alone, in that order, to be joined, annotated and read as the caller
    needs: neither the page's filters nor its annotations are taken along. Joined first, with the city named on
    the joined projects too (`joined_in_city`), PostgreSQL takes the two cities as independent filters, expects
    a fraction of the rows it will find, and sorts every row of the city rather than read 50 in order (15 ms
    against 0.7 for the node queue at 16 cities); kept in the outer query, the filters lead SQLite to walk the
    whole index in order, testing each row against the ids. Unsliced, `page` as it is."""
    if not page.query.is_sliced:
        return page
    order: Sequence[Any] = page.query.order_by or page.model._meta.ordering or ()
    return page.model._base_manager.filter(pk__in=page.values("pk")).order_by(*order)


class Row(dict[str, Any]):
    """An API row already shaped like its schema: its values by field name."""


class RowSchema(Schema):
    """A schema that takes a `Row` as a plain mapping, validated at once by pydantic, past the getter and
    the resolvers that read a model instance (which it still takes as any ninja schema does)."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        if isinstance(values, Row):
            return handler(dict(values))
        return super()._run_root_validator(values, handler, info)  # type: ignore[operator]


def id_url(viewname: str, suffix: str = "") -> Callable[[int], str]:
    """The URL of `viewname` for any id, reversed once: for a list that links every row."""
    head, tail = reverse(viewname, args=[_PLACEHOLDER]).split(str(_PLACEHOLDER))
    tail += suffix
    return lambda pk: f"{head}{pk}{tail}"


def labels(choices: Sequence[tuple[Any, Any]]) -> dict[Any, str]:
    """Each choice's label in the active language, translated once for a list."""
    return {value: str(label) for value, label in choices}
