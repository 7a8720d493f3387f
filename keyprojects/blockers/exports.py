"""The ledger (问题台账) and a meeting's minutes list (会议纪要事项清单) as workbooks."""

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.core.xlsx import Column, Kind, XlsxSheet

from .models import OPEN, Blocker, Category, Decision, DecisionStatus, Level, Meeting, Rating, Status


def ledger_workbook(blockers: Iterable[Blocker], *, scope_name: str, today: datetime.date) -> XlsxSheet:
    columns = [
        Column(_("序号"), Kind.INT, 6),
        Column(_("项目名称"), Kind.TEXT, 36),
        Column(_("县（市、区）"), Kind.TEXT, 12),
        Column(_("问题类别"), Kind.TEXT, 10),
        Column(_("问题描述"), Kind.TEXT, 50, wrap=True),
        Column(_("诉求"), Kind.TEXT, 30, wrap=True),
        Column(_("状态"), Kind.TEXT, 12),
        Column(_("协调层级"), Kind.TEXT, 14),
        Column(_("责任单位"), Kind.TEXT, 22),
        Column(_("反映日期"), Kind.DATE, 12),
        Column(_("办结期限"), Kind.DATE, 12),
        Column(_("是否逾期"), Kind.TEXT, 8),
        Column(_("办结日期"), Kind.DATE, 12),
        Column(_("评价"), Kind.TEXT, 10),
    ]
    title = _("%(scope)s重点项目难点堵点问题台账（截至%(date)s）") % {
        "scope": scope_name,
        "date": today.isoformat(),
    }
    sheet = XlsxSheet(name=_("问题台账"), columns=columns, title=title)
    categories, statuses = dict(Category.choices), dict(Status.choices)
    levels, ratings = dict(Level.choices), dict(Rating.choices)
    for number, b in enumerate(blockers, start=1):
        overdue = b.status in OPEN and b.deadline is not None and b.deadline < today
        sheet.append(
            [
                number,
                b.project.name,
                b.project.region.name,
                str(categories.get(b.category, b.category)),
                b.description,
                b.request,
                str(statuses.get(b.status, b.status)),
                str(levels.get(b.level, b.level)),
                b.department.name if b.department else "",
                timezone.localtime(b.raised_at).date(),
                b.deadline,
                _("是") if overdue else "",
                b.resolved_on,
                str(ratings.get(b.rating, "")),
            ],
            fills={11: "F8D7DA"} if overdue else None,
        )
    return sheet


def minutes_workbook(meeting: Meeting, decisions: Iterable[Decision], *, today: datetime.date) -> XlsxSheet:
    columns = [
        Column(_("序号"), Kind.INT, 6),
        Column(_("项目名称"), Kind.TEXT, 36),
        Column(_("议定事项"), Kind.TEXT, 60, wrap=True),
        Column(_("责任单位"), Kind.TEXT, 24),
        Column(_("完成时限"), Kind.DATE, 12),
        Column(_("落实情况"), Kind.TEXT, 40, wrap=True),
        Column(_("状态"), Kind.TEXT, 10),
    ]
    title = _("%(title)s会议纪要事项清单（%(date)s）") % {
        "title": meeting.title,
        "date": meeting.held_on.isoformat(),
    }
    sheet = XlsxSheet(name=_("纪要事项"), columns=columns, title=title)
    for number, d in enumerate(decisions, start=1):
        late = d.status == DecisionStatus.OPEN and d.deadline < today
        sheet.append(
            [
                number,
                d.blocker.project.name if d.blocker else "",
                d.text,
                d.department.name,
                d.deadline,
                d.done_note,
                _("逾期") if late else str(d.get_status_display()),
            ]
        )
    return sheet
