"""Who keeps a project's statistics inclusion, and who sets the threshold."""

from keyprojects.accounts.access import may
from keyprojects.accounts.city_settings import can_edit_settings
from keyprojects.accounts.models import User
from keyprojects.projects import permissions
from keyprojects.projects.models import Project


def can_record_inclusion(user: User, project: Project) -> bool:
    """The city office, and the county office of the project's region, keep its inclusion."""
    return may(user, "statistics.edit") and permissions.acts_on(user, project)


def can_configure_inclusion(user: User) -> bool:
    return permissions.has_project_access(user) and can_edit_settings(user)
