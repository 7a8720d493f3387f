"""Who may bring lists in and take them out.

- importing a project list (`project.import`) is for the offices that keep lists: the city office and
  the county officers; each row is then checked like a form edit by that user (a county creates and
  updates the projects of its region, a listed project's key figures stay the city's);
- an import job's page and answer are its author's alone (another's answers 404, like a missing one);
- exporting the project list is for anyone who reads projects, and holds what their list shows;
- a round's dispatch sheet is for anyone who sees the round, and holds the projects they see.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from keyprojects.accounts.access import may
from keyprojects.accounts.models import User
from keyprojects.projects.permissions import has_project_access


def can_import(user: User) -> bool:
    return has_project_access(user) and may(user, "project.import")


def require_import(user: User) -> None:
    if not can_import(user):
        raise PermissionDenied(_("您无权导入项目清单"))
