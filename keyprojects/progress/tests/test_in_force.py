"""The figures in force are kept as reports are accepted and corrected, and always agree with the rule
computed from scratch: on a date, the highest version accepted by the end of that day counts."""

import datetime
import io
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from keyprojects.metrics.tests.helpers import report
from keyprojects.progress.in_force import figures_in_force, rebuild
from keyprojects.progress.models import FigureInForce, MonthlyReport, ProjectBaseline
from keyprojects.progress.selectors import local_day, report_rows, with_figures, with_summed_figures
from keyprojects.projects.models import Project
from keyprojects.projects.tests.factories import ProjectFactory

from .report_helpers import make_project

pytestmark = pytest.mark.django_db

START = datetime.date(2025, 1, 1)


def recomputed(as_of: datetime.date | None) -> dict[tuple[int, datetime.date], Decimal]:
    """The rule from scratch, over every version of every report."""
    best: dict[tuple[int, datetime.date], MonthlyReport] = {}
    for r in MonthlyReport.objects.filter(status=MonthlyReport.Status.ACCEPTED, reviewed_at__isnull=False):
        if as_of is not None and local_day(r.reviewed_at) > as_of:
            continue
        key = (r.project_id, r.month)
        if key not in best or r.version > best[key].version:
            best[key] = r
    return {key: r.total for key, r in best.items()}


def maintained(as_of: datetime.date | None) -> dict[tuple[int, datetime.date], Decimal]:
    rows = figures_in_force(as_of=as_of).values_list("project_id", "month", "total")
    figures = {(project_id, month): total for project_id, month, total in rows}
    assert len(figures) == len(rows), "one figure per project and month"
    return figures


def scatter(city, rng: random.Random) -> None:
    """Projects of two cities with a year of reports: some returned or waiting, some corrected once or
    twice (a correction accepted the same day as its original, or weeks later)."""
    other = ProjectFactory()  # another city's project, with its own reports
    projects = [make_project(city) for _ in range(5)] + [other]
    for project in projects:
        by = city.county
        for m in range(1, 13):
            month = datetime.date(2025, m, 1)
            status = rng.choice([MonthlyReport.Status.ACCEPTED] * 6 + [MonthlyReport.Status.SUBMITTED])
            day = month + datetime.timedelta(days=rng.randint(25, 40))
            previous = report(project, month, str(rng.randint(1, 500)), by=by, reviewed_on=day, status=status)
            for version in (2, 3)[
                : rng.choice([0, 0, 1, 2]) if status == MonthlyReport.Status.ACCEPTED else 0
            ]:
                day += datetime.timedelta(days=rng.choice([0, 0, 3, 30]))
                previous = report(
                    project,
                    month,
                    str(rng.randint(1, 500)),
                    by=by,
                    reviewed_on=day,
                    version=version,
                    supersedes=previous,
                )


def test_the_kept_figures_agree_with_the_rule_on_random_dates(city):
    rng = random.Random(20251231)
    scatter(city, rng)
    days = [START + datetime.timedelta(days=rng.randint(-10, 500)) for _ in range(60)]
    for day in [*days, None]:
        assert maintained(day) == recomputed(day), day
    assert sum(1 for _ in maintained(None)) > 50


def test_a_rebuild_writes_the_same_rows_and_the_command_rebuilds_one_city_or_all(city):
    scatter(city, random.Random(7))
    rows = set(
        FigureInForce.objects.values_list("city_id", "report_id", "total", "in_force_from", "in_force_until")
    )
    assert rebuild() == len(rows)
    assert (
        set(
            FigureInForce.objects.values_list(
                "city_id", "report_id", "total", "in_force_from", "in_force_until"
            )
        )
        == rows
    )

    FigureInForce.objects.all().delete()
    call_command(
        "rebuild", "--city", city.liaocheng.code, "--table", "figures_in_force", stdout=io.StringIO()
    )
    assert set(FigureInForce.objects.values_list("city_id", flat=True)) == {city.liaocheng.pk}
    call_command("rebuild", stdout=io.StringIO())
    assert len(rows) == FigureInForce.objects.count()
    with pytest.raises(CommandError, match="999999"):
        call_command("rebuild", "--city", "999999")


def test_withdrawing_an_accepted_correction_puts_the_corrected_version_back_in_force(city):
    project = make_project(city)
    month = datetime.date(2025, 3, 1)
    first = report(project, month, "100", by=city.county, reviewed_on=datetime.date(2025, 4, 2))
    second = report(
        project,
        month,
        "130",
        by=city.county,
        reviewed_on=datetime.date(2025, 4, 20),
        version=2,
        supersedes=first,
    )
    assert maintained(None) == {(project.pk, month): Decimal("130")}
    assert maintained(datetime.date(2025, 4, 19)) == {(project.pk, month): Decimal("100")}
    second.delete()
    assert maintained(None) == {(project.pk, month): Decimal("100")}
    assert maintained(datetime.date(2025, 4, 1)) == {}


def test_the_listed_figures_are_the_ledgers_for_every_version(city):
    """The API's lists and the review queue sum the figures in force in SQL (`report_rows`,
    `with_summed_figures`); the other pages add them up from each project's ledger: the same figures for
    every version of every report, with baselines of either year and a project without a plan."""
    scatter(city, random.Random(11))
    projects = list(Project.objects.filter(reports__isnull=False).distinct())
    for project, as_of in zip(
        projects, (datetime.date(2024, 12, 1), datetime.date(2025, 4, 1)), strict=False
    ):
        ProjectBaseline.objects.create(project=project, completed_before=Decimal("123.45"), as_of=as_of)
    projects[-1].annual_investment = Decimal(0)
    projects[-1].save()
    rows = {row["id"]: row for row in report_rows(MonthlyReport.objects.all())}
    summed = {
        r.pk: r
        for r in with_summed_figures(MonthlyReport.objects.select_related("project", "dispatch_round"))
    }
    for version in MonthlyReport.objects.select_related("project", "dispatch_round"):
        (expected,) = with_figures([version], changes=True)
        row, queued = rows[version.pk], summed[version.pk]
        figures = (
            expected.year_to_date,
            expected.since_start,
            expected.plan_rate,
            expected.late,
            expected.revision,
        )
        assert (
            row["year_to_date"],
            row["since_start"],
            row["plan_rate"],
            row["late"],
            row["revision"],
        ) == figures
        assert (
            queued.year_to_date,
            queued.since_start,
            queued.plan_rate,
            queued.late,
            queued.revision,
        ) == figures
        assert queued.changes_since_return == expected.changes_since_return, version
    assert len(rows) > 60
