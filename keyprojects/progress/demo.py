"""The demo city's dispatch history of the current year: a round per month up to last month (closed)
and this month's round open today; baselines for projects started in earlier years; a year of monthly
reports (mostly accepted within days, some late, missing, returned-then-resubmitted, corrected); some
reports of this month waiting for review; and a few notifications.

Who writes and who reviews follows `permissions`: an enterprise with an account (the seeds' owners,
`owner-<pinyin>`) reports and corrects itself, and its county reviews; for the generated enterprises,
which have no account, the county fills on their behalf and the city office reviews (nobody reviews
what they wrote). A round lets the county fill when it holds a project of an enterprise without an
account. Every owner account finds this month's report of at least one of its projects still to do,
with last month's report in, so it can report at once.

Reports are written straight into the models, in bulk, but obey every rule `services` enforces: the
split adds up to the month's total, nothing is negative, cumulative since start never exceeds the
total investment, a month is reported only after the month before, one current version per month.
Investment figures follow a per-project performance factor, so the city's 投资完成率 sits near 序时进度
while some projects fall far behind (yellow and red warnings)."""

import calendar
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.urls import reverse
from django.utils import timezone

from keyprojects.accounts.models import Role, User
from keyprojects.demo.steps import DemoContext
from keyprojects.notifications.services import notify
from keyprojects.projects.models import Category, Pipeline, Project, Stage

from .events import event_figures
from .in_force import rebuild
from .models import (
    DispatchRound,
    MonthlyReport,
    ProjectBaseline,
    ReportEvent,
)
from .selectors import end_of_day, review_queue
from .signals import report_saved

CENT = Decimal("0.01")
# How much of a year's work falls in each month (Spring Festival is slow, the autumn push is not).
SEASON = {1: 0.6, 2: 0.5, 3: 0.9, 4: 1.0, 5: 1.1, 6: 1.2, 7: 1.0, 8: 1.0, 9: 1.15, 10: 1.1, 11: 1.1, 12: 1.2}
# Shares of a month's investment: 建筑工程, 安装工程, 设备工器具购置 (the rest is 其他费用).
SPLIT: dict[str, tuple[float, float, float]] = {
    Category.INDUSTRY: (0.45, 0.15, 0.30),
    Category.INFRASTRUCTURE: (0.75, 0.10, 0.05),
    Category.SOCIAL: (0.70, 0.12, 0.08),
    Category.URBANIZATION: (0.72, 0.10, 0.06),
    Category.ECOLOGY: (0.60, 0.15, 0.15),
}
PROGRESS_TEXT = [
    "土建施工有序推进，主体结构完成{p}%",
    "厂房钢结构吊装完成{p}%，同步开展设备基础施工",
    "主体工程完成{p}%，设备采购合同已签订",
    "路基工程完成{p}%，桥涵施工同步推进",
    "设备安装调试完成{p}%",
    "附属工程及管网施工完成{p}%",
]
PREPARATION_TEXT = [
    "办理用地预审与选址意见，开展可研编制",
    "环评报告已报审，施工图设计进行中",
    "土地招拍挂程序推进中，同步开展初步设计",
    "节能审查已受理，施工许可材料准备中",
]
PROBLEMS = [
    "",
    "",
    "",
    "",
    "施工用电增容手续办理较慢",
    "部分设备进口周期长",
    "雨季影响土方施工",
    "融资到位偏慢",
]
RETURN_REASONS = [
    "形象进度描述过于简单，请补充主要工程量",
    "设备购置费与合同不符，请核实",
    "在岗工人数填报有误",
]
CORRECTION_REASONS = [
    "统计口径调整，补录设备工器具购置费",
    "发票核对后更正建筑工程完成额",
    "漏报其他费用，予以补报",
]


def _cents(value: float | Decimal) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_DOWN)


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment in office hours on `day`, in the platform's time zone."""
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)))
    return timezone.make_aware(moment)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


def _month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _split(total: Decimal, category: str, rng: random.Random, *, started: bool) -> dict[str, Decimal]:
    """The four parts of a month's total; they add up to it exactly, none negative."""
    if not started:  # before the start only 其他费用 (design, land, fees) is spent
        return {
            "construction": Decimal(0),
            "installation": Decimal(0),
            "equipment": Decimal(0),
            "other": total,
        }
    shares = [s * rng.uniform(0.85, 1.1) for s in SPLIT.get(category, SPLIT[Category.INDUSTRY])]
    scale = min(1.0, 0.97 / sum(shares))
    construction, installation, equipment = (_cents(total * Decimal(str(s * scale))) for s in shares)
    return {
        "construction": construction,
        "installation": installation,
        "equipment": equipment,
        "other": total - construction - installation - equipment,
    }


