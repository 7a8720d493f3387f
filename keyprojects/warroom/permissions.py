"""Who reads the war room: the city office, the city's leaders, the county offices (their own county) and
the province office (its cities), action `warroom.view`; an enterprise or a department reads its projects
in their own pages, not on a command room's wall."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.projects.permissions import has_project_access


def can_view(user: User) -> bool:
    return has_project_access(user) and may(user, "warroom.view")


def require_view(user: User) -> None:
    if not can_view(user):
        raise PermissionDenied(_("挂图作战供市、县重点项目办、市领导和省发改委查看"))
