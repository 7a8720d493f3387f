"""Reads of the warnings, scoped like their projects: a warning is visible exactly when its project is."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest

from keyprojects.accounts.models import Region, User
from keyprojects.core.history import decode
from keyprojects.core.rows import Row, Rows, labels
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import joined_in_city, visible_under_projects
from keyprojects.projects.selectors import project_search_q

from .messages import page_calendar_notice, warning_message
from .models import Color, ProjectWarning, Rule

SEVERITY = Case(
    When(color=Color.RED, then=Value(0)),
    When(color=Color.YELLOW, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class WarningFilters:
    color: str | None = None
    rule: str | None = None
    region: str | None = None  # a region's code; its sub-regions count too
    project: int | None = None
    q: str | None = None  # the search box (`project_search_q`)
    active: bool = True

    @classmethod
    def from_mapping(cls, data: Any) -> "WarningFilters":
        """From query parameters, ignoring blanks and unknown values."""
        values: dict[str, Any] = {}
        if data.get("color") in Color.values:
            values["color"] = data["color"]
        if data.get("rule") in Rule.values:
            values["rule"] = data["rule"]
        if data.get("region"):
            values["region"] = str(data["region"])
        if str(data.get("project") or "").isdigit():
            values["project"] = int(data["project"])
        if data.get("q"):
            values["q"] = str(data["q"])
        return cls(**values)


def warning_list(*, user: User, filters: WarningFilters | None = None) -> QuerySet[ProjectWarning]:
    """The warnings the user may see, worst first, then oldest first."""
    filters = filters or WarningFilters()
    qs = visible_under_projects(user, ProjectWarning.objects.filter(is_active=filters.active))
    if filters.color:
        qs = qs.filter(color=filters.color)
    if filters.rule:
        qs = qs.filter(rule=filters.rule)
    if filters.project is not None:
        qs = qs.filter(project_id=filters.project)
    if filters.region:
        region = Region.objects.filter(code=filters.region).first()
        qs = qs.filter(project__region__path__startswith=region.path) if region else qs.none()
    qs = qs.filter(project_search_q(filters.q, field="project"))
    return (
        qs.select_related("project", "project__region")
        .annotate(severity=SEVERITY)
        .order_by("severity", "project__region__sort_order", "since", "project_id", "rule", "subject")
    )


@dataclass(frozen=True, slots=True)
class WarningRow:
    """A warning as the list shows it (the page and the API): its own columns, its project's name and
    region, and its message in the active language."""

    id: int
    project_id: int
    project_name: str
    region_code: str
    region_name: str
    rule: str
    rule_label: str
    color: str
    message: str
    facts: dict[str, Any]
    since: date
    is_active: bool
    cleared_at: datetime | None

    @property
    def pk(self) -> int:
        return self.id

    def api(self) -> Row:
        """The row as `WarningOut` (the API) names its fields."""
        return Row(
            id=self.id,
            project=self.project_id,
            project_name=self.project_name,
            region=self.region_code,
            rule=self.rule,
            rule_label=self.rule_label,
            color=self.color,
            message=self.message,
            facts=self.facts,
            since=self.since,
            is_active=self.is_active,
            cleared_at=self.cleared_at,
        )


ROW_COLUMNS = (
    "id",
    "project_id",
    "project__name",
    "project__region__code",
    "project__region__name",
    "rule",
    "color",
    "facts",
    "since",
    "is_active",
    "cleared_at",
)


def warning_rows(warnings: QuerySet[ProjectWarning]) -> list[WarningRow]:
    """The warnings of `warning_list` (a page of it) as rows: the columns they show, in one query."""
    rule_labels = labels(Rule.choices)
    rows = []
    for (
        pk,
        project_id,
        name,
        code,
        region,
        rule,
        color,
        facts,
        since,
        active,
        cleared,
    ) in warnings.values_list(*ROW_COLUMNS):
        typed = decode(facts)
        rows.append(
            WarningRow(
                id=pk,
                project_id=project_id,
                project_name=name,
                region_code=code,
                region_name=region,
                rule=rule,
                rule_label=rule_labels.get(rule, rule),
                color=color,
                # as ProjectWarning.message: stored as text before warnings kept their figures
                message=typed if isinstance(typed, str) else warning_message(rule, typed),
                facts=facts.get("v", {}) if facts.get("t") == "map" else {},
                since=since,
                is_active=active,
                cleared_at=cleared,
            )
        )
    return rows


def warning_page_rows(*, user: User, filters: WarningFilters | None = None) -> Rows[WarningRow]:
    """`warning_list` read a page at a time as rows."""
    warnings = warning_list(user=user, filters=filters)
    return Rows(joined_in_city(user, warnings), warning_rows, counted=warnings)


@dataclass(frozen=True)
class ColorCounts:
    red: int
    yellow: int

    @property
    def total(self) -> int:
        return self.red + self.yellow


def color_counts(warnings: QuerySet[ProjectWarning]) -> ColorCounts:
    row = warnings.order_by().aggregate(
        red=Count("pk", filter=Q(color=Color.RED)), yellow=Count("pk", filter=Q(color=Color.YELLOW))
    )
    return ColorCounts(row["red"], row["yellow"])


def warnings_calendar_notice(warnings: Iterable[ProjectWarning], request: HttpRequest | None = None) -> str:
    """`messages.page_calendar_notice` of these warnings, for a page that shows them."""
    return page_calendar_notice((decode(w.facts) for w in warnings), request=request)


def project_warnings(*, project: Project) -> list[ProjectWarning]:
    """The active warnings of a project the caller already may see, worst first."""
    return list(
        project.warnings.filter(is_active=True)
        .annotate(severity=SEVERITY)
        .order_by("severity", "since", "rule")
    )


def worst_color(warnings: list[ProjectWarning]) -> str:
    """A project's light: the worst of its active warnings, green when it has none."""
    colors = {w.color for w in warnings}
    for color in (Color.RED, Color.YELLOW):
        if color in colors:
            return color
    return Color.GREEN
