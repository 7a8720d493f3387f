"""Who may do what in monthly dispatch. Seeing a report follows seeing its project
(`keyprojects.projects.permissions`); these rules only decide the actions on top of that.

- the city office opens rounds and may review any report;
- a project owner fills, resubmits and corrects the reports of its own projects;
- a county officer reviews the reports of its region, and fills them on an owner's behalf only in a
  round that allows it (the report is then marked as filled on behalf); it edits and corrects only
  reports filled on behalf, and only while their round allows it — otherwise the owner does;
- nobody reviews a version they wrote (submitted, resubmitted or corrected): a report the county filled
  on behalf is reviewed by the city office or another officer of that county.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.projects.models import Project
from keyprojects.projects.permissions import acts_on

from .models import DispatchRound, MonthlyReport
from .selectors import written_by


def can_open_round(user: User) -> bool:
    return may(user, "round.open")


def require_open_round(user: User) -> None:
    if not can_open_round(user):
        raise PermissionDenied(_("只有市重点项目办可以开启调度期"))


def _is_owner(user: User, project: Project) -> bool:
    return may(user, "report.fill") and acts_on(user, project)


def _is_county(user: User, project: Project) -> bool:
    return may(user, "report.fill_on_behalf") and acts_on(user, project)


def can_fill(user: User, project: Project, dispatch_round: DispatchRound | None) -> bool:
    """Owners always; the county only when the round lets it fill on an owner's behalf."""
    if _is_owner(user, project):
        return True
    return bool(dispatch_round and dispatch_round.county_may_fill and _is_county(user, project))


def fills_visible_projects(user: User, dispatch_round: DispatchRound) -> bool:
    """Whether the user fills the reports of the round's projects it can see. Owners and county officers
    edit exactly the projects they see (`keyprojects.projects.permissions`), so for a list of visible
    projects this answers `can_fill` for each without a query per project."""
    if may(user, "report.fill"):
        return True
    return may(user, "report.fill_on_behalf") and dispatch_round.county_may_fill


def require_fill(user: User, project: Project, dispatch_round: DispatchRound | None) -> None:
    if not can_fill(user, project, dispatch_round):
        raise PermissionDenied(_("您无权填报此项目的月度报告"))


def fills_on_behalf(user: User) -> bool:
    return not may(user, "report.fill")


def wrote(user: User, report: MonthlyReport) -> bool:
    """Whether the user submitted, resubmitted or corrected this version of the report."""
    return MonthlyReport.objects.filter(written_by(user), pk=report.pk).exists()


def may_review_region(user: User, project: Project) -> bool:
    """The city office reviews every report, a county officer those of its region."""
    return may(user, "report.review") and acts_on(user, project)


def can_review(user: User, report: MonthlyReport) -> bool:
    return may_review_region(user, report.project) and not wrote(user, report)


def require_review(user: User, report: MonthlyReport) -> None:
    if not may_review_region(user, report.project):
        raise PermissionDenied(_("只有项目所在县（市、区）或市重点项目办可以审核月度报告"))
    if wrote(user, report):
        raise PermissionDenied(
            _("不能审核自己填报或更正的月度报告，请由市重点项目办或本县（市、区）其他人员审核")
        )


def can_write_report(user: User, report: MonthlyReport) -> bool:
    """Who edits a returned report, adds its photos or corrects it once accepted: the owner; a county
    officer only for a report filled on the owner's behalf in a round that lets the county fill."""
    if _is_owner(user, report.project):
        return True
    return (
        report.filled_on_behalf and report.dispatch_round.county_may_fill and _is_county(user, report.project)
    )


def require_write_report(user: User, report: MonthlyReport) -> None:
    if not can_write_report(user, report):
        raise PermissionDenied(
            _("月度报告由项目单位修改和更正；县（市、区）只能修改或更正允许代填的调度期中代填的报告")
        )


def can_review_anything(user: User) -> bool:
    return may(user, "report.review")
