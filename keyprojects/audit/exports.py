"""The audit records of a search as an .xlsx workbook."""

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.core.xlsx import Column, XlsxSheet

from .display import audit_row, model_name
from .models import AuditRecord

# a workbook past this many rows is asked for by narrowing the search
MAX_ROWS = 100_000


def audit_workbook(records: QuerySet[AuditRecord]) -> XlsxSheet:
    sheet = XlsxSheet(
        name=_("审计记录"),
        title=_("审计记录"),
        columns=[
            Column(_("序号"), width=10),
            Column(_("时间"), width=20),
            Column(_("类别"), width=12),
            Column(_("用户名"), width=14),
            Column(_("姓名"), width=12),
            Column(_("IP地址"), width=16),
            Column(_("对象"), width=30),
            Column(_("对象类型"), width=20),
            Column(_("方法"), width=8),
            Column(_("路径"), width=36),
            Column(_("变更内容"), width=60, wrap=True),
            Column(_("原因"), width=24),
            Column(_("哈希"), width=30),
        ],
    )
    for row in map(audit_row, records[:MAX_ROWS]):
        record = row.record
        sheet.append(
            [
                record.seq,
                timezone.localtime(record.at).strftime("%Y-%m-%d %H:%M:%S"),
                record.get_kind_display(),
                record.username,
                record.actor.full_name if record.actor else "",
                record.ip or "",
                row.object,
                model_name(record.object_model) if record.object_model else "",
                record.method,
                record.path,
                row.changes,
                record.reason,
                record.hash,
            ]
        )
    return sheet
