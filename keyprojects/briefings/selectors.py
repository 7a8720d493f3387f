"""The month's briefing (简报 / 通报): what it says, read once and laid out as the page's preview, the .docx
and the .pdf.

The rates are those of the metrics app as of the month's last day (or today, for the month under way), per
county with their rankings, phrased as bulletins phrase them ("全市131个实施类项目，开工94个，开工率71.8%；…").
The red and yellow warnings, the overdue blockers and the overdue supervision notices are those in force
today: a warning or a deadline has no past state worth printing, and a briefing is read when it is issued.
"""

import calendar
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from keyprojects.accounts.models import Region, User
from keyprojects.alerts.models import Color
from keyprojects.alerts.selectors import WarningFilters, WarningRow, warning_list, warning_rows
from keyprojects.blockers.models import Blocker
from keyprojects.blockers.selectors import LedgerFilter, blocker_list
from keyprojects.core.templatetags.rates import percent
from keyprojects.metrics.models import StartBasis
from keyprojects.metrics.selectors import Metrics, MetricsQuery, Rate, RegionMetrics, metrics_by_county
from keyprojects.projects.selectors import ProjectFilters
from keyprojects.schedule.workdays import workdays_between
from keyprojects.supervision.selectors import NoticeFilter, notice_list

LIST_LIMIT = 100  # rows of each list printed; the sentences give the full counts
TENTHS = Decimal("0.1")


def yi(amount_wan: Decimal | int) -> str:
    """万元 → 亿元 to one decimal: 958000 → "95.8"."""
    return str((Decimal(amount_wan) / 10000).quantize(TENTHS, rounding=ROUND_HALF_UP))


def month_bounds(month: datetime.date, today: datetime.date) -> datetime.date:
    """The as-of date of a month's briefing: its last day, or today while the month is under way."""
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    return min(last, today) if month <= today else last


def default_month(today: datetime.date) -> datetime.date:
    """The month a briefing is usually written for: the last whole month."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class CountyLine:
    region: Region
    metrics: Metrics
    start_rank: int | None
    investment_rank: int | None


@dataclass(frozen=True)
class BlockerLine:
    project_name: str
    region_name: str
    category: str
    description: str
    department: str
    deadline: datetime.date
    workdays_overdue: int


@dataclass(frozen=True)
class NoticeLine:
    receiver: str
    project_name: str
    subject: str
    issued_on: datetime.date
    deadline: datetime.date
    workdays_overdue: int


@dataclass(frozen=True)
class Briefing:
    month: datetime.date
    as_of: datetime.date
    today: datetime.date
    scope_name: str
    start_basis: str
    total: Metrics
    counties: list[CountyLine]
    red: list[WarningRow]
    red_count: int
    yellow: list[WarningRow]
    yellow_count: int
    overdue_blockers: list[BlockerLine]
    overdue_blocker_count: int
    overdue_notices: list[NoticeLine]
    overdue_notice_count: int

    @property
    def year(self) -> int:
        return self.total.year

    @property
    def title(self) -> str:
        return _("%(scope)s重点项目建设情况通报（%(year)s年%(month)s月）") % {
            "scope": self.scope_name,
            "year": self.month.year,
            "month": self.month.month,
        }

    def sentences(self) -> list[str]:
        """The paragraphs of the briefing's text, in the order a bulletin gives them."""
        return [
            rates_sentence(self.scope_name, self.total, self.start_basis),
            statistics_sentence(self.total),
            *ranking_sentences(self.counties),
            self.issues_sentence(),
        ]

    def issues_sentence(self) -> str:
        return _(
            "截至%(today)s，红色预警%(red)s条、黄色预警%(yellow)s条；超期未解决的难点堵点问题%(blockers)s个；"
            "超期未答复的督办单%(notices)s件。"
        ) % {
            "today": self.today.strftime("%Y-%m-%d"),
            "red": self.red_count,
            "yellow": self.yellow_count,
            "blockers": self.overdue_blocker_count,
            "notices": self.overdue_notice_count,
        }


def rates_sentence(scope: str, m: Metrics, start_basis: str) -> str:
    """全市131个实施类项目，开工94个，开工率71.8%；完成投资95.8亿元，占年度计划投资的30.5%，超序时进度5.5个百分点。"""
    values = {
        "scope": scope,
        "base": m.start_rate.denominator,
        "started": m.start_rate.numerator,
        "rate": percent(m.start_rate.value),
        "done": yi(m.investment_rate.numerator),
        "share": percent(m.investment_rate.value),
    }
    if start_basis == StartBasis.PLANNED:
        start = _("%(scope)s截至统计日计划开工项目%(base)s个，开工%(started)s个，开工率%(rate)s") % values
    else:
        start = _("%(scope)s%(base)s个实施类项目，开工%(started)s个，开工率%(rate)s") % values
    investment = _("完成投资%(done)s亿元，占年度计划投资的%(share)s") % values
    gap = m.vs_time_progress_text
    return f"{start}；{investment}" + (f"，{gap}。" if gap else "。")


def statistics_sentence(m: Metrics) -> str:
    return _("应纳统项目%(due)s个，已入库纳统%(included)s个，纳统率%(rate)s。") % {
        "due": m.statistics_rate.denominator,
        "included": m.statistics_rate.numerator,
        "rate": percent(m.statistics_rate.value),
    }


