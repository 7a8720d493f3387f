"""A round's monthly dispatch sheet (月度调度表), in the layout offices exchange (domain.md): per project of
the round, each month of the year up to the round's, its 形象进度 and 实际完成投资 side by side; then the
year's and the since-start cumulative investment, the problems reported for the round's month, and the three
rates — the project's own (开工, 纳统, 投资完成率) in its row, the list's in the title.

The month's figures are the current version of each report (its status beside it); the cumulative figures are
those the report page shows: the month's report added to the figures in force of the other months."""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from keyprojects.accounts.models import User
from keyprojects.core.templatetags.rates import percent
from keyprojects.core.xlsx import Column, Kind, XlsxSheet
from keyprojects.inclusion.selectors import included_q
from keyprojects.metrics.selectors import MetricsQuery, metrics
from keyprojects.progress.models import DispatchRound, MonthlyReport
from keyprojects.progress.selectors import project_ledgers
from keyprojects.projects.permissions import visible_projects
from keyprojects.projects.selectors import ProjectFilters

HEAD = 7  # 序号 … 年度计划投资, before the months
RETURNED_FILL = "F8D7DA"


def month_headers(month: int) -> tuple[str, str]:
    """The two columns of a month, as the sheet names them (and as its import finds them)."""
    return _("%(month)s月形象进度") % {"month": month}, _("%(month)s月完成投资（万元）") % {"month": month}


@dataclass(frozen=True)
class SheetColumns:
    """Where the sheet puts what, for its reader (the import of reports)."""

    months: int

    @property
    def columns(self) -> list[Column]:
        head = [
            Column(_("序号"), Kind.INT, 6),
            Column(_("统一项目代码"), Kind.TEXT, 26),
            Column(_("项目名称"), Kind.TEXT, 34, wrap=True),
            Column(_("所属区域"), Kind.TEXT, 10),
            Column(_("项目单位"), Kind.TEXT, 24, wrap=True),
            Column(_("总投资（万元）"), Kind.DECIMAL, 14),
            Column(_("年度计划投资（万元）"), Kind.DECIMAL, 14),
        ]
        months = []
        for month in range(1, self.months + 1):
            text, amount = month_headers(month)
            months += [Column(text, Kind.TEXT, 26, wrap=True), Column(amount, Kind.DECIMAL, 12)]
        tail = [
            Column(_("当年累计完成投资（万元）"), Kind.DECIMAL, 14),
            Column(_("自开工累计完成投资（万元）"), Kind.DECIMAL, 14),
            Column(_("存在问题及困难"), Kind.TEXT, 30, wrap=True),
            Column(_("是否开工"), Kind.TEXT, 8),
            Column(_("是否纳统"), Kind.TEXT, 8),
            Column(_("投资完成率"), Kind.PERCENT, 10),
            Column(_("填报状态"), Kind.TEXT, 12),
        ]
        return head + months + tail


def _month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def dispatch_title(user: User, dispatch_round: DispatchRound) -> str:
    """The sheet's title: the round, and the three rates of the user's list as of the round's month end."""
    as_of = _month_end(datetime.date(dispatch_round.year, dispatch_round.month, 1))
    query = MetricsQuery.build(
        as_of=as_of, filters=ProjectFilters(year=dispatch_round.year), city_id=user.city_id
    )
    rates = metrics(user=user, query=query)
    return _(
        "%(title)s重点项目月度调度表（截至%(date)s）：开工率%(start)s，纳统率%(statistics)s，投资完成率%(investment)s"
    ) % {
        "title": dispatch_round.title,
        "date": as_of.isoformat(),
        "start": percent(rates.start_rate.value),
        "statistics": percent(rates.statistics_rate.value),
        "investment": percent(rates.investment_rate.value),
    }


def _status_text(report: MonthlyReport | None) -> str:
    if report is None:
        return _("未报")
    status = str(report.get_status_display())
    return _("%(status)s（县级代填）") % {"status": status} if report.filled_on_behalf else status


def dispatch_workbook(user: User, dispatch_round: DispatchRound) -> XlsxSheet:
    """The round's sheet for `user`: the round's projects the user sees, by region then investment."""
    layout = SheetColumns(months=dispatch_round.month)
    month = datetime.date(dispatch_round.year, dispatch_round.month, 1)
    as_of = _month_end(month)
    projects = list(
        visible_projects(user, dispatch_round.projects.all())
        .select_related("region", "owner")
        .order_by("region__sort_order", "-total_investment", "id")
    )
    ids = [p.pk for p in projects]
    reports: dict[tuple[int, int], MonthlyReport] = {
        (r.project_id, r.month.month): r
        for r in MonthlyReport.objects.filter(
            project_id__in=ids, is_current=True, month__year=dispatch_round.year, month__lte=month
        )
    }
    included = set(
        visible_projects(user).filter(included_q(as_of=as_of), pk__in=ids).values_list("pk", flat=True)
    )
    ledgers = project_ledgers(projects)
    sheet = XlsxSheet(
        name=_("月度调度表"),
        columns=layout.columns,
        title=dispatch_title(user, dispatch_round),
        frozen_columns=3,
    )
    yes, no = _("是"), _("否")
    for number, project in enumerate(projects, start=1):
        row: list[object] = [
            number, project.code or "", project.name, project.region.name,
            project.owner.name if project.owner else "", project.total_investment, project.annual_investment,
        ]  # fmt: skip
        fills: dict[int, str] = {}
        for m in range(1, dispatch_round.month + 1):
            report = reports.get((project.pk, m))
            row += [report.progress_text if report else "", report.total if report else None]
            if report is not None and report.status == MonthlyReport.Status.RETURNED:
                fills[len(row) - 2] = fills[len(row) - 1] = RETURNED_FILL
        current = reports.get((project.pk, dispatch_round.month))
        ledger = ledgers[project.pk]
        figures = ledger.figures(
            month=month, total=current.total if current else ledger.months.get(month, Decimal(0))
        )
        started = project.actual_start is not None and project.actual_start <= as_of
        row += [
            figures.year_to_date,
            figures.since_start,
            current.problems if current else "",
            yes if started else no,
            yes if project.pk in included else no,
            figures.plan_rate,
            _status_text(current),
        ]
        sheet.append(row, fills=fills or None)
    return sheet


def dispatch_filename(dispatch_round: DispatchRound) -> tuple[str, str]:
    return (
        _("月度调度表-%(title)s.xlsx") % {"title": dispatch_round.title},
        f"dispatch-{dispatch_round.year}-{dispatch_round.month:02d}.xlsx",
    )
