"""The rates per county as an Excel workbook: each rate with its numerator and denominator."""

from decimal import Decimal

from django.utils.translation import gettext as _

from keyprojects.core.xlsx import Column, Kind, XlsxSheet

from .selectors import Metrics, MetricsQuery, MetricsTable


def _columns() -> list[Column]:
    return [
        Column(_("县（市、区）"), Kind.TEXT, 16),
        Column(_("已开工（个）"), Kind.INT, 12),
        Column(_("应开工（个）"), Kind.INT, 12),
        Column(_("开工率"), Kind.PERCENT, 10),
        Column(_("已纳统（个）"), Kind.INT, 12),
        Column(_("应纳统（个）"), Kind.INT, 12),
        Column(_("纳统率"), Kind.PERCENT, 10),
        Column(_("本年完成投资（万元）"), Kind.DECIMAL, 20),
        Column(_("年度计划投资（万元）"), Kind.DECIMAL, 20),
        Column(_("投资完成率"), Kind.PERCENT, 12),
        Column(_("序时进度"), Kind.PERCENT, 10),
        Column(_("对比序时进度（百分点）"), Kind.DECIMAL, 20, number_format="0.0"),
    ]


def _row(label: str, m: Metrics) -> list[object]:
    return [
        label,
        m.start_rate.numerator,
        m.start_rate.denominator,
        m.start_rate.value,
        m.statistics_rate.numerator,
        m.statistics_rate.denominator,
        m.statistics_rate.value,
        m.investment_rate.numerator,
        m.investment_rate.denominator,
        m.investment_rate.value,
        m.time_progress.quantize(Decimal("0.001")),
        m.vs_time_progress,
    ]


def rates_workbook(table: MetricsTable, *, query: MetricsQuery, scope_name: str) -> XlsxSheet:
    """A title with the as-of date, the headers, a row per county, the total in bold."""
    title = _("%(scope)s%(year)s年度重点项目三率（截至%(date)s）") % {
        "scope": scope_name,
        "year": query.year,
        "date": query.as_of.isoformat(),
    }
    sheet = XlsxSheet(name=_("三率"), columns=_columns(), title=title, frozen_columns=1)
    for row in table.rows:
        sheet.append(_row(row.region.name, row.metrics))
    sheet.append(_row(_("合计"), table.total), bold=True)
    return sheet
