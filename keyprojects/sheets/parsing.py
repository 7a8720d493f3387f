"""Reading a row of a project list into the values of a project's fields, cell by cell.

What a cell may hold is what offices write: a date as a date cell, "2024-03-01", "2024/3/1", "2024.3" or
"2024年3月"; an amount as a number or "1,200.5", in 万元 or in 亿元 when its header says so; a choice by
its label (新建, 市重点, 在建…) in Chinese or in the reader's language; funding sources joined by 、 or
commas; 建设起止年限 as "2024-2026" or "2024—2026年". The references are looked up in the user's city:
the region by name or code, the owner by its registered name, the chain by name or code.
"""

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl.utils.datetime import from_excel

from keyprojects.accounts.models import Organization, Region, User
from keyprojects.accounts.selectors import city_scope
from keyprojects.chains.selectors import chain_list
from keyprojects.core.text import normalize_search
from keyprojects.projects.codes import normalize_code
from keyprojects.projects.models import DICTIONARY_FIELDS, DictionaryKind, project_field
from keyprojects.projects.vocabulary import Vocabulary

from .columns import UNITS, Header, Reads

CENT = Decimal("0.01")
# Labels offices write beside the platform's own
CHOICE_ALIASES: dict[str, dict[str, str]] = {
    "stage": {"在建": "under_construction", "续建": "under_construction", "在建续建": "under_construction",
              "投产达产": "in_production", "谋划储备": "planning", "储备": "planning", "前期手续": "preparation"},
    "level": {"省级": "provincial", "市级": "municipal", "县级": "county", "省重点项目": "provincial",
              "市重点项目": "municipal", "县重点项目": "county"},
    "list_kind": {"实施": "implementation", "准备": "preparation"},
    "pipeline": {"调度": "scheduled", "储备": "reserve", "申请": "proposed"},
}  # fmt: skip
FUNDING_ALIASES = {
    "中央预算内投资": "central_budget", "中央预算内资金": "central_budget", "专项债": "special_bonds",
    "地方政府专项债": "special_bonds", "专项债券": "special_bonds", "财政资金": "local_budget",
    "地方财政资金": "local_budget", "自筹": "self_raised", "企业自筹资金": "self_raised", "自筹资金": "self_raised",
    "银行贷款": "bank_loan", "贷款": "bank_loan",
}  # fmt: skip
_SEPARATORS = re.compile(r"[、,,;;/\n]+")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*日?)?)?$")
_SPAN = re.compile(r"^(\d{4})\s*年?\s*[-—–~～至到]+\s*(\d{4})\s*年?$")
_YEAR = re.compile(r"^(\d{4})\s*年?度?$")


class CellError(Exception):
    """A cell that cannot be read; the message names what is wrong with it."""


def _key(text: object) -> str:
    """How a choice's name is compared: without spaces, in lower case."""
    return re.sub(r"\s+", "", str(text)).lower()


def _labels(choices: Iterable[tuple[Any, Any]]) -> dict[str, str]:
    """Every name a choice is known by: its code, its label in Chinese and in the reader's language."""
    names: dict[str, str] = {}
    pairs = list(choices)
    for value, label in pairs:
        names[_key(value)] = str(value)
        names[_key(label)] = str(value)
    with override("zh-hans"):
        for value, label in pairs:
            names[_key(label)] = str(value)
    return names


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value).strip()


def read_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("应为数字"))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = str(value).strip().replace(",", "").replace(",", "")
    text = re.sub(r"(万元|亿元|亩)$", "", text)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("“%(value)s”不是数字") % {"value": text[:40]}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s”不是数字") % {"value": text[:40]})
    return number


def read_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        moment = from_excel(value)  # a date cell stored without its date format: days since 1900
        return moment.date() if isinstance(moment, datetime.datetime) else moment
    text = _text(value)
    match = _DATE.match(text)
    if match is None:
        raise CellError(_("“%(value)s”不是有效的日期，应形如 2026-03-01") % {"value": text[:40]})
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(_("“%(value)s”不是有效的日期，应形如 2026-03-01") % {"value": text[:40]}) from None


def read_year(value: Any) -> int:
    match = _YEAR.match(_text(value))
    if match is None:
        raise CellError(_("“%(value)s”不是年份") % {"value": _text(value)[:40]})
    return int(match.group(1))


def read_span(value: Any) -> tuple[int, int]:
    text = _text(value)
    match = _SPAN.match(text)
    if match is None:
        single = _YEAR.match(text)
        if single is None:
            raise CellError(_("“%(value)s”应形如 2024-2026") % {"value": text[:40]})
        return int(single.group(1)), int(single.group(1))
    start, end = int(match.group(1)), int(match.group(2))
    if end < start:
        raise CellError(_("截止年份不能早于起始年份"))
    return start, end


def format_span(start: datetime.date | None, end: datetime.date | None) -> str:
    """建设起止年限 as the export writes it, from the planned dates."""
    if start is None or end is None:
        return ""
    return f"{start.year}-{end.year}"


@dataclass(frozen=True)
class ReadRow:
    data: dict[str, Any]
    errors: list[tuple[str, str]]  # (column key, message)


