"""The public entry point of monthly reports brought in from a sheet (the sheets app's import of a round's
dispatch sheet): each line is submitted through `services.report_submit`, with its rules and its marks — a
county officer filling where the round lets it is recorded as filling on the owner's behalf (县级代填) — and
the lines are written all together or not at all."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError

from .models import DispatchRound, MonthlyReport
from .permissions import fills_visible_projects
from .services import report_submit


@dataclass(frozen=True)
class ReportLine:
    """One project's month as a sheet gives it: its 形象进度, the month's investment (no split by kind:
    recorded as 其他费用) and its problems."""

    row: int
    project_id: int
    progress_text: str
    total: Decimal
    problems: str = ""


@dataclass
class LinesResult:
    submitted: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, message)


def may_import_reports(user: User, dispatch_round: DispatchRound) -> bool:
    """Whether the user fills the round's reports at all: an owner, or a county when the round allows it."""
    return fills_visible_projects(user, dispatch_round)


def reports_import(
    *, user: User, dispatch_round: DispatchRound, lines: list[ReportLine], dry_run: bool = False
) -> LinesResult:
    """Submit a report of the round's month for each line; a line equal to the month's current report is
    unchanged. With any error (or a dry run) nothing is kept."""
    result = LinesResult()
    errors = result.errors
    month = datetime.date(dispatch_round.year, dispatch_round.month, 1)
    current = {
        r.project_id: r
        for r in MonthlyReport.objects.filter(
            project_id__in=[line.project_id for line in lines], month=month, is_current=True
        )
    }
    with transaction.atomic():
        for line in lines:
            report = current.get(line.project_id)
            if report is not None and (report.progress_text, report.total, report.problems) == (
                line.progress_text, line.total, line.problems,
            ):  # fmt: skip
                result.unchanged += 1
                continue
            try:
                with transaction.atomic():
                    report_submit(
                        user=user, project_id=line.project_id, month=month, construction=Decimal(0),
                        installation=Decimal(0), equipment=Decimal(0), other=line.total,
                        progress_text=line.progress_text, problems=line.problems,
                    )  # fmt: skip
            except ApplicationError as error:
                for field, messages in error.field_messages().items():
                    errors += [(line.row, field, message) for message in messages]
            except (PermissionDenied, Http404) as error:
                errors.append((line.row, "__all__", str(error)))
            else:
                result.submitted += 1
        if errors or dry_run:
            transaction.set_rollback(True)
    if errors and not dry_run:
        result.submitted = result.unchanged = 0
    return result