@dataclass
class Plan:
    """One project's figures: the baseline before this year and each month's total, in order."""

    project: Project
    baseline: Decimal = Decimal(0)
    months: dict[datetime.date, Decimal] = field(default_factory=dict)

    @property
    def headroom(self) -> Decimal:
        """What may still be reported before cumulative since start reaches the total investment."""
        return self.project.total_investment - self.baseline - sum(self.months.values(), Decimal(0))


def _performance(rng: random.Random) -> float:
    """Share of the time-proportional plan a project achieves: most near it, some 10–30 points behind
    (yellow), some further (red)."""
    draw = rng.random()
    if draw < 0.10:
        return rng.uniform(0.30, 0.60)
    if draw < 0.25:
        return rng.uniform(0.70, 0.88)
    return max(0.92, rng.gauss(1.12, 0.07))


def _started_in(project: Project, month: datetime.date) -> bool:
    return project.actual_start is not None and project.actual_start <= _month_end(month)


def _plan(project: Project, months: list[datetime.date], today: datetime.date, rng: random.Random) -> Plan:
    """Monthly totals for `months` (this year's reported months) and the baseline before the year."""
    jan1 = today.replace(month=1, day=1)
    plan = Plan(project)
    remaining = project.total_investment - project.annual_investment
    if project.actual_start is not None and project.actual_start < jan1 and remaining > 0:
        finished = project.stage in {Stage.COMPLETED, Stage.IN_PRODUCTION, Stage.AT_CAPACITY}
        share = rng.uniform(0.9, 1.0) if finished else rng.uniform(0.35, 0.9)
        plan.baseline = _cents(remaining * Decimal(str(share)))
    if not months or project.annual_investment <= 0:
        for month in months:
            plan.months[month] = Decimal(0)
        return plan
    elapsed = (today - jan1).days / (366 if calendar.isleap(today.year) else 365)
    factor = _performance(rng) if project.actual_start else rng.uniform(0.2, 0.6)
    target = min(project.annual_investment * Decimal(str(elapsed * factor)), plan.headroom)
    weights = {
        m: SEASON[m.month] * rng.uniform(0.7, 1.3)
        if _started_in(project, m) or not project.actual_start
        else 0.05
        for m in months
    }
    scale = sum(weights.values())
    spent = Decimal(0)
    for month in months[:-1]:
        amount = _cents(target * Decimal(str(weights[month] / scale)))
        plan.months[month] = amount
        spent += amount
    plan.months[months[-1]] = max(Decimal(0), _cents(target - spent))
    return plan


@dataclass
class Accounts:
    """Who fills and who reviews each project's reports."""

    owners: dict[int, User]  # by enterprise id
    officers: dict[str, User]  # by region code
    city: User

    @classmethod
    def load(cls, ctx: DemoContext) -> "Accounts":
        owners: dict[int, User] = {}
        for user in User.objects.filter(
            role=Role.PROJECT_OWNER, is_active=True, organization__isnull=False
        ).order_by("id"):
            owners.setdefault(user.organization_id or 0, user)
        officers = {code: ctx.users[county.username] for code, county in ctx.place.county_by_code.items()}
        return cls(owners, officers, ctx.office_user)

    def owner(self, project: Project) -> User | None:
        return self.owners.get(project.owner_id) if project.owner_id else None

    def reporter(self, project: Project) -> tuple[User, bool]:
        """The owner's account, or the county officer filling on the owner's behalf."""
        owner = self.owner(project)
        return (owner, False) if owner else (self.county(project), True)

    def reviewer(self, project: Project) -> User:
        """The county reviews what the owner wrote; the city office what the county filled."""
        return self.county(project) if self.owner(project) else self.city

    def county(self, project: Project) -> User:
        return self.officers.get(project.region.code, self.city)

    def left_to_report(self, plans: list["Plan"]) -> set[int]:
        """One project per owner account (its first) whose report of this month is left to the owner."""
        first: dict[int, int] = {}
        for plan in plans:
            owner = self.owner(plan.project)
            if owner is not None:
                first.setdefault(owner.pk, plan.project.pk)
        return set(first.values())


