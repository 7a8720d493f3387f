"""The briefing as a list of blocks (headings, paragraphs, tables, charts): laid out once here, written by
`docx.py` and `pdf.py` alike. Every cell is text, written as typed: a name beginning with =, +, -, @ or a
tab is never read as a formula by either format."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from django.utils.translation import gettext as _

from keyprojects.core.templatetags.rates import percent

from .charts import Bar, bar_chart
from .selectors import Briefing, yi


@dataclass(frozen=True)
class Heading:
    kind: ClassVar[str] = "heading"
    text: str
    level: int = 1


@dataclass(frozen=True)
class Paragraph:
    kind: ClassVar[str] = "paragraph"
    text: str
    muted: bool = False


@dataclass(frozen=True)
class Table:
    kind: ClassVar[str] = "table"
    headers: list[str]
    rows: list[list[str]]
    widths: list[int]  # relative
    bold_last: bool = False


@dataclass(frozen=True)
class Chart:
    kind: ClassVar[str] = "chart"
    png: bytes
    width_ratio: float = 1.0


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    blocks: list[Heading | Paragraph | Table | Chart] = field(default_factory=list)


def _rank(value: int | None) -> str:
    return "—" if value is None else str(value)


def _gap(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:+}"


def _counties(b: Briefing) -> Table:
    headers = [
        _("县（市、区）"), _("应开工"), _("已开工"), _("开工率"), _("排名"),
        _("完成投资（亿元）"), _("投资完成率"), _("比序时进度（百分点）"), _("排名"), _("纳统率"),
    ]  # fmt: skip
    rows = []
    for line in b.counties:
        m = line.metrics
        rows.append([
            line.region.name, str(m.start_rate.denominator), str(m.start_rate.numerator),
            percent(m.start_rate.value), _rank(line.start_rank), yi(m.investment_rate.numerator),
            percent(m.investment_rate.value), _gap(m.vs_time_progress), _rank(line.investment_rank),
            percent(m.statistics_rate.value),
        ])  # fmt: skip
    t = b.total
    rows.append([
        _("合计"), str(t.start_rate.denominator), str(t.start_rate.numerator), percent(t.start_rate.value), "",
        yi(t.investment_rate.numerator), percent(t.investment_rate.value), _gap(t.vs_time_progress), "",
        percent(t.statistics_rate.value),
    ])  # fmt: skip
    return Table(headers, rows, [16, 8, 8, 9, 6, 12, 11, 13, 6, 9], bold_last=True)


def _charts(b: Briefing) -> list[Chart]:
    by_start = sorted(b.counties, key=lambda c: (c.start_rank is None, c.start_rank or 0))
    by_investment = sorted(b.counties, key=lambda c: (c.investment_rank is None, c.investment_rank or 0))
    return [
        Chart(
            bar_chart(
                _("各县（市、区）开工率"), [Bar(c.region.name, c.metrics.start_rate.value) for c in by_start]
            )
        ),
        Chart(
            bar_chart(
                _("各县（市、区）投资完成率"),
                [Bar(c.region.name, c.metrics.investment_rate.value) for c in by_investment],
                mark=b.total.time_progress,
                mark_label=_("序时进度 %(p)s") % {"p": percent(b.total.time_progress)},
            )
        ),
    ]


def _more(shown: int, total: int) -> list[Paragraph]:
    if total <= shown:
        return []
    return [
        Paragraph(_("（仅列前%(shown)s条，共%(total)s条）") % {"shown": shown, "total": total}, muted=True)
    ]


def _warnings(b: Briefing) -> list[Heading | Paragraph | Table]:
    blocks: list[Heading | Paragraph | Table] = []
    for label, rows, count in (
        (_("红色预警"), b.red, b.red_count),
        (_("黄色预警"), b.yellow, b.yellow_count),
    ):
        blocks.append(Heading(_("%(label)s项目（%(count)s条）") % {"label": label, "count": count}, level=2))
        if not rows:
            blocks.append(Paragraph(_("无。")))
            continue
        blocks.append(
            Table(
                [_("项目名称"), _("县（市、区）"), _("预警类型"), _("预警内容"), _("亮灯日期")],
                [[w.project_name, w.region_name, w.rule_label, w.message, w.since.isoformat()] for w in rows],
                [26, 10, 14, 38, 12],
            )
        )
        blocks.extend(_more(len(rows), count))
    return blocks


def _blockers(b: Briefing) -> list[Heading | Paragraph | Table]:
    title = _("超期未解决的难点堵点问题（%(count)s个）") % {"count": b.overdue_blocker_count}
    blocks: list[Heading | Paragraph | Table] = [Heading(title, level=2)]
    if not b.overdue_blockers:
        return [*blocks, Paragraph(_("无。"))]
    blocks.append(
        Table(
            [
                _("项目名称"),
                _("县（市、区）"),
                _("问题类别"),
                _("问题描述"),
                _("责任单位"),
                _("办理期限"),
                _("超期（工作日）"),
            ],
            [
                [
                    x.project_name,
                    x.region_name,
                    x.category,
                    x.description,
                    x.department,
                    x.deadline.isoformat(),
                    str(x.workdays_overdue),
                ]
                for x in b.overdue_blockers
            ],
            [20, 9, 10, 27, 14, 11, 9],
        )
    )
    return blocks + _more(len(b.overdue_blockers), b.overdue_blocker_count)


def _notices(b: Briefing) -> list[Heading | Paragraph | Table]:
    title = _("超期未答复的督办单（%(count)s件）") % {"count": b.overdue_notice_count}
    blocks: list[Heading | Paragraph | Table] = [Heading(title, level=2)]
    if not b.overdue_notices:
        return [*blocks, Paragraph(_("无。"))]
    blocks.append(
        Table(
            [_("督办对象"), _("项目名称"), _("督办事项"), _("督办日期"), _("答复期限"), _("超期（工作日）")],
            [
                [
                    n.receiver,
                    n.project_name,
                    n.subject,
                    n.issued_on.isoformat(),
                    n.deadline.isoformat(),
                    str(n.workdays_overdue),
                ]
                for n in b.overdue_notices
            ],
            [16, 22, 32, 11, 11, 9],
        )
    )
    return blocks + _more(len(b.overdue_notices), b.overdue_notice_count)


def briefing_document(b: Briefing, *, charts: bool = True) -> Document:
    subtitle = _("统计截至%(as_of)s；预警、问题和督办截至%(today)s") % {
        "as_of": b.as_of.isoformat(),
        "today": b.today.isoformat(),
    }
    blocks: list[Heading | Paragraph | Table | Chart] = [Heading(_("一、总体情况"))]
    blocks += [Paragraph(text) for text in b.sentences()]
    blocks += [Heading(_("二、各县（市、区）三率及排名")), _counties(b)]
    if charts and b.counties:
        blocks += _charts(b)
    blocks += [Heading(_("三、红黄灯预警")), *_warnings(b)]
    blocks += [Heading(_("四、超期问题和督办")), *_blockers(b), *_notices(b)]
    return Document(b.title, subtitle, blocks)
