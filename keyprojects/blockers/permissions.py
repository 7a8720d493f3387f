"""Who may raise, see and work on blockers, and take part in coordination meetings.

- anyone working on a project raises a blocker on it: its owner, its county, the city office, a
  department the project is assigned to (`blocker.raise`, on a project the user sees);
- the county officer of the project's region, or the city office (for every project of its city, and
  alone for the projects of the city itself), accepts, returns and assigns it (`blocker.accept`, on a
  project the user changes) and, while it has not climbed past the county, escalates it; the city
  office escalates it from the coordination meeting to a city leader (`blocker.escalate`);
- the responsible department answers and resolves it; a co-handling department adds progress notes
  (`blocker.handle`, and only for a blocker assigned to its organisation);
- the project's owner rates the resolution (`blocker.rate`, on a project it changes), as does the
  person who raised it;
- a city leader gives an instruction (批示) once the blocker has reached the leaders (`blocker.instruct`);
- the ledger and the figures are for the county and city offices and the leaders (`blocker.ledger`),
  the inbox for departments; meetings are the city office's (`meeting.manage`), and a department
  reports a decision it is charged with done.

A blocker is visible exactly when its project is: asking for a hidden one answers 404, like a
missing one. A user who may not take an action at all is refused with 403; an action the blocker's
state does not allow answers 409 (`services`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.models import Project

from .models import Action, Blocker, Decision, Level, Meeting


def can_raise(user: User, project: Project) -> bool:
    """On a project the user sees (the caller has checked that)."""
    return may(user, "blocker.raise")


def require_raise(user: User, project: Project) -> None:
    if not can_raise(user, project):
        raise PermissionDenied(_("您无权为此项目反映问题"))


def can_see_ledger(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "blocker.ledger")


def require_ledger(user: User) -> None:
    if not can_see_ledger(user):
        raise PermissionDenied(_("您无权查看问题台账"))


def can_see_inbox(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "blocker.handle")


def require_inbox(user: User) -> None:
    if not can_see_inbox(user):
        raise PermissionDenied(_("只有职能部门有问题办理收件箱"))


def can_manage_meetings(user: User) -> bool:
    return project_permissions.has_project_access(user) and may(user, "meeting.manage")


def require_meetings(user: User) -> None:
    if not can_manage_meetings(user):
        raise PermissionDenied(_("只有市重点项目办可以组织协调调度会"))


def _handles(user: User, blocker: Blocker, *, co_handling: bool) -> bool:
    if not may(user, "blocker.handle") or user.organization_id is None:
        return False
    if blocker.department_id == user.organization_id:
        return True
    return co_handling and blocker.co_departments.filter(pk=user.organization_id).exists()


def may_take(user: User, blocker: Blocker, action: str) -> bool:
    """Whether the user may take `action` on this blocker at all, whatever its state."""
    project = blocker.project
    if action in (Action.ACCEPT, Action.RETURN, Action.ASSIGN):
        return may(user, "blocker.accept") and project_permissions.acts_on(user, project)
    if action == Action.ESCALATE:
        if not (may(user, "blocker.escalate") and project_permissions.acts_on(user, project)):
            return False
        return blocker.level == Level.COUNTY or may(user, "blocker.escalate_city")
    if action == Action.ANSWER:
        return _handles(user, blocker, co_handling=True)
    if action == Action.RESOLVE:
        return _handles(user, blocker, co_handling=False)
    if action == Action.RATE:
        if blocker.raised_by_id == user.pk:
            return True
        return may(user, "blocker.rate") and project_permissions.acts_on(user, project)
    if action == Action.INSTRUCT:
        return may(user, "blocker.instruct")
    return False


def require_take(user: User, blocker: Blocker, action: str) -> None:
    if not may_take(user, blocker, action):
        raise PermissionDenied(_("您无权对此问题执行“%(action)s”") % {"action": Action(action).label})


def visible_blockers(user: User) -> QuerySet[Blocker]:
    return project_permissions.visible_under_projects(user, Blocker.objects.all())


def blocker_access(user: User, blocker_id: int, *, for_update: bool = False) -> Blocker:
    """A blocker the user may see; missing and invisible both answer 404."""
    project_permissions.require_project_access(user)
    qs = visible_blockers(user).select_related("project", "project__region", "department", "raised_by")
    if for_update:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=blocker_id)
    except (Blocker.DoesNotExist, ValueError, TypeError):
        raise Http404(_("问题不存在")) from None


def meeting_access(user: User, meeting_id: int) -> Meeting:
    require_meetings(user)
    meeting = Meeting.objects.filter(city_id=user.city_id, pk=meeting_id).first()
    if meeting is None:
        raise Http404(_("会议不存在"))
    return meeting


def decision_access(user: User, decision_id: int) -> Decision:
    """A decision the user reports done: the city office's, or one its department is charged with."""
    project_permissions.require_project_access(user)
    decision = Decision.objects.filter(city_id=user.city_id, pk=decision_id).select_related("meeting").first()
    if decision is None:
        raise Http404(_("议定事项不存在"))
    if not (may(user, "meeting.manage") or decision.department_id == user.organization_id):
        raise PermissionDenied(_("您无权办理此议定事项"))
    return decision