def _rounds(ctx: DemoContext, projects: list[Project], accounts: Accounts) -> list[DispatchRound]:
    """January up to this month; past windows closed before today, this month's open today. The county
    may fill when a project's enterprise has no account to report with."""
    today = ctx.today
    existing = {r.month: r for r in DispatchRound.objects.filter(city=ctx.tenant, year=ctx.year)}
    county_may_fill = any(accounts.owner(p) is None for p in projects)
    created = []
    for month_number in range(1, today.month + 1):
        if month_number in existing:
            continue
        month = datetime.date(ctx.year, month_number, 1)
        if month_number == today.month:
            opens_on = min(month.replace(day=20), today)
            closes_on = _add_months(month, 1).replace(day=5)
        else:
            opens_on = month.replace(day=20)
            closes_on = min(_add_months(month, 1).replace(day=5), today - datetime.timedelta(days=1))
        created.append(
            DispatchRound(
                city=ctx.tenant,
                year=ctx.year,
                month=month_number,
                title=f"{ctx.year}年第{month_number}期",
                opens_on=opens_on,
                closes_on=closes_on,
                county_may_fill=county_may_fill,
                created_by=ctx.office_user,
            )
        )
    DispatchRound.objects.bulk_create(created)
    rounds = list(DispatchRound.objects.filter(city=ctx.tenant, year=ctx.year).order_by("month"))
    new_ids = {r.pk for r in rounds if r.month not in existing}
    through = DispatchRound.projects.through
    through.objects.bulk_create(
        [through(dispatchround_id=r.pk, project_id=p.pk) for r in rounds if r.pk in new_ids for p in projects]
    )
    return rounds


def _baselines(ctx: DemoContext, plans: list[Plan]) -> int:
    jan1 = ctx.today.replace(month=1, day=1)
    have = set(
        ProjectBaseline.objects.filter(project__in=[p.project for p in plans]).values_list(
            "project_id", flat=True
        )
    )
    new = [
        ProjectBaseline(
            project=plan.project, completed_before=plan.baseline, as_of=jan1 - datetime.timedelta(days=1)
        )
        for plan in plans
        if plan.baseline > 0 and plan.project.pk not in have
    ]
    ProjectBaseline.objects.bulk_create(new)
    return len(new)


