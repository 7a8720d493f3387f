"""Reads of the leader's page and the task forces, scoped to the user."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from keyprojects.accounts.models import Organization, Role, User
from keyprojects.alerts.models import ProjectWarning
from keyprojects.alerts.selectors import ColorCounts, color_counts, warning_list
from keyprojects.blockers.models import Blocker, Level
from keyprojects.blockers.selectors import LedgerFilter, blocker_list
from keyprojects.metrics.selectors import Metrics, MetricsQuery, metrics
from keyprojects.projects.models import Project
from keyprojects.projects.selectors import ProjectFilters, project_list

from .models import TaskForce
from .permissions import visible_task_forces

SHOWN = 50  # rows of each list on the leader's page


@dataclass(frozen=True)
class LeaderOverview:
    """What a 包保 leader reads of the projects linked to its account."""

    projects: list[Project]
    project_count: int
    escalated: list[Blocker]  # open, at the leaders' level, on its projects or given to it
    instructions: list[Blocker]  # its instructions the department has not answered yet
    warnings: list[ProjectWarning]
    warning_counts: ColorCounts
    rates: Metrics


def _blockers(user: User, today: datetime.date) -> QuerySet[Blocker]:
    mine = blocker_list(user=user, filters=LedgerFilter(), today=today)
    return mine.filter(project__leader=user) | mine.filter(leader=user)


def leader_overview(*, user: User, today: datetime.date) -> LeaderOverview:
    filters = ProjectFilters(leader=user.pk)
    projects = project_list(user=user, filters=filters)
    blockers = _blockers(user, today).exclude(status__in=["closed", "returned"])
    warnings = warning_list(user=user).filter(project__leader=user)
    return LeaderOverview(
        projects=list(projects[:SHOWN]),
        project_count=projects.count(),
        escalated=list(blockers.filter(level=Level.LEADER)[:SHOWN]),
        instructions=list(blockers.filter(instruction_pending=True)[:SHOWN]),
        warnings=list(warnings[:SHOWN]),
        warning_counts=color_counts(warnings),
        rates=metrics(
            user=user,
            query=MetricsQuery.build(as_of=today, filters=filters, city_id=user.city_id),
        ),
    )


def task_force_list(*, user: User) -> QuerySet[TaskForce]:
    return (
        visible_task_forces(user)
        .select_related("lead_organization")
        .annotate(
            member_count=Count("members", distinct=True), project_count=Count("projects", distinct=True)
        )
        .order_by("name", "id")
    )


def task_force_detail(task_force: TaskForce) -> TaskForce:
    """The task force with its members (and their organisations) and projects, read at once."""
    return (
        TaskForce.objects.filter(pk=task_force.pk)
        .select_related("lead_organization")
        .prefetch_related(
            Prefetch(
                "members", User.objects.select_related("organization").order_by("organization__name", "pk")
            ),
            Prefetch(
                "projects", Project.objects.select_related("region").order_by("region__sort_order", "name")
            ),
        )
        .get()
    )


def candidate_members(*, city_id: int | None) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, organization__city_id=city_id)
        .exclude(role__in=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.PROVINCE_OFFICER])
        .select_related("organization")
        .order_by("organization__name", "full_name", "pk")
    )


def candidate_organizations(*, city_id: int | None) -> QuerySet[Organization]:
    return (
        Organization.objects.filter(city_id=city_id)
        .exclude(kind=Organization.Kind.ENTERPRISE)
        .order_by("name")
    )


def candidate_projects(*, city_id: int | None) -> QuerySet[Project]:
    return (
        Project.objects.filter(city_id=city_id)
        .select_related("region")
        .order_by("region__sort_order", "name")
    )
