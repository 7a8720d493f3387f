"""Who may do what in monthly dispatch. Seeing a report follows seeing its project
(`keyprojects.projects.permissions`); these rules only decide the actions on top of that.

- the city office opens rounds and may review any report;
- a project owner fills, resubmits and corrects the reports of its own projects;
- a county officer reviews the reports of its region, corrects them, and fills them on an owner's
  behalf only in a round that allows it (the report is then marked as filled on behalf).
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Role, User
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import can_edit_project

from .models import DispatchRound, MonthlyReport


def can_open_round(user: User) -> bool:
    return bool(user.is_authenticated and user.role == Role.CITY_ADMIN)


def require_open_round(user: User) -> None:
    if not can_open_round(user):
        raise PermissionDenied(_("只有市重点项目办可以开启调度期"))


def _is_owner(user: User, project: Project) -> bool:
    return user.role == Role.PROJECT_OWNER and can_edit_project(user, project)


def _is_county(user: User, project: Project) -> bool:
    return user.role == Role.COUNTY_OFFICER and can_edit_project(user, project)


def can_fill(user: User, project: Project, dispatch_round: DispatchRound | None) -> bool:
    """Owners always; the county only when the round lets it fill on an owner's behalf."""
    if _is_owner(user, project):
        return True
    return bool(dispatch_round and dispatch_round.county_may_fill and _is_county(user, project))


def fills_visible_projects(user: User, dispatch_round: DispatchRound) -> bool:
    """Whether the user fills the reports of the round's projects it can see. Owners and county officers
    edit exactly the projects they see (`keyprojects.projects.permissions`), so for a list of visible
    projects this answers `can_fill` for each without a query per project."""
    if user.role == Role.PROJECT_OWNER:
        return True
    return user.role == Role.COUNTY_OFFICER and dispatch_round.county_may_fill


def require_fill(user: User, project: Project, dispatch_round: DispatchRound | None) -> None:
    if not can_fill(user, project, dispatch_round):
        raise PermissionDenied(_("您无权填报此项目的月度报告"))


def fills_on_behalf(user: User) -> bool:
    return user.role != Role.PROJECT_OWNER


def can_review(user: User, project: Project) -> bool:
    return user.is_authenticated and (user.role == Role.CITY_ADMIN or _is_county(user, project))


def require_review(user: User, project: Project) -> None:
    if not can_review(user, project):
        raise PermissionDenied(_("只有项目所在县(市、区)或市重点项目办可以审核月度报告"))


def can_correct(user: User, project: Project) -> bool:
    return _is_owner(user, project) or _is_county(user, project)


def require_correct(user: User, project: Project) -> None:
    if not can_correct(user, project):
        raise PermissionDenied(_("只有项目单位或所在县(市、区)可以更正月度报告"))


def can_edit_report(user: User, report: MonthlyReport) -> bool:
    """The reporter of the month edits a returned report; a correction also whoever may correct."""
    return can_fill(user, report.project, report.dispatch_round) or (
        report.supersedes_id is not None and can_correct(user, report.project)
    )


def can_review_anything(user: User) -> bool:
    return user.is_authenticated and user.role in {Role.CITY_ADMIN, Role.COUNTY_OFFICER}
