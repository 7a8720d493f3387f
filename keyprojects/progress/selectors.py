"""Reads of dispatch rounds and monthly reports."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncYear
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may, sees_whole_tenant
from keyprojects.accounts.models import Region, User
from keyprojects.accounts.selectors import city_scope
from keyprojects.core.aggregates import OuterSql
from keyprojects.core.rows import Rows, picked
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import (
    has_project_access,
    joined_in_city,
    visible_projects,
    visible_under_projects,
)
from keyprojects.projects.selectors import project_search_q

from .events import EventFigures, changes_since_return
from .in_force import figures_in_force
from .models import (
    DispatchRound,
    DraftPhoto,
    FigureInForce,
    MonthlyReport,
    ProjectBaseline,
    ReportDraft,
    ReportEvent,
)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last instant of `day` in the platform's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def previous_month(month: datetime.date) -> datetime.date:
    return (month_start(month) - datetime.timedelta(days=1)).replace(day=1)


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


@dataclass(frozen=True)
class ReportFigures:
    """What a report means once added to the figures in force for the project's other months."""

    year_to_date: Decimal
    since_start: Decimal
    plan_rate: Decimal | None  # this year's cumulative ÷ the annual plan; None without a plan

    @classmethod
    def of(
        cls,
        *,
        total: Decimal,
        earlier_this_year: Decimal,
        earlier_since_start: Decimal,
        baseline: Decimal,
        annual_plan: Decimal,
    ) -> "ReportFigures":
        """The figures of a report of `total` given the sums in force of the months before its own: those of
        its year, and those since the project's start (after its baseline)."""
        year_to_date = total + earlier_this_year
        rate = (year_to_date / annual_plan).quantize(Decimal("0.0001")) if annual_plan > 0 else None
        return cls(year_to_date, baseline + total + earlier_since_start, rate)


@dataclass
class ProjectLedger:
    """A project's investment in force: the baseline before dispatch began, and each month's total."""

    annual_plan: Decimal
    baseline: Decimal = Decimal(0)
    baseline_as_of: datetime.date | None = None
    months: dict[datetime.date, Decimal] = field(default_factory=dict)

    def _counts_since_start(self, month: datetime.date) -> bool:
        return self.baseline_as_of is None or month > self.baseline_as_of

    def figures(self, *, month: datetime.date, total: Decimal) -> ReportFigures:
        """Year-to-date and since-start up to `month`, with `total` standing for that month."""
        earlier = {m: v for m, v in self.months.items() if m < month}
        return ReportFigures.of(
            total=total,
            earlier_this_year=sum((v for m, v in earlier.items() if m.year == month.year), Decimal(0)),
            earlier_since_start=sum(
                (v for m, v in earlier.items() if self._counts_since_start(m)), Decimal(0)
            ),
            baseline=self.baseline,
            annual_plan=self.annual_plan,
        )

    def cumulative_with(self, *, month: datetime.date, total: Decimal) -> Decimal:
        """Everything completed since start, all months, with `total` standing for `month`."""
        others = sum(
            (v for m, v in self.months.items() if m != month and self._counts_since_start(m)), Decimal(0)
        )
        return self.baseline + others + (total if self._counts_since_start(month) else Decimal(0))


def project_ledgers(projects: Iterable[Project]) -> dict[int, ProjectLedger]:
    """The ledger of each project, in one query whatever the number of projects: the baselines and
    the figures in force, one after the other."""
    ledgers = {p.pk: ProjectLedger(annual_plan=p.annual_investment) for p in projects}
    baselines = ProjectBaseline.objects.filter(project_id__in=ledgers).values_list(
        "project_id", "as_of", "completed_before", Value(True, output_field=BooleanField())
    )
    in_force = (
        figures_in_force()
        .filter(project_id__in=ledgers)
        .values_list("project_id", "month", "total", Value(False, output_field=BooleanField()))
    )
    for project_id, day, amount, is_baseline in baselines.union(in_force, all=True):
        ledger = ledgers[project_id]
        if is_baseline:
            ledger.baseline, ledger.baseline_as_of = amount, day
        else:
            ledger.months[day] = amount
    return ledgers


