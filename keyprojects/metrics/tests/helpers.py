"""Test data for the rates and warnings: list projects in bulk and accepted monthly reports."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from keyprojects.accounts.models import User
from keyprojects.accounts.tests.factories import CityRegionFactory
from keyprojects.inclusion.models import StatisticsInclusion
from keyprojects.progress.models import DispatchRound, MonthlyReport
from keyprojects.projects.models import ListKind, Pipeline, Project, Stage
from keyprojects.projects.tests.factories import ProjectFactory


def list_project(**fields: Any) -> Project:
    """A project on the year's list (调度库, 实施类), not started unless told."""
    defaults: dict[str, Any] = {
        "pipeline": Pipeline.SCHEDULED,
        "list_kind": ListKind.IMPLEMENTATION,
        "stage": Stage.PREPARATION,
        "year": 2026,
        "planned_start": datetime.date(2026, 3, 1),
        "total_investment": Decimal("50000"),
        "annual_investment": Decimal("10000"),
    }
    defaults.update(fields)
    if defaults.get("actual_start") and "stage" not in fields:
        defaults["stage"] = Stage.NEW_START
    return ProjectFactory(**defaults)


def bulk_projects(count: int, *, region: Any, owner: Any, **fields: Any) -> list[Project]:
    """`count` list projects in one insert (the worked example needs 131)."""
    defaults: dict[str, Any] = {
        "pipeline": Pipeline.SCHEDULED,
        "list_kind": ListKind.IMPLEMENTATION,
        "stage": Stage.PREPARATION,
        "year": 2026,
        "total_investment": Decimal("1000"),
        "annual_investment": Decimal("0"),
    }
    defaults.update(fields)
    return Project.objects.bulk_create(
        [Project(name=f"批量项目{i}", region=region, owner=owner, **defaults) for i in range(count)]
    )


def dispatch_round(
    year: int, month: int, *, closes_on: datetime.date | None = None, city_id: int | None = None
) -> DispatchRound:
    """The month's round of a city (聊城 unless told)."""
    opens_on = datetime.date(year, month, 20)
    round_, _ = DispatchRound.objects.get_or_create(
        city_id=city_id or CityRegionFactory().pk,
        year=year,
        month=month,
        defaults={
            "title": f"{year}年第{month}期",
            "opens_on": opens_on,
            "closes_on": closes_on or opens_on + datetime.timedelta(days=10),
        },
    )
    return round_


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def report(
    project: Project,
    month: datetime.date,
    total: Decimal | str,
    *,
    by: User,
    reviewed_on: datetime.date | None,
    status: str = MonthlyReport.Status.ACCEPTED,
    version: int = 1,
    supersedes: MonthlyReport | None = None,
) -> MonthlyReport:
    """A report for `month` (its first day), accepted on `reviewed_on` unless another status is given."""
    if supersedes is not None:
        MonthlyReport.objects.filter(pk=supersedes.pk).update(is_current=False)
    amount = Decimal(total)
    return MonthlyReport.objects.create(
        project=project,
        dispatch_round=dispatch_round(month.year, month.month, city_id=project.city_id),
        month=month,
        status=status,
        construction=amount,
        total=amount,
        version=version,
        supersedes=supersedes,
        submitted_by=by,
        submitted_at=at(month),
        reviewed_by=by if reviewed_on else None,
        reviewed_at=at(reviewed_on) if reviewed_on else None,
    )


def include(project: Project, on: datetime.date) -> StatisticsInclusion:
    return StatisticsInclusion.objects.create(project=project, included_on=on)
