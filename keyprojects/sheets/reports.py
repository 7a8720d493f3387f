"""Monthly reports brought in from a round's dispatch sheet (the one `dispatch.py` writes, or an office's
own with the same headers): for each project of the round, the round's month's 形象进度, 完成投资 and 存在问题
are submitted through progress' entry point (`progress.imports`), by the owner or, where the round allows
it, by the county on the owner's behalf (marked 县级代填); all rows or none."""

from decimal import ROUND_HALF_UP
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError
from keyprojects.progress.imports import ReportLine, may_import_reports, reports_import
from keyprojects.progress.models import DispatchRound
from keyprojects.projects.codes import normalize_code
from keyprojects.projects.permissions import visible_projects

from .columns import UNITS, Header, ListColumn, Reads, normalize_header
from .dispatch import month_headers
from .parsing import CENT, CellError, read_decimal
from .reading import find_table, iter_cells, open_sheets, skipped_row
from .services import ImportResult, RowError

FIELD_COLUMNS = {"progress_text": "progress", "other": "total", "total": "total", "override_reason": "total"}


def _columns(month: int) -> dict[str, ListColumn]:
    text, amount = month_headers(month)
    columns = [
        ListColumn("code", gettext_lazy("统一项目代码"), Reads.CODE, ("项目代码",)),
        ListColumn("name", gettext_lazy("项目名称"), Reads.TEXT, ("名称",)),
        ListColumn("progress", text, Reads.TEXT, (f"{month}月份形象进度", "形象进度")),
        ListColumn("total", amount, Reads.MONEY, (f"{month}月份完成投资", "本月完成投资", "实际完成投资")),
        ListColumn("problems", gettext_lazy("存在问题及困难"), Reads.TEXT, ("存在问题", "存在的问题")),
    ]  # fmt: skip
    names: dict[str, ListColumn] = {}
    for column in columns:
        for label in (str(column.header), *column.aliases):
            names.setdefault(normalize_header(label)[0], column)
    return names


def require_report_import(user: User, dispatch_round: DispatchRound) -> None:
    if not may_import_reports(user, dispatch_round):
        raise PermissionDenied(_("您无权填报本期的月度报告"))


def round_reports_import(
    *, user: User, dispatch_round: DispatchRound, content: bytes, dry_run: bool = False
) -> ImportResult:
    """The round's month's reports from a sheet; `created` counts the reports submitted."""
    require_report_import(user, dispatch_round)
    names = _columns(dispatch_round.month)

    def match(text: str) -> Header | None:
        name, unit = normalize_header(text)
        column = names.get(name)
        return None if column is None else Header(column, unit)

    table = next((t for s in open_sheets(content) if (t := find_table(s, match, required="progress"))), None)
    if table is None:
        message = _("未找到“%(column)s”列") % {"column": month_headers(dispatch_round.month)[0]}
        raise ApplicationError(message, errors={"file": [message]})
    header_names = {h.column.key: table.header_texts[i] for i, h in table.headers.items()}
    projects = visible_projects(user, dispatch_round.projects.all()).values_list("pk", "code", "name")
    by_code = {code: pk for pk, code, _name in projects if code}
    by_name: dict[str, list[int]] = {}
    for pk, _code, name in projects:
        by_name.setdefault(name, []).append(pk)
    result = ImportResult(dry_run=dry_run)
    lines: list[ReportLine] = []
    for number, cells in iter_cells(table):
        if skipped_row(cells, table):
            continue
        values: dict[str, Any] = {table.headers[i].column.key: v for i, v in cells.items()}
        if "progress" not in values and "total" not in values:
            continue  # no report in this row (a total, a heading, a project not reported)
        code = normalize_code(str(values.get("code") or ""))
        found = [by_code[code]] if code in by_code else by_name.get(str(values.get("name", "")).strip(), [])
        if len(found) != 1:
            message = (
                _("不是本期调度的项目，或不在您的范围内")
                if not found
                else _("本期有多个同名项目，请填写统一项目代码")
            )
            result.errors.append(RowError(number, header_names.get("name", ""), message))
            continue
        try:
            unit = next(h.unit for h in table.headers.values() if h.column.key == "total")
            total = (read_decimal(values.get("total", 0)) * UNITS.get(unit or "万元", 1)).quantize(
                CENT, ROUND_HALF_UP
            )
        except (CellError, StopIteration) as error:
            result.errors.append(
                RowError(number, header_names.get("total", ""), str(error) or _("请填写金额"))
            )
            continue
        lines.append(
            ReportLine(
                row=number, project_id=found[0], progress_text=str(values.get("progress", "")).strip(),
                total=total, problems=str(values.get("problems", "")).strip(),
            )
        )  # fmt: skip
    # rows not read still leave the others checked, for one report of every fault
    done = reports_import(
        user=user, dispatch_round=dispatch_round, lines=lines, dry_run=dry_run or bool(result.errors)
    )
    if not result.errors:
        result.created, result.unchanged = done.submitted, done.unchanged
    for row, field, message in done.errors:
        column = header_names.get(FIELD_COLUMNS.get(field, ""), "")
        result.errors.append(RowError(row, column, message))
    result.errors.sort(key=lambda e: e.row)
    return result
