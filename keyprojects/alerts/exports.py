"""The 督办 (supervision) list as an Excel workbook: one row per red or yellow warning."""

import datetime
from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import gettext as _

from keyprojects.core.record_columns import RecordColumn
from keyprojects.core.xlsx import Column, Kind, XlsxSheet

from .models import Color, ProjectWarning, Rule

FILLS: dict[str, str] = {Color.RED: "F8D7DA", Color.YELLOW: "FFF3CD"}
COLOR_COLUMN = 4


def _columns() -> list[Column]:
    return [
        Column(_("序号"), Kind.INT, 6),
        Column(_("项目名称"), Kind.TEXT, 40),
        Column(_("县（市、区）"), Kind.TEXT, 12),
        Column(_("预警类型"), Kind.TEXT, 18),
        Column(_("预警颜色"), Kind.TEXT, 10),
        Column(_("预警原因"), Kind.TEXT, 60, wrap=True),
        Column(_("预警起始日期"), Kind.DATE, 14),
        Column(_("责任单位"), Kind.TEXT, 24),
        Column(_("包保领导"), Kind.TEXT, 24),
    ]


def supervision_workbook(
    warnings: Iterable[ProjectWarning],
    *,
    scope_name: str,
    today: datetime.date,
    extra: Sequence[tuple[RecordColumn, Mapping[int, str]]] = (),
) -> XlsxSheet:
    """A title row, the headers, then the warnings in the given order; then the columns other apps add
    (`core.record_columns`, kind ``alerts.warning``), with their texts by warning id."""
    columns = _columns() + [Column(str(c.label), Kind.TEXT, c.width, wrap=True) for c, _v in extra]
    title = _("%(scope)s重点项目督办清单（截至%(date)s）") % {"scope": scope_name, "date": today.isoformat()}
    sheet = XlsxSheet(name=_("督办清单"), columns=columns, title=title)
    # each label translated once, not once a row
    rules = {value: str(label) for value, label in Rule.choices}
    colors = {value: str(label) for value, label in Color.choices}
    for number, warning in enumerate(warnings, start=1):
        project = warning.project
        leader = " ".join(part for part in (project.leader_name, project.leader_post) if part)
        sheet.append(
            [
                number,
                project.name,
                project.region.name,
                rules.get(warning.rule, warning.rule),
                colors.get(warning.color, warning.color),
                warning.message,
                warning.since,
                project.responsible_unit,
                leader,
                *(values.get(warning.pk, "") for _c, values in extra),
            ],
            fills={COLOR_COLUMN: FILLS[warning.color]} if warning.color in FILLS else None,
        )
    return sheet