class RowReader:
    """Reads rows of one file for one user: the city's regions, enterprises and chains are loaded once, and
    its dictionary (`words`) is the run's."""

    def __init__(self, user: User, words: Vocabulary) -> None:
        regions = Region.objects.filter(city_scope(user)).exclude(kind=Region.Kind.PROVINCE)
        self.regions: dict[str, Region] = {}
        for region in regions:
            self.regions.setdefault(region.code, region)
            self.regions.setdefault(normalize_search(region.name), region)
        owners = Organization.objects.filter(city_scope(user), kind=Organization.Kind.ENTERPRISE)
        self.owners = {normalize_search(org.name): org for org in owners.order_by("pk")}
        self.chains: dict[str, Any] = {}
        for chain in chain_list(user=user):
            self.chains.setdefault(chain.code.lower(), chain)
            self.chains.setdefault(normalize_search(chain.name), chain)
        self.options = {
            name: list(field.flatchoices)
            for name in ("level", "list_kind", "approval_type", "pipeline", "stage")
            if (field := project_field(name)).choices
        }
        # the city's dictionary: an entry by its label or its code, deactivated ones too (the service
        # refuses those for a project that did not have them, naming the field)
        for kind in (DictionaryKind.CATEGORY, DictionaryKind.NATURE, DictionaryKind.INDUSTRY):
            self.options[DICTIONARY_FIELDS[kind]] = words.named(user.city_id, kind)
        self.choices = {
            name: {**_labels(options), **CHOICE_ALIASES.get(name, {})}
            for name, options in self.options.items()
        }
        for kind in (DictionaryKind.CATEGORY, DictionaryKind.NATURE, DictionaryKind.INDUSTRY):
            # the city's own names, beside those the reader's language gives a built-in entry
            self.choices[DICTIONARY_FIELDS[kind]] |= _labels(
                (e.code, e.label) for e in words.of(user.city_id, kind)
            )
        entries = words.of(user.city_id, DictionaryKind.FUNDING_SOURCE)
        funding = [
            *((e.code, e.label) for e in entries),
            *words.named(user.city_id, DictionaryKind.FUNDING_SOURCE),
        ]
        known = {e.code for e in entries}
        aliases = {name: code for name, code in FUNDING_ALIASES.items() if code in known}
        self.funding = {**aliases, **_labels(funding)}

    def read(self, cells: Mapping[int, Any], headers: Mapping[int, Header]) -> ReadRow:
        data: dict[str, Any] = {}
        errors: list[tuple[str, str]] = []
        span: tuple[int, int] | None = None
        for index, value in cells.items():
            header = headers[index]
            column = header.column
            try:
                if column.reads == Reads.SPAN:
                    span = read_span(value)
                elif column.reads != Reads.IGNORED:
                    data[column.key] = self._value(column.key, column.reads, value, header.unit)
            except CellError as error:
                errors.append((column.key, str(error)))
        if span is not None:
            for key, year, default in (
                ("planned_start", span[0], (1, 1)),
                ("planned_end", span[1], (12, 31)),
            ):
                given = data.get(key)
                if isinstance(given, datetime.date) and given.year != year:
                    errors.append(
                        (
                            "span",
                            _("建设起止年限与%(field)s不一致") % {"field": project_field(key).verbose_name},
                        )
                    )
                elif key not in data:
                    data[key] = datetime.date(year, *default)
        return ReadRow(data, errors)

    def _value(self, key: str, reads: Reads, value: Any, unit: str | None) -> Any:
        match reads:
            case Reads.TEXT:
                return self._text(key, value)
            case Reads.CODE:
                return normalize_code(_text(value))
            case Reads.MONEY:
                return (read_decimal(value) * UNITS.get(unit or "万元", 1)).quantize(CENT, ROUND_HALF_UP)
            case Reads.DECIMAL:
                return read_decimal(value)
            case Reads.DATE:
                return read_date(value)
            case Reads.YEAR:
                return read_year(value)
            case Reads.CHOICE:
                return self._choice(key, value)
            case Reads.REGION:
                return self._reference(self.regions, value, _("所属区域“%(value)s”不是本市的县（市、区）"))
            case Reads.OWNER:
                return self._reference(self.owners, value, _("项目单位“%(value)s”未登记为本市企业，请先登记"))
            case Reads.CHAIN:
                return self._reference(self.chains, value, _("产业链“%(value)s”不存在"))
            case Reads.FUNDING:
                return self._funding(value)
        raise CellError(_("无法读取"))  # pragma: no cover

    @staticmethod
    def _text(key: str, value: Any) -> str:
        text = _text(value)
        field = project_field(key)
        if isinstance(field, models.CharField) and field.max_length and len(text) > field.max_length:
            raise CellError(_("最多%(max_length)s个字符") % {"max_length": field.max_length})
        return text

    def _choice(self, key: str, value: Any) -> str:
        text = _text(value)
        found = self.choices[key].get(_key(text))
        if found is None:
            options = "、".join(str(label) for _value, label in self.options[key])
            raise CellError(
                _("“%(value)s”不是可选值（%(options)s）") % {"value": text[:40], "options": options}
            )
        return found

    @staticmethod
    def _reference(known: Mapping[str, Any], value: Any, message: str) -> Any:
        text = _text(value)
        found = known.get(text) or known.get(text.lower()) or known.get(normalize_search(text))
        if found is None:
            raise CellError(message % {"value": text[:60]})
        return found

    def _funding(self, value: Any) -> list[str]:
        sources: list[str] = []
        for part in (p.strip() for p in _SEPARATORS.split(_text(value))):
            if not part:
                continue
            source = self.funding.get(_key(part))
            if source is None:
                raise CellError(_("资金来源“%(value)s”不是可选值") % {"value": part[:40]})
            if source not in sources:
                sources.append(source)
        return sources