class _Writer:
    """Collects reports and their events, then writes them in a few bulk statements."""

    def __init__(self, rng: random.Random, accounts: Accounts, now: datetime.datetime) -> None:
        self.rng = rng
        self.accounts = accounts
        self.now = now
        self.reports: list[MonthlyReport] = []
        self.events: list[tuple[MonthlyReport, str, str, User, datetime.datetime]] = []
        self.corrections: list[tuple[MonthlyReport, MonthlyReport]] = []  # (old, new)

    def _moment(self, day: datetime.date) -> datetime.datetime:
        return min(_at(day, self.rng), self.now - datetime.timedelta(minutes=5))

    def report(
        self,
        plan: Plan,
        dispatch_round: DispatchRound,
        month: datetime.date,
        total: Decimal,
        *,
        submitted_on: datetime.date,
        outcome: str,
    ) -> MonthlyReport:
        """One report; `outcome` is accepted, returned, submitted, resubmitted (returned, fixed and
        accepted) or corrected (accepted, then a second accepted version with a reason)."""
        project = plan.project
        rng = self.rng
        reporter, on_behalf = self.accounts.reporter(project)
        reviewer = self.accounts.reviewer(project)
        started = _started_in(project, month)
        done = min(99, int(40 + 60 * (month.month / 12) * rng.uniform(0.6, 1.1)))
        text = rng.choice(PROGRESS_TEXT).format(p=done) if started else rng.choice(PREPARATION_TEXT)
        submitted_at = self._moment(submitted_on)
        base = {
            "project": project,
            "dispatch_round": dispatch_round,
            "month": month,
            "progress_text": text,
            "problems": rng.choice(PROBLEMS),
            "workers": rng.randint(30, 600) if started else 0,
            "filled_on_behalf": on_behalf,
            "submitted_by": reporter,
            "submitted_at": submitted_at,
        }
        first_total = (
            _cents(total * Decimal(str(rng.uniform(0.85, 0.98)))) if outcome == "corrected" else total
        )
        report = MonthlyReport(
            **base, **_split(first_total, project.category, rng, started=started), total=first_total
        )
        self.reports.append(report)
        self.events.append((report, ReportEvent.Kind.SUBMITTED, "", reporter, submitted_at))
        if outcome == "submitted":
            return report
        reviewed_at = min(
            submitted_at + datetime.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5)), self.now
        )
        if outcome == "returned":
            reason = rng.choice(RETURN_REASONS)
            report.status = MonthlyReport.Status.RETURNED
            report.return_reason = reason
            report.reviewed_by, report.reviewed_at = reviewer, reviewed_at
            self.events.append((report, ReportEvent.Kind.RETURNED, reason, reviewer, reviewed_at))
            return report
        if outcome == "resubmitted":
            self.events.append(
                (report, ReportEvent.Kind.RETURNED, rng.choice(RETURN_REASONS), reviewer, reviewed_at)
            )
            resubmitted_at = min(reviewed_at + datetime.timedelta(days=1, hours=2), self.now)
            self.events.append((report, ReportEvent.Kind.RESUBMITTED, "", reporter, resubmitted_at))
            reviewed_at = min(resubmitted_at + datetime.timedelta(days=1), self.now)
        report.status = MonthlyReport.Status.ACCEPTED
        report.reviewed_by, report.reviewed_at = reviewer, reviewed_at
        self.events.append((report, ReportEvent.Kind.ACCEPTED, "", reviewer, reviewed_at))
        if outcome == "corrected":
            reason = rng.choice(CORRECTION_REASONS)
            corrected_at = min(reviewed_at + datetime.timedelta(days=rng.randint(3, 12)), self.now)
            accepted_at = min(corrected_at + datetime.timedelta(days=1), self.now)
            report.is_current = False
            fixed = MonthlyReport(
                **{**base, "submitted_at": corrected_at},
                **_split(total, project.category, rng, started=started),
                total=total,
                version=2,
                correction_reason=reason,
                status=MonthlyReport.Status.ACCEPTED,
                reviewed_by=reviewer,
                reviewed_at=accepted_at,
            )
            self.reports.append(fixed)
            self.corrections.append((report, fixed))
            self.events.append((fixed, ReportEvent.Kind.CORRECTED, reason, reporter, corrected_at))
            self.events.append((fixed, ReportEvent.Kind.ACCEPTED, "", reviewer, accepted_at))
        return report

    def save(self) -> None:
        firsts = [r for r in self.reports if r.version == 1]
        MonthlyReport.objects.bulk_create(firsts, batch_size=500)
        for old, new in self.corrections:
            new.supersedes = old
        MonthlyReport.objects.bulk_create([r for r in self.reports if r.version > 1], batch_size=500)
        rebuild(city_ids={report.city_id for report in self.reports})
        for report in self.reports:  # written past the save signal: tell the other apps here
            report_saved(sender=MonthlyReport, instance=report)
        events = []
        for report, kind, reason, actor, moment in self.events:
            events.append(
                ReportEvent(
                    report=report,
                    kind=kind,
                    figures=event_figures(report, kind),
                    reason=reason,
                    actor=actor,
                    created_at=moment,
                )
            )
        # History rows carry the moment each step happened, not the moment the demo was loaded.
        created_at = ReportEvent._meta.get_field("created_at")
        created_at.auto_now_add = False
        try:
            ReportEvent.objects.bulk_create(events, batch_size=1000)
        finally:
            created_at.auto_now_add = True


def _past_outcome(rng: random.Random) -> str:
    draw = rng.random()
    if draw < 0.05:
        return "resubmitted"
    if draw < 0.07:
        return "corrected"
    return "accepted"


