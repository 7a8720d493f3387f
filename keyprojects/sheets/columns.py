"""The columns of a key-project list, as offices keep it (domain.md, "A key-project record"): one table read
by the import (which header names a column, how its cells are read) and by the export (the header written,
how a project's value is shown), so that a file exported and imported again changes nothing.

A header is matched by name, never by position: spaces and line breaks are dropped, full-width brackets
read as half-width, a trailing unit in brackets (万元, 亿元, 亩) is taken off and remembered, and the name
is looked up among the column's Chinese names and its header in the reader's language.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from keyprojects.core.xlsx import Kind


class Reads(StrEnum):
    """How an imported cell becomes a field's value."""

    TEXT = "text"
    CODE = "code"
    MONEY = "money"  # 万元, or 亿元 when the header says so
    DECIMAL = "decimal"
    DATE = "date"
    YEAR = "year"
    CHOICE = "choice"
    REGION = "region"
    OWNER = "owner"
    CHAIN = "chain"
    FUNDING = "funding"
    SPAN = "span"  # 建设起止年限: fills the planned dates a file leaves out
    IGNORED = "ignored"  # shown by the export, worked out from other columns, skipped on import


@dataclass(frozen=True)
class ListColumn:
    key: str  # the project's field, or the name of a column worked out from others
    header: str | Promise
    reads: Reads
    aliases: tuple[str, ...] = ()
    kind: Kind = Kind.TEXT
    width: int = 14
    wrap: bool = False