def project_ledger(project: Project) -> ProjectLedger:
    """One project's ledger (one query)."""
    return project_ledgers([project])[project.pk]


def with_figures(reports: Iterable[MonthlyReport], *, changes: bool = False) -> list[MonthlyReport]:
    """The reports with their derived figures attached (`attach_figures`), reading the ledgers and the
    events of all of them in two queries. With `changes`, also what each resubmission changed since it
    was returned (`changes_since_return`, from the figures each event kept); lists that do not show it
    read only the events' kinds."""
    reports = list(reports)
    ledgers = project_ledgers({r.project_id: r.project for r in reports}.values())
    events = _events_of(reports, changes=changes)
    for report in reports:
        attach_figures(report, ledgers[report.project_id], events[report.pk], changes=changes)
    return reports


def with_summed_figures(reports: QuerySet[MonthlyReport]) -> list[MonthlyReport]:
    """The reports (a page) with the figures `with_figures(…, changes=True)` attaches, each report's sums read
    in the reports' own query (`with_ledger_sums`) rather than every figure of their projects' ledgers read
    into Python; what each resubmission changed from the events' figures."""
    page: list[MonthlyReport] = list(with_ledger_sums(reports).annotate(baseline_before=F(BASELINE)))
    events = _events_of(page, changes=True)
    for report in page:
        figures = ReportFigures.of(
            total=report.total,
            earlier_this_year=report.earlier_this_year or Decimal(0),  # type: ignore[attr-defined]
            earlier_since_start=report.earlier_since_start or Decimal(0),  # type: ignore[attr-defined]
            baseline=report.baseline_before or Decimal(0),  # type: ignore[attr-defined]
            annual_plan=report.project.annual_investment,
        )
        _attached(report, figures, events[report.pk], changes=True)
    return page


def _events_of(reports: Sequence[MonthlyReport], *, changes: bool) -> dict[int, list[EventFigures]]:
    """Each report's events in order: their kinds, and with `changes` the figures each kept."""
    events: dict[int, list[EventFigures]] = defaultdict(list)
    columns = ("report_id", "kind", "figures") if changes else ("report_id", "kind")
    rows = ReportEvent.objects.filter(report__in=[r.pk for r in reports]).order_by("created_at", "id")
    for event in rows.values_list(*columns, named=True):
        events[event.report_id].append(event)
    return events


def attach_figures(
    report: MonthlyReport, ledger: ProjectLedger, events: Sequence[EventFigures], *, changes: bool = True
) -> MonthlyReport:
    """The report with its derived figures attached as `year_to_date`, `since_start`, `plan_rate`
    (its own figures plus the other months in force of `ledger`), `late`, `revision` and, with
    `changes`, `changes_since_return` (what a resubmission changed since the report was returned),
    from its `events` in order; no query."""
    return _attached(report, ledger.figures(month=report.month, total=report.total), events, changes=changes)


def _attached(
    report: MonthlyReport, figures: ReportFigures, events: Sequence[EventFigures], *, changes: bool
) -> MonthlyReport:
    report.year_to_date = figures.year_to_date  # type: ignore[attr-defined]
    report.since_start = figures.since_start  # type: ignore[attr-defined]
    report.plan_rate = figures.plan_rate  # type: ignore[attr-defined]
    report.late = is_late(report)  # type: ignore[attr-defined]
    report.revision = len(events)  # type: ignore[attr-defined]
    if changes:
        report.changes_since_return = changes_since_return(events)  # type: ignore[attr-defined]
    return report