def _reports(
    ctx: DemoContext, rng: random.Random, plans: list[Plan], rounds: list[DispatchRound], accounts: Accounts
) -> dict[str, int]:
    today = ctx.today
    writer = _Writer(rng, accounts, min(timezone.now(), end_of_day(today)))
    past = [r for r in rounds if r.month < today.month]
    current = next((r for r in rounds if r.month == today.month), None)
    counts: dict[str, int] = defaultdict(int)
    left_to_owner = accounts.left_to_report(plans)
    for plan in plans:
        # A few projects stop reporting at the end: last month missing (rarely the two last months).
        draw = rng.random()
        stop = len(past) - (2 if draw < 0.01 else 1 if draw < 0.05 else 0)
        if plan.project.pk in left_to_owner:
            stop = len(past)
        for dispatch_round in past[:stop]:
            month = datetime.date(ctx.year, dispatch_round.month, 1)
            late = rng.random() < 0.08
            window = max((dispatch_round.closes_on - dispatch_round.opens_on).days, 0)
            submitted_on = (
                dispatch_round.closes_on + datetime.timedelta(days=rng.randint(1, 6))
                if late
                else dispatch_round.opens_on + datetime.timedelta(days=rng.randint(0, window))
            )
            submitted_on = min(submitted_on, today)
            outcome = _past_outcome(rng)
            writer.report(
                plan, dispatch_round, month, plan.months[month], submitted_on=submitted_on, outcome=outcome
            )
            counts["late"] += late
            counts[outcome] += 1
        counts["missing"] += len(past) - stop
        if current is None or stop < len(past) or plan.project.pk in left_to_owner:
            continue
        draw = rng.random()
        if draw < 0.37:
            month = datetime.date(ctx.year, current.month, 1)
            previous = (month - datetime.timedelta(days=1)).replace(day=1)
            typical = plan.months.get(previous, Decimal(0))
            total = min(_cents(typical * Decimal(str(rng.uniform(0.8, 1.2)))), max(plan.headroom, Decimal(0)))
            outcome = "submitted" if draw < 0.30 else "accepted" if draw < 0.35 else "returned"
            submitted_on = current.opens_on + datetime.timedelta(
                days=rng.randint(0, (today - current.opens_on).days)
            )
            writer.report(plan, current, month, total, submitted_on=submitted_on, outcome=outcome)
            counts[f"current_{outcome}"] += 1
    writer.save()
    return counts


def _notifications(ctx: DemoContext, rounds: list[DispatchRound]) -> int:
    """This month's round is open: tell the owners with an account, and each county what waits for review."""
    current = next((r for r in rounds if r.month == ctx.today.month), None)
    if current is None:
        return 0
    sent = 0
    url = reverse("progress:round", args=[current.pk])
    owners = User.objects.filter(
        role=Role.PROJECT_OWNER, organization__owned_projects__dispatch_rounds=current
    ).distinct()
    for owner in owners.order_by("id"):
        sent += bool(
            notify(
                recipient=owner,
                kind="round_open",
                title=f"{current.title}月报开始填报",
                body=f"{current.title}填报时间为{current.opens_on:%m月%d日}至{current.closes_on:%m月%d日}，请按时填报本月完成投资和形象进度。",
                url=url,
                dedup_key=f"demo:round:{current.pk}:open",
            )
        )
    for officer in (
        User.objects.filter(role=Role.COUNTY_OFFICER, organization__city=ctx.tenant)
        .select_related("organization__region")
        .order_by("id")
    ):
        count = review_queue(officer).filter(dispatch_round=current).count()
        if count:
            sent += bool(
                notify(
                    recipient=officer,
                    kind="review_waiting",
                    title=f"{current.title}有{count}份月报待审核",
                    body="请在填报截止后三个工作日内完成审核。",
                    url=url,
                    dedup_key=f"demo:round:{current.pk}:review",
                )
            )
    return sent


def load(ctx: DemoContext) -> None:
    rng = ctx.rng("progress")
    projects = [
        p
        for p in sorted(ctx.projects, key=lambda p: p.pk)
        if p.pipeline == Pipeline.SCHEDULED and p.stage != Stage.WITHDRAWN and p.year == ctx.year
    ]
    accounts = Accounts.load(ctx)
    rounds = _rounds(ctx, projects, accounts)
    months = [datetime.date(ctx.year, r.month, 1) for r in rounds if r.month < ctx.today.month]
    plans = [_plan(p, months, ctx.today, rng) for p in projects]
    baselines = _baselines(ctx, plans)
    counts: dict[str, int] = {}
    if not MonthlyReport.objects.filter(project__in=projects).exists():
        counts = _reports(ctx, rng, plans, rounds, accounts)
    sent = _notifications(ctx, rounds)
    ctx.report("调度期", f"{len(rounds)} 期（{ctx.year}年1–{ctx.today.month}月，本月一期正在填报）")
    if counts:
        ctx.report(
            "月度报告",
            f"通过 {counts['accepted'] + counts['resubmitted'] + counts['corrected']} 份"
            f"（其中退回后重报 {counts['resubmitted']}、更正 {counts['corrected']}、迟报 {counts['late']}），"
            f"缺报 {counts['missing']} 份；本月已报 {counts['current_submitted']} 份待审核",
        )
    ctx.report("上年末累计投资基数", f"{baselines} 个项目")
    ctx.report("通知", f"{sent} 条")
