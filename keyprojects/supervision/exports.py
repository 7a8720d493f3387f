"""The notices as a workbook (督办单台账)."""

import datetime
from collections.abc import Iterable

from django.utils.translation import gettext as _

from keyprojects.core.xlsx import Column, Kind, XlsxSheet

from .models import NoticeSource, NoticeStatus, SupervisionNotice
from .selectors import is_overdue


def notices_workbook(notices: Iterable[SupervisionNotice], *, today: datetime.date) -> XlsxSheet:
    columns = [
        Column(_("编号"), Kind.INT, 8),
        Column(_("督办来源"), Kind.TEXT, 14),
        Column(_("项目名称"), Kind.TEXT, 36),
        Column(_("督办对象"), Kind.TEXT, 24),
        Column(_("督办事项"), Kind.TEXT, 50, wrap=True),
        Column(_("督办日期"), Kind.DATE, 12),
        Column(_("答复期限"), Kind.DATE, 12),
        Column(_("状态"), Kind.TEXT, 14),
        Column(_("是否逾期"), Kind.TEXT, 8),
        Column(_("答复"), Kind.TEXT, 50, wrap=True),
        Column(_("答复日期"), Kind.DATE, 12),
    ]
    title = _("重点项目督办单台账（截至%(date)s）") % {"date": today.isoformat()}
    sheet = XlsxSheet(name=_("督办单"), columns=columns, title=title)
    sources, statuses = dict(NoticeSource.choices), dict(NoticeStatus.choices)
    yes, no = _("是"), _("否")
    for n in notices:
        sheet.append(
            [
                n.pk,
                str(sources.get(n.source, n.source)),
                n.project.name if n.project is not None else "—",
                n.receiver.name,
                n.subject,
                n.issued_on,
                n.deadline,
                str(statuses.get(n.status, n.status)),
                yes if is_overdue(n, today) else no,
                n.answer,
                n.answered_on,
            ]
        )
    return sheet