COLUMNS: tuple[ListColumn, ...] = (
    ListColumn("number", _("序号"), Reads.IGNORED, ("编号",), Kind.INT, 6),
    ListColumn("code", _("统一项目代码"), Reads.CODE, ("项目代码", "统一代码", "项目统一代码", "赋码"), width=26),
    ListColumn("name", _("项目名称"), Reads.TEXT, ("名称", "项目"), width=36, wrap=True),
    ListColumn("region", _("所属区域"), Reads.REGION, ("县(市、区)", "县市区", "区域", "所属县市区", "所在区域", "县区"), width=12),
    ListColumn("level", _("项目级别"), Reads.CHOICE, ("级别",), width=10),
    ListColumn("category", _("项目类别"), Reads.CHOICE, ("类别", "项目分类"), width=12),
    ListColumn("list_kind", _("项目类型"), Reads.CHOICE, ("实施类/准备类", "清单类型"), width=10),
    ListColumn("year", _("年度"), Reads.YEAR, ("计划年度", "年份"), Kind.INT, 8),
    ListColumn("nature", _("建设性质"), Reads.CHOICE, ("性质",), width=10),
    ListColumn("industry", _("所属行业"), Reads.CHOICE, ("行业", "行业类别"), width=14),
    ListColumn("chain", _("所属产业链"), Reads.CHAIN, ("产业链",), width=14),
    ListColumn("approval_type", _("立项类型"), Reads.CHOICE, ("立项方式", "审批类型"), width=10),
    ListColumn("approval_number", _("立项批复文号"), Reads.TEXT, ("批复文号", "立项文号", "立项/可研/初设批复文号"), width=20),
    ListColumn("owner", _("项目单位"), Reads.OWNER, ("建设单位", "项目业主", "业主单位", "项目建设单位"), width=28),
    ListColumn("responsible_unit", _("责任单位"), Reads.TEXT, ("牵头单位",), width=20),
    ListColumn("location", _("建设地点"), Reads.TEXT, ("项目地点", "建设地址"), width=20),
    ListColumn("scope", _("主要建设内容及规模"), Reads.TEXT, ("建设内容及规模", "建设内容", "主要建设内容", "建设规模及内容"), width=40, wrap=True),
    ListColumn("land_area", _("用地面积（亩）"), Reads.DECIMAL, ("用地面积", "占地面积", "用地"), Kind.DECIMAL, 12),
    ListColumn("span", _("建设起止年限"), Reads.SPAN, ("起止年限", "建设年限", "建设期限"), width=12),
    ListColumn("planned_start", _("计划开工时间"), Reads.DATE, ("开工时间", "计划开工", "计划开工日期"), Kind.DATE, 12),
    ListColumn("planned_end", _("计划竣工时间"), Reads.DATE, ("竣工时间", "计划竣工", "计划竣工日期"), Kind.DATE, 12),
    ListColumn("actual_start", _("实际开工时间"), Reads.DATE, ("实际开工", "实际开工日期"), Kind.DATE, 12),
    ListColumn("actual_end", _("实际竣工时间"), Reads.DATE, ("实际竣工", "实际竣工日期"), Kind.DATE, 12),
    ListColumn("total_investment", _("总投资（万元）"), Reads.MONEY, ("总投资", "计划总投资", "项目总投资", "估算总投资"), Kind.DECIMAL, 14),
    ListColumn("annual_investment", _("年度计划投资（万元）"), Reads.MONEY, ("年度计划投资", "本年计划投资", "年计划投资", "年度投资计划", "当年计划投资"), Kind.DECIMAL, 14),
    ListColumn("funding_sources", _("资金来源"), Reads.FUNDING, ("资金筹措", "资金来源渠道"), width=18),
    ListColumn("contact_name", _("联系人"), Reads.TEXT, ("项目联系人",), width=10),
    ListColumn("contact_phone", _("联系电话"), Reads.TEXT, ("电话", "联系方式", "手机"), width=14),
    ListColumn("leader_name", _("包保责任领导"), Reads.TEXT, ("包保领导", "包挂领导", "责任领导", "包保市领导"), width=12),
    ListColumn("leader_post", _("领导职务"), Reads.TEXT, ("职务", "包保领导职务"), width=16),
    ListColumn("task_force", _("工作专班"), Reads.TEXT, ("专班",), width=16),
    ListColumn("annual_goal", _("年度工作目标"), Reads.TEXT, ("年计划形象进度", "年度目标", "年度形象进度目标"), width=24, wrap=True),
    ListColumn("pipeline", _("入库状态"), Reads.CHOICE, ("所在库",), width=10),
    ListColumn("stage", _("建设阶段"), Reads.CHOICE, ("项目阶段", "阶段"), width=10),
    ListColumn("stage_reason", _("阶段说明"), Reads.TEXT, ("暂缓或退出原因", "暂缓原因", "退出原因"), width=16),
    ListColumn("started", _("开工状态"), Reads.IGNORED, ("是否开工",), width=10),
    ListColumn("progress", _("形象进度"), Reads.IGNORED, ("目前形象进度",), width=10),
    ListColumn("latitude", _("纬度"), Reads.DECIMAL, (), Kind.DECIMAL, 11),
    ListColumn("longitude", _("经度"), Reads.DECIMAL, (), Kind.DECIMAL, 11),
    ListColumn("remarks", _("备注"), Reads.TEXT, ("说明",), width=20, wrap=True),
)  # fmt: skip
EXPORTED = tuple(column for column in COLUMNS if column.key != "progress")  # 形象进度 is the dispatch sheet's
BY_KEY = {column.key: column for column in COLUMNS}
# "2026年计划投资", "2026年度计划投资(万元)": the year's plan, named by its year
ANNUAL_BY_YEAR = re.compile(r"^\d{4}年度?(计划投资|投资计划)$")
UNITS = {"万元": 1, "亿元": 10000, "亩": 1}
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")"})
_SPACES = re.compile(r"[\s\u3000*※]+")
_UNIT = re.compile(r"\((万元|亿元|亩)\)$")


def normalize_header(text: str) -> tuple[str, str | None]:
    """The header's name with spaces, line breaks and required-field stars dropped and brackets
    half-width, and the unit it names in brackets at its end, if any."""
    name = _SPACES.sub("", text.translate(_BRACKETS))
    match = _UNIT.search(name)
    if match is None:
        return name, None
    return name[: match.start()], match.group(1)


@dataclass(frozen=True)
class Header:
    column: ListColumn
    unit: str | None  # the unit the header names, if any


def _names() -> dict[str, ListColumn]:
    names: dict[str, ListColumn] = {}
    for column in COLUMNS:
        for label in (*column.aliases, str(column.header)):
            names.setdefault(normalize_header(label)[0], column)
    return names


def header_matcher() -> Callable[[str], Header | None]:
    """A function naming the column of a header cell (or None), knowing the Chinese names and the headers in
    the reader's language."""
    names = _names()
    with override("zh-hans"):
        for name, column in _names().items():
            names.setdefault(name, column)
    lowered = {name.lower(): column for name, column in names.items()}

    def match(text: str) -> Header | None:
        name, unit = normalize_header(text)
        column = lowered.get(name.lower())
        if column is None and ANNUAL_BY_YEAR.match(name):
            column = BY_KEY["annual_investment"]
        return None if column is None else Header(column, unit)

    return match