def report_savers(report: MonthlyReport, fields: Iterable[str]) -> dict[str, tuple[str, datetime.datetime]]:
    """Who last sent the report's figures, and when, for each of `fields` (`core.conflicts.offer`)."""
    sent = (
        report.events.filter(
            kind__in=[ReportEvent.Kind.SUBMITTED, ReportEvent.Kind.RESUBMITTED, ReportEvent.Kind.CORRECTED]
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    if sent is None:
        return {}
    return dict.fromkeys(fields, (sent.actor.display_name if sent.actor else "", sent.created_at))


def report_revision(report: MonthlyReport) -> int:
    """The report's revision: 1 once submitted, one more with every later action on it (returned,
    resubmitted, accepted), each of which records an event. It is the ETag of the report and its
    `revision` in the API."""
    return report.events.count()


def written_by(user: User) -> Q:
    """Report versions the user submitted, resubmitted or corrected."""
    writing = ReportEvent.objects.filter(
        report=OuterRef("pk"),
        actor=user,
        kind__in=(ReportEvent.Kind.SUBMITTED, ReportEvent.Kind.RESUBMITTED, ReportEvent.Kind.CORRECTED),
    )
    return Q(submitted_by=user) | Q(Exists(writing))


def visible_rounds(user: User) -> QuerySet[DispatchRound]:
    """The city office and leaders see every round of their city (the province office those of its
    province); others the rounds holding a project they see."""
    rounds = DispatchRound.objects.filter(city_scope(user))
    if not has_project_access(user):
        return rounds.none()
    if sees_whole_tenant(user):
        return rounds
    mine = DispatchRound.projects.through.objects.filter(
        dispatchround_id=OuterRef("pk"), project__in=visible_projects(user)
    )
    return rounds.filter(Exists(mine))


def with_project_counts(user: User, rounds: QuerySet[DispatchRound]) -> QuerySet[DispatchRound]:
    """Each round's `project_count`: the projects of the round that this user may see, never the rest."""
    if sees_whole_tenant(user):
        return rounds.annotate(project_count=Count("projects"))
    return rounds.annotate(project_count=Count("projects", filter=Q(projects__in=visible_projects(user))))


def round_access(user: User, round_id: int | str) -> DispatchRound:
    try:
        return visible_rounds(user).get(pk=round_id)
    except (DispatchRound.DoesNotExist, ValueError, TypeError):
        raise Http404(_("调度期不存在")) from None


def project_round(project: Project, month: datetime.date) -> DispatchRound | None:
    """The round of `month` if it holds the project."""
    return _by_month(_holding(project, [month])).get(month_start(month))


def _holding(project: Project, months: Iterable[datetime.date]) -> QuerySet[DispatchRound]:
    """The rounds of `months` that hold the project."""
    wanted = Q()
    for month in months:
        wanted |= Q(year=month.year, month=month.month)
    return DispatchRound.objects.filter(wanted, city_id=project.city_id, projects=project)


def _by_month(rounds: Iterable[DispatchRound]) -> dict[datetime.date, DispatchRound]:
    """The rounds by month (its first day)."""
    return {datetime.date(r.year, r.month, 1): r for r in rounds}


@dataclass(frozen=True)
class MonthState:
    """What a new report of a project's month depends on: the rounds of the month and of the month
    before that hold the project (by month), the status of the month's current report (None: none
    yet) and whether the month before has a report."""

    rounds: dict[datetime.date, DispatchRound]
    current_status: str | None
    previous_reported: bool
    drafted: bool = False  # the month has a draft (`ReportDraft`)


def month_state(project: Project, month: datetime.date) -> MonthState:
    """The project's `MonthState` for `month`, in one query: each of the (at most two) rounds carries
    the same answers about the reports and the draft. Without this month's round the answers are not needed."""
    month = month_start(month)
    previous = previous_month(month)
    reports = MonthlyReport.objects.filter(city_id=project.city_id, project=project).order_by()
    rounds = list(
        _holding(project, [month, previous])
        .order_by()
        .annotate(
            current_status=Subquery(reports.filter(month=month, is_current=True).values("status")[:1]),
            previous_reported=Exists(reports.filter(month=previous)),
            drafted=Exists(
                ReportDraft.objects.filter(city_id=project.city_id, project=project, month=month).order_by()
            ),
        )
    )
    first = rounds[0] if rounds else None
    return MonthState(
        rounds=_by_month(rounds),
        current_status=getattr(first, "current_status", None),
        previous_reported=bool(getattr(first, "previous_reported", False)),
        drafted=bool(getattr(first, "drafted", False)),
    )


def current_round(user: User, *, today: datetime.date | None = None) -> DispatchRound | None:
    """The round whose window is open today, else the latest one already opened."""
    today = today or timezone.localdate()
    rounds = visible_rounds(user).filter(opens_on__lte=today)
    return rounds.filter(closes_on__gte=today).first() or rounds.first()


def visible_reports(user: User) -> QuerySet[MonthlyReport]:
    return visible_under_projects(user, MonthlyReport.objects.all())


def report_access(user: User, report_id: int) -> MonthlyReport:
    """A report whose project the user may see; missing and invisible both answer 404."""
    try:
        return (
            visible_reports(user)
            .select_related("project", "project__region", "dispatch_round")
            .get(pk=report_id)
        )
    except (MonthlyReport.DoesNotExist, ValueError, TypeError):
        raise Http404(_("月度报告不存在")) from None


def project_reports(project: Project) -> QuerySet[MonthlyReport]:
    """Every version of every month's report of a project, newest month first, with its round; each
    holds `project` itself rather than a copy read again with every report."""
    return project.reports.select_related("dispatch_round").order_by("-month", "-version")


def report_with_history(report_id: int, user: User) -> MonthlyReport:
    report = report_access(user, report_id)
    return (
        MonthlyReport.objects.select_related(
            "project", "dispatch_round", "submitted_by", "reviewed_by", "supersedes"
        )
        .prefetch_related(Prefetch("events", ReportEvent.objects.select_related("actor")), "photos")
        .get(pk=report.pk)
    )


def month_versions(report: MonthlyReport) -> QuerySet[MonthlyReport]:
    """All versions of the report's project and month, oldest first."""
    return MonthlyReport.objects.filter(project_id=report.project_id, month=report.month).order_by("version")


@dataclass(frozen=True)
class QueueFilters:
    """The review queue narrowed to a round or a county; `everything`: the city office's view of every
    report waiting in its city, not only those waiting for it."""

    round_id: int | None = None
    region: str | None = None
    everything: bool = False
    q: str = ""  # the search box (`project_search_q`)


def waiting_for(user: User) -> Q:
    """The submitted reports that wait for this user's review: a county officer's are those the owners of
    its county sent (what the county filled on an owner's behalf goes up); the city office's those the
    counties filled on the owners' behalf and those of the city's own projects, which no county reviews."""
    if sees_whole_tenant(user):
        # the city's own projects, read by id: a join would make the queue's count read the projects too
        own = Project.objects.filter(region_id=F("city_id"))
        if user.city_id is not None:
            own = own.filter(city_id=user.city_id)
        return Q(filled_on_behalf=True) | Q(project_id__in=own.values("pk"))
    return Q(filled_on_behalf=False)


def review_queue(user: User, filters: QueueFilters | None = None) -> QuerySet[MonthlyReport]:
    """Reports awaiting this user's review (`waiting_for`; never those it wrote), oldest first."""
    if not has_project_access(user) or not may(user, "report.review"):
        return MonthlyReport.objects.none()
    filters = filters or QueueFilters()
    queue = (
        visible_reports(user)
        .filter(
            project_search_q(filters.q or None, field="project"),
            status=MonthlyReport.Status.SUBMITTED,
            is_current=True,
        )
        .exclude(written_by(user))
    )
    if not (filters.everything and sees_whole_tenant(user)):
        queue = queue.filter(waiting_for(user))
    if filters.round_id is not None:
        queue = queue.filter(dispatch_round_id=filters.round_id)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        queue = queue.filter(project__region__path__startswith=region.path) if region else queue.none()
    return _as_queued(queue).order_by("submitted_at", "id")


def _as_queued(reports: QuerySet[MonthlyReport]) -> QuerySet[MonthlyReport]:
    """The reports with what the queue shows of them and its figures read, not the whole project and round."""
    return reports.select_related("project", "project__region", "dispatch_round").only(
        "city_id",
        "project_id",
        "dispatch_round_id",
        "month",
        "version",
        "is_current",
        "status",
        "filled_on_behalf",
        "total",
        "progress_text",
        "submitted_at",
        *LEDGER_COLUMNS,
    )


def review_queue_rows(user: User, filters: QueueFilters | None = None) -> Rows[MonthlyReport]:
    """`review_queue` read a page at a time: its reports picked first (`picked`: summed in the same query,
    SQLite would sum every waiting report's figures before sorting them), then joined to their projects
    through the city key."""
    queue = review_queue(user, filters)
    return Rows(
        queue, lambda page: with_summed_figures(joined_in_city(user, _as_queued(picked(page)))), counted=queue
    )


def last_month_report(report: MonthlyReport) -> MonthlyReport | None:
    """The current report of the month before the report's, if any: what a reviewer compares it with."""
    return (
        MonthlyReport.objects.filter(
            city_id=report.city_id,
            project_id=report.project_id,
            month=previous_month(report.month),
            is_current=True,
        )
        .order_by("-version")
        .first()
    )


def report_names(user: User, report_ids: Sequence[int]) -> dict[int, str]:
    """The project names of the reports the user sees among `report_ids`, by report."""
    return dict(visible_reports(user).filter(pk__in=report_ids).values_list("pk", "project__name"))


# What `with_figures` reads of a report's project and round: its annual plan, its name and region (which
# every list shows), and the round's closing day (whether the report was late).
LEDGER_COLUMNS = (
    "project__name",
    "project__annual_investment",
    "project__region__name",
    "project__region__code",
    "dispatch_round__closes_on",
)
# What the API shows of a report, its project, round and people (`report_rows`).
REPORT_VALUES = (
    *(f.attname for f in MonthlyReport._meta.concrete_fields),
    "project__name",
    "project__annual_investment",
    "dispatch_round__title",
    "dispatch_round__closes_on",
    "submitted_by__full_name",
    "submitted_by__username",
    "reviewed_by__full_name",
    "reviewed_by__username",
)
LEDGER_SUMS = ("earlier_this_year", "earlier_since_start", "revision")
# The project's baseline, joined (one at most per project): what its figures since the start add to.
BASELINE = "project__baselines__completed_before"
BASELINE_AS_OF = "project__baselines__as_of"


def report_rows(reports: QuerySet[MonthlyReport]) -> Rows[dict[str, Any]]:
    """The reports as plain values (`REPORT_VALUES`) read a page at a time, each with its figures
    (`year_to_date`, `since_start`, `plan_rate`: `ReportFigures`), `late` and `revision` computed in the
    same query (`with_ledger_sums`) rather than from every project's ledger and every report's events
    read into Python."""

    def build(page: QuerySet[MonthlyReport]) -> list[dict[str, Any]]:
        rows = list(with_ledger_sums(picked(page)).values(*REPORT_VALUES, *LEDGER_SUMS, BASELINE))
        for row in rows:
            figures = ReportFigures.of(
                total=row["total"],
                earlier_this_year=row.pop("earlier_this_year") or Decimal(0),
                earlier_since_start=row.pop("earlier_since_start") or Decimal(0),
                baseline=row.pop(BASELINE) or Decimal(0),
                annual_plan=row["project__annual_investment"],
            )
            row.update(
                year_to_date=figures.year_to_date,
                since_start=figures.since_start,
                plan_rate=figures.plan_rate,
                late=submitted_late(row["version"], row["submitted_at"], row["dispatch_round__closes_on"]),
            )
        return rows

    return Rows(reports, build)


def with_ledger_sums(reports: QuerySet[MonthlyReport]) -> QuerySet[MonthlyReport]:
    """The reports annotated with the sums `ProjectLedger.figures` adds to each (`LEDGER_SUMS`, NULL for
    none) and their revision (how many events each has), each a subquery on one project's or report's rows
    through their indexes (`figure_in_force_by_project`, the events' report key), written as SQL
    (`OuterSql`): built through the ORM, the three cost a page of 50 reports more than reading it. The
    baseline is joined (`BASELINE`, one at most per project), and a month counts since the start unless the
    baseline already holds it."""

    def earlier(since: str, **bound: Any) -> OuterSql:
        """The project's figures in force before the report's month, from `since` on."""
        return OuterSql(
            f"{_EARLIER_FIGURES} AND f.month {since}",
            output_field=MonthlyReport._meta.get_field("total"),
            figures=FigureInForce,
            project="project_id",
            month="month",
            **bound,
        )

    return reports.annotate(
        earlier_this_year=earlier(">= {year_start}", year_start=TruncYear("month")),
        earlier_since_start=earlier(
            "> {baseline_as_of}", baseline_as_of=Coalesce(BASELINE_AS_OF, Value(datetime.date.min))
        ),
        revision=OuterSql(
            "SELECT COUNT(*) FROM {events} e WHERE e.report_id = {report}",
            output_field=IntegerField(),
            events=ReportEvent,
            report="pk",
        ),
    )


# The figures in force now (`figures_in_force()`) of the report's project before its month.
_EARLIER_FIGURES = (
    "SELECT SUM(f.total) FROM {figures} f WHERE f.project_id = {project} AND f.in_force_until IS NULL "
    "AND f.month < {month}"
)


def is_late(report: MonthlyReport) -> bool:
    """Late means first submitted after the round closed. A late report is still taken and reviewed;
    lateness belongs to the first version (resubmitting keeps the first submission time, and a
    correction is never late)."""
    return submitted_late(report.version, report.submitted_at, report.dispatch_round.closes_on)


def submitted_late(version: int, submitted_at: datetime.datetime, closes_on: datetime.date) -> bool:
    return version == 1 and local_day(submitted_at) > closes_on


@dataclass
class RoundEntry:
    """One project of a round, with its current report for the month (None: not reported)."""

    project: Project
    report: MonthlyReport | None
    late: bool

    @property
    def status(self) -> str:
        return self.report.status if self.report else "missing"

    @property
    def status_label(self) -> str:
        return str(self.report.get_status_display()) if self.report else str(_("未报"))


def round_entries(user: User, dispatch_round: DispatchRound) -> list[RoundEntry]:
    """The projects of a round the user may see, each with its report status, by region then name."""
    projects = list(
        visible_projects(user, dispatch_round.projects.all())
        .select_related("region", "owner")
        .order_by("region__sort_order", "region__code", "name", "id")
    )
    current: dict[int, MonthlyReport] = {}
    late: set[int] = set()
    reports = MonthlyReport.objects.filter(
        dispatch_round=dispatch_round, project__in=visible_projects(user)
    ).select_related("dispatch_round")
    for report in reports:
        if report.is_current:
            current[report.project_id] = report
        if is_late(report):
            late.add(report.project_id)
    return [RoundEntry(project=p, report=current.get(p.pk), late=p.pk in late) for p in projects]


@dataclass
class RegionSummary:
    """Per county: how many projects the round holds, and which reports are missing or late."""

    region: Region
    entries: list[RoundEntry] = field(default_factory=list)

    @property
    def missing(self) -> list[RoundEntry]:
        return [e for e in self.entries if e.report is None]

    @property
    def late(self) -> list[RoundEntry]:
        return [e for e in self.entries if e.late]

    @property
    def reported(self) -> int:
        return len(self.entries) - len(self.missing)

    @property
    def accepted(self) -> int:
        return sum(1 for e in self.entries if e.status == MonthlyReport.Status.ACCEPTED)


def round_summary(entries: Sequence[RoundEntry]) -> list[RegionSummary]:
    summaries: dict[int, RegionSummary] = {}
    for entry in entries:
        region = entry.project.region
        summaries.setdefault(region.pk, RegionSummary(region)).entries.append(entry)
    return list(summaries.values())


def month_draft(project: Project, month: datetime.date) -> ReportDraft | None:
    """The draft of a project's month, with its photos."""
    return (
        ReportDraft.objects.filter(city_id=project.city_id, project=project, month=month_start(month))
        .prefetch_related("photos")
        .first()
    )


def drafts_by_project(projects: Iterable[Project], month: datetime.date) -> dict[int, ReportDraft]:
    """The drafts of `month` of the projects, by project id, in one query."""
    drafts = ReportDraft.objects.filter(project__in=list(projects), month=month_start(month))
    return {draft.project_id: draft for draft in drafts}


def draft_photo_access(user: User, photo_id: int) -> DraftPhoto:
    """A draft's photo, for those who may see its project; missing and invisible both answer 404."""
    photo = DraftPhoto.objects.filter(pk=photo_id, draft__project__in=visible_projects(user)).first()
    if photo is None:
        raise Http404(_("照片不存在"))
    return photo
