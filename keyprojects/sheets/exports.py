"""The workbooks going out: the project list in the columns of the import (so that a file exported and
imported again changes nothing), the empty template, and a round's dispatch sheet."""

import datetime
from collections.abc import Callable, Iterable, Mapping
from operator import attrgetter
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.core.rows import labels as choice_labels
from keyprojects.core.xlsx import Column, XlsxSheet
from keyprojects.projects.models import DICTIONARY_FIELDS, DictionaryKind, Project, project_field
from keyprojects.projects.permissions import contact_phone_for, with_contact_access
from keyprojects.projects.vocabulary import Vocabulary, projects_vocabulary

from .columns import EXPORTED, ListColumn
from .parsing import format_span

CHOICES = ("level", "list_kind", "approval_type", "pipeline", "stage")
TEXTS = (
    "code", "name", "approval_number", "responsible_unit", "location", "scope", "contact_name",
    "contact_phone", "leader_name", "leader_post", "task_force", "annual_goal", "stage_reason", "remarks",
)  # fmt: skip
VALUES = (
    "year", "land_area", "planned_start", "planned_end", "actual_start", "actual_end", "total_investment",
    "annual_investment", "latitude", "longitude",
)  # fmt: skip


def _sheet_columns(columns: Iterable[ListColumn]) -> list[Column]:
    return [Column(str(c.header), c.kind, c.width, wrap=c.wrap) for c in columns]


def _choice_writer(name: str, labels: Mapping[str, str]) -> Callable[[Project], str]:
    return lambda project: str(labels.get(getattr(project, name), ""))


def _text_writer(name: str) -> Callable[[Project], str]:
    return lambda project: getattr(project, name) or ""


def _dictionary_writer(words: Vocabulary, kind: DictionaryKind) -> Callable[[Project], str]:
    name = DICTIONARY_FIELDS[kind]
    return lambda p: words.text(p.city_id, kind, getattr(p, name), separator="、")


def _cell_writers(words: Vocabulary) -> dict[str, Callable[[Project], Any]]:
    """How each column shows a project, the choice labels translated once for the whole sheet, the
    dictionary's as the project's city names them."""
    writers: dict[str, Callable[[Project], Any]] = {
        DICTIONARY_FIELDS[kind]: _dictionary_writer(words, kind) for kind in DictionaryKind
    }
    for name in CHOICES:
        writers[name] = _choice_writer(name, choice_labels(project_field(name).flatchoices))
    for name in TEXTS:
        writers[name] = _text_writer(name)
    for name in VALUES:
        writers[name] = attrgetter(name)
    started, not_started = _("已开工"), _("未开工")
    writers |= {
        "region": lambda p: p.region.name,
        "owner": lambda p: p.owner.name if p.owner else "",
        "chain": lambda p: p.chain.name if p.chain else "",
        "span": lambda p: format_span(p.planned_start, p.planned_end),
        "started": lambda p: started if p.actual_start else not_started,
    }
    return writers


def project_list_workbook(
    projects: QuerySet[Project], *, user: User, title: str, words: Vocabulary | None = None
) -> XlsxSheet:
    """`projects` in the list's columns, one row each, numbered; contact phones as `user` may read them.
    `words`: the dictionary of the user's city, already read (a city's user sees its own projects only)."""
    sheet = XlsxSheet(name=_("项目清单"), columns=_sheet_columns(EXPORTED), title=title, frozen_columns=3)
    if words is None or user.city_id is None:
        words = projects_vocabulary(projects)
    writers = _cell_writers(words) | {"contact_phone": lambda p: contact_phone_for(user, p)}
    row_writers = [writers[c.key] for c in EXPORTED[1:]]
    for number, project in enumerate(
        with_contact_access(user, projects).select_related("region", "owner", "chain").iterator(2000), start=1
    ):
        sheet.append([number, *(write(project) for write in row_writers)])
    return sheet


def template_workbook() -> XlsxSheet:
    """The import's template: the columns, a note of how to fill them, no rows."""
    note = _(
        "导入模板：按列名识别，列的顺序和多余的列不影响导入；金额单位为万元（列名写“亿元”则按亿元）；日期形如 2026-03-01"
    )
    return XlsxSheet(name=_("项目清单"), columns=_sheet_columns(EXPORTED), title=note, frozen_columns=3)


def export_title(scope: str, today: datetime.date) -> str:
    return _("%(scope)s重点项目清单（截至%(date)s）") % {"scope": scope, "date": today.isoformat()}
