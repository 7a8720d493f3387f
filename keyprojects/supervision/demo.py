"""The demo city's supervision notices: from red warnings to the counties (one waiting for its answer,
one answered, one accepted, one sent back, one overdue), from an overdue blocker and from a meeting
decision past its date to their departments. Idempotent: a city that already has notices gets none more."""

from datetime import date, timedelta

from keyprojects.accounts.models import User
from keyprojects.alerts.models import Color, ProjectWarning
from keyprojects.blockers.models import Blocker, Decision, DecisionStatus
from keyprojects.blockers.selectors import overdue_q
from keyprojects.demo.steps import DemoContext

from .models import NoticeSource, SupervisionNotice
from .services import notice_act, notice_issue

# (days before today it was issued, working days given, how far it went)
WARNING_STORIES = [
    (1, 10, "issued"),
    (6, 10, "answered"),
    (12, 5, "accepted"),
    (8, 10, "returned"),
    (25, 5, "overdue"),
]


def _answerer(ctx: DemoContext, organization_id: int) -> User | None:
    return next((u for u in ctx.users.values() if u.organization_id == organization_id), None)


def load(ctx: DemoContext) -> None:
    office = ctx.users.get("city")
    if (
        ctx.city is None
        or office is None
        or office.city_id != ctx.city.pk
        or SupervisionNotice.objects.filter(city=ctx.city).exists()
    ):
        ctx.report("督办单", SupervisionNotice.objects.filter(city=ctx.city).count())
        return
    counties = {
        u.organization.region_id
        for u in ctx.users.values()
        if u.role == "county_officer" and u.organization is not None
    }
    warnings = (
        ProjectWarning.objects.filter(city=ctx.city, is_active=True, color=Color.RED)
        .select_related("project__region")
        .order_by("project__region__code", "pk")
    )
    used_regions: set[int] = set()
    stories = iter(WARNING_STORIES)
    story = next(stories, None)
    for warning in warnings:
        if story is None:
            break
        if warning.project.region_id in used_regions or warning.project.region_id not in counties:
            continue
        days_ago, workdays, state = story
        issued_on = ctx.today - timedelta(days=days_ago)
        notice = notice_issue(
            user=office,
            source=NoticeSource.WARNING,
            source_id=warning.pk,
            subject=f"请于期限内查明“{warning.project.name}”{warning.get_rule_display()}的原因，提出整改措施并报送进展",
            deadline_workdays=workdays,
            today=issued_on,
        )
        used_regions.add(warning.project.region_id)
        _play(ctx, office, notice, state, issued_on)
        story = next(stories, None)
    _from_blocker(ctx, office)
    _from_decision(ctx, office)
    ctx.report("督办单", SupervisionNotice.objects.filter(city=ctx.city).count())


def _play(ctx: DemoContext, office: User, notice: SupervisionNotice, state: str, issued_on: date) -> None:
    county = _answerer(ctx, notice.receiver_id)
    if county is None or state in ("issued", "overdue"):
        return
    answered_on = issued_on + timedelta(days=3)
    notice_act(
        user=county,
        notice_id=notice.pk,
        action="answer",
        text="已约谈项目单位，制定倒排工期计划，下月完成整改",
        today=answered_on,
    )
    if state == "accepted":
        notice_act(user=office, notice_id=notice.pk, action="accept", text="整改措施可行", today=answered_on)
    elif state == "returned":
        notice_act(
            user=office,
            notice_id=notice.pk,
            action="return",
            text="答复未说明具体完成时间和责任人，请补充",
            today=answered_on + timedelta(days=1),
        )


def _from_blocker(ctx: DemoContext, office: User) -> None:
    blocker = (
        Blocker.objects.filter(overdue_q(ctx.today), city=ctx.city, department__isnull=False)
        .order_by("pk")
        .first()
    )
    if blocker is None:
        return
    notice_issue(
        user=office,
        source=NoticeSource.BLOCKER,
        source_id=blocker.pk,
        subject="问题逾期未办结，请于期限内办结并书面报告办理结果",
        deadline_workdays=3,
        today=ctx.today,
    )


def _from_decision(ctx: DemoContext, office: User) -> None:
    decision = (
        Decision.objects.filter(city=ctx.city, status=DecisionStatus.OPEN, deadline__lt=ctx.today)
        .order_by("pk")
        .first()
    )
    if decision is None:
        return
    notice_issue(
        user=office,
        source=NoticeSource.DECISION,
        source_id=decision.pk,
        subject="会议议定事项逾期未落实，请说明原因并限期落实",
        deadline=ctx.today + timedelta(days=7),
        today=ctx.today,
    )
