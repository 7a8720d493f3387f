"""The demo city's dispatch history obeys every rule the report services enforce, gives the warnings
engineer every colour to show, and loading it twice changes nothing."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from keyprojects.accounts.models import Role, User
from keyprojects.demo import city as demo_city
from keyprojects.demo import projects as demo_projects
from keyprojects.demo.steps import DemoContext
from keyprojects.metrics.selectors import MetricsQuery, metrics
from keyprojects.notifications.models import Notification
from keyprojects.progress import demo, services
from keyprojects.progress.in_force import figures_in_force
from keyprojects.progress.models import (
    DispatchRound,
    MonthlyReport,
    ProjectBaseline,
    ReportEvent,
)
from keyprojects.progress.selectors import is_late, local_day

COUNTED = (DispatchRound, MonthlyReport, ReportEvent, ProjectBaseline, Notification)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_demo_dispatch_history_obeys_the_rules_and_loads_once(clock):
    ctx = DemoContext(today=clock.today, password="Demo-2024!")
    demo_city.load(ctx)
    demo_projects.load(ctx)
    demo.load(ctx)
    today, year = ctx.today, ctx.year
    # In January the year has one round, still open: nothing is late, returned or corrected yet.
    closed_rounds = today.month > 1
    loaded = counts()

    # Rounds: one per month this year; past windows closed, this month's open today.
    rounds = list(DispatchRound.objects.filter(year=year).order_by("month"))
    assert [r.month for r in rounds] == list(range(1, today.month + 1))
    assert all(r.closes_on < today for r in rounds[:-1])
    assert rounds[-1].opens_on <= today <= rounds[-1].closes_on
    membership = defaultdict(set)
    for r in rounds:
        for project_id in r.projects.values_list("pk", flat=True):
            membership[project_id].add(r.month)

    reports = list(MonthlyReport.objects.select_related("dispatch_round", "project"))
    assert len(reports) > 300 * (len(rounds) - 1)  # about 350 a month
    baselines = dict(ProjectBaseline.objects.values_list("project_id", "completed_before"))
    now = timezone.now()
    current_total = defaultdict(Decimal)
    months_of = defaultdict(set)
    current_per_month = defaultdict(int)
    for r in reports:
        parts = (r.construction, r.installation, r.equipment, r.other)
        assert all(p >= 0 for p in parts) and sum(parts) == r.total, r.pk
        assert r.dispatch_round.year == r.month.year and r.dispatch_round.month == r.month.month
        assert r.month.month in membership[r.project_id]
        assert r.progress_text
        assert r.submitted_at <= now
        if r.reviewed_at:
            assert r.submitted_at <= r.reviewed_at <= now
        if r.status == MonthlyReport.Status.SUBMITTED:
            assert r.reviewed_at is None
        if r.is_current:
            current_per_month[(r.project_id, r.month)] += 1
            current_total[r.project_id] += r.total
            months_of[r.project_id].add(r.month.month)
        if r.version > 1:
            assert r.supersedes and not r.supersedes.is_current and r.correction_reason
        if not is_late(r) and r.version == 1:
            assert local_day(r.submitted_at) >= r.dispatch_round.opens_on
    assert set(current_per_month.values()) == {1}
    for project_id, months in months_of.items():
        # Months in order: a month is reported only after the month before it (when in its round).
        for month in months:
            assert month == 1 or month - 1 not in membership[project_id] or month - 1 in months
    projects = {p.pk: p for p in ctx.projects}
    for project_id, total in current_total.items():
        assert baselines.get(project_id, Decimal(0)) + total <= projects[project_id].total_investment

    # Every kind of history is there: late, returned then resubmitted, corrected, missing, waiting.
    if closed_rounds:
        assert any(is_late(r) for r in reports)
        assert ReportEvent.objects.filter(kind=ReportEvent.Kind.RESUBMITTED).exists()
        assert MonthlyReport.objects.filter(version=2, status=MonthlyReport.Status.ACCEPTED).exists()
        last_closed = rounds[-2]
        assert last_closed.projects.exclude(reports__dispatch_round=last_closed).exists()
        returned = ReportEvent.objects.filter(kind=ReportEvent.Kind.RETURNED).order_by("created_at").first()
        assert returned and returned.created_at < now
    assert MonthlyReport.objects.filter(
        dispatch_round=rounds[-1], status=MonthlyReport.Status.SUBMITTED
    ).exists()

    # Who writes and who reviews: an enterprise with an account reports itself; for the others the
    # county fills, in rounds that let it; nobody reviews a version they wrote.
    with_account = set(User.objects.filter(role=Role.PROJECT_OWNER).values_list("organization_id", flat=True))
    writers = defaultdict(set)
    writing = (ReportEvent.Kind.SUBMITTED, ReportEvent.Kind.RESUBMITTED, ReportEvent.Kind.CORRECTED)
    for report_id, actor_id in ReportEvent.objects.filter(kind__in=writing).values_list("report", "actor"):
        writers[report_id].add(actor_id)
    for r in reports:
        assert r.filled_on_behalf == (r.project.owner_id not in with_account), r.pk
        assert r.dispatch_round.county_may_fill or not r.filled_on_behalf
        assert r.reviewed_by_id is None or r.reviewed_by_id not in writers[r.pk] | {r.submitted_by_id}, r.pk
    assert {r.filled_on_behalf for r in reports} == {True, False}

    # The city's 投资完成率 sits near 序时进度, with projects spread well below it.
    city = metrics(user=ctx.users["city"], query=MetricsQuery.build(as_of=today, time_basis="day"))
    assert abs(city.vs_time_progress) <= 12
    in_force = defaultdict(Decimal)
    for project_id, total in figures_in_force().filter(month__year=year).values_list("project_id", "total"):
        in_force[project_id] += total
    behind = [
        p for p in ctx.projects if p.annual_investment > 0 and p.actual_start and p.pk in in_force
        and in_force[p.pk] / p.annual_investment < city.time_progress / 2
    ]  # fmt: skip
    assert len(behind) >= 5 or not closed_rounds

    assert Notification.objects.exists()
    demo.load(ctx)
    assert counts() == loaded

    # Every owner with an account (the example is owner-aobo) can report this month at once.
    month = today.replace(day=1)
    owners = list(User.objects.filter(role=Role.PROJECT_OWNER).order_by("username"))
    assert "owner-aobo" in {owner.username for owner in owners}
    for owner in owners:
        to_do = rounds[-1].projects.filter(owner=owner.organization).exclude(reports__month=month).first()
        assert to_do is not None, owner.username
        report = services.report_submit(
            user=owner,
            project_id=to_do.pk,
            month=month,
            construction=Decimal(0),
            installation=Decimal(0),
            equipment=Decimal(0),
            other=Decimal(0),
            progress_text="设备安装调试",
        )
        assert report.submitted_by == owner and not report.filled_on_behalf