def ranking_sentences(counties: list[CountyLine]) -> list[str]:
    """Who leads and who trails on the 开工率 and 投资完成率, and who is behind 序时进度."""
    if len(counties) < 2:
        return []
    sentences = []
    for label, rank, rate in (
        (_("开工率"), lambda c: c.start_rank, lambda c: c.metrics.start_rate),
        (_("投资完成率"), lambda c: c.investment_rank, lambda c: c.metrics.investment_rate),
    ):
        ranked = sorted((c for c in counties if rank(c) is not None), key=rank)
        if not ranked:
            continue
        if len(ranked) < 6:
            sentences.append(
                _("%(rate)s由高到低依次为：%(all)s。") % {"rate": label, "all": _named(ranked, rate)}
            )
            continue
        sentences.append(
            _("%(rate)s前三位的是%(first)s；后三位的是%(last)s。")
            % {"rate": label, "first": _named(ranked[:3], rate), "last": _named(ranked[-3:], rate)}
        )
    behind = [c.region.name for c in counties if (c.metrics.vs_time_progress or 0) < 0]
    if behind:
        sentences.append(_("投资完成低于序时进度的有：%(names)s。") % {"names": "、".join(behind)})
    return sentences


def _named(lines: list[CountyLine], rate: Callable[[CountyLine], Rate]) -> str:
    return "、".join(f"{c.region.name}（{percent(rate(c).value)}）" for c in lines)


def ranks(values: list[Decimal | None]) -> list[int | None]:
    """Competition ranking, highest first: 1, 2, 2, 4; None (nothing to divide by) is not ranked."""
    ranked: list[int | None] = []
    for value in values:
        ranked.append(None if value is None else 1 + sum(1 for v in values if v is not None and v > value))
    return ranked


def _county_lines(table_rows: list[RegionMetrics]) -> list[CountyLine]:
    start = ranks([_rate(r.metrics.start_rate) for r in table_rows])
    investment = ranks([_rate(r.metrics.investment_rate) for r in table_rows])
    return [
        CountyLine(row.region, row.metrics, s, i)
        for row, s, i in zip(table_rows, start, investment, strict=True)
    ]


def _rate(rate: Rate) -> Decimal | None:
    return rate.value


def _scope_name(user: User, filters: ProjectFilters) -> str:
    """The county asked for, else the reader's own region (聊城市, 冠县, 山东省)."""
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        if region is not None:
            return region.name
    organization = user.organization
    if organization is not None and organization.region is not None:
        return organization.region.name
    return _("全市")


def _blockers(user: User, region: str | None, today: datetime.date) -> tuple[list[BlockerLine], int]:
    qs = blocker_list(user=user, filters=LedgerFilter(overdue=True, region=region), today=today).order_by(
        "deadline", "id"
    )
    categories = dict(Blocker._meta.get_field("category").choices or [])
    lines = [
        BlockerLine(
            project_name=b.project.name,
            region_name=b.project.region.name if b.project.region else "",
            category=str(categories.get(b.category, b.category)),
            description=b.description,
            department=b.department.name if b.department else "",
            deadline=b.deadline,
            workdays_overdue=workdays_between(b.deadline, today),
        )
        for b in qs[:LIST_LIMIT]
        if b.deadline is not None
    ]
    return lines, qs.count()


def _notices(user: User, region: str | None, today: datetime.date) -> tuple[list[NoticeLine], int]:
    qs = notice_list(user=user, filters=NoticeFilter(overdue=True), today=today)
    if region:
        found = Region.objects.filter(code=region).first()
        qs = qs.filter(project__region__path__startswith=found.path) if found else qs.none()
    qs = qs.order_by("deadline", "id")
    lines = [
        NoticeLine(
            receiver=n.receiver.name,
            project_name=n.project.name if n.project else "",
            subject=n.subject,
            issued_on=n.issued_on,
            deadline=n.deadline,
            workdays_overdue=workdays_between(n.deadline, today),
        )
        for n in qs[:LIST_LIMIT]
    ]
    return lines, qs.count()


def _warnings(user: User, color: str, region: str | None) -> tuple[list[WarningRow], int]:
    qs = warning_list(user=user, filters=WarningFilters(color=color, region=region))
    return warning_rows(qs[:LIST_LIMIT]), qs.count()


def briefing(
    *, user: User, month: datetime.date, today: datetime.date, filters: ProjectFilters | None = None
) -> Briefing:
    """The briefing of `month` (its first day) over the user's slice of the list (`filters`)."""
    filters = filters or ProjectFilters()
    month = month.replace(day=1)
    query = MetricsQuery.build(as_of=month_bounds(month, today), filters=filters, city_id=user.city_id)
    table = metrics_by_county(user=user, query=query)
    red, red_count = _warnings(user, Color.RED, filters.region)
    yellow, yellow_count = _warnings(user, Color.YELLOW, filters.region)
    blockers, blocker_count = _blockers(user, filters.region, today)
    notices, notice_count = _notices(user, filters.region, today)
    return Briefing(
        month=month,
        as_of=query.as_of,
        today=today,
        scope_name=_scope_name(user, filters),
        start_basis=query.start_basis,
        total=table.total,
        counties=_county_lines(table.rows),
        red=red,
        red_count=red_count,
        yellow=yellow,
        yellow_count=yellow_count,
        overdue_blockers=blockers,
        overdue_blocker_count=blocker_count,
        overdue_notices=notices,
        overdue_notice_count=notice_count,
    )
