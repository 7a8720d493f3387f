"""Reads of the warnings, scoped like their projects: a warning is visible exactly when its project is."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from keyprojects.accounts.models import Region, User
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import visible_under_projects

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
    return (
        qs.select_related("project", "project__region")
        .annotate(severity=SEVERITY)
        .order_by("severity", "project__region__sort_order", "since", "project_id", "rule", "subject")
    )


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
