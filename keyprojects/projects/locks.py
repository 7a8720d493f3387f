"""The one lock order of the platform: a write that changes a project or anything under it (its plan
nodes, reports, monthly plans, statistics inclusion, change requests) locks the project's row first,
then the rows under it. Two writes to the same project then queue on the project row, and never hold
one row each while waiting for the other's (a deadlock: a node edit that moves the project's stage
against a project edit whose recorded dates close the node).

A write to the project itself locks it through `permissions.project_access(..., for_update=True)`; a
write to a row under a project calls `lock_project` with the row's project before locking the row.
"""

from collections.abc import Callable
from typing import Protocol, TypeVar

from .models import Project


class UnderProject(Protocol):
    @property
    def project_id(self) -> int: ...


Row = TypeVar("Row", bound=UnderProject)


def lock_project(project_id: int) -> None:
    """Hold the project's row until the transaction ends; the caller has checked the user's access."""
    list(Project.objects.select_for_update().filter(pk=project_id).values_list("pk", flat=True))


def locked_under_project(fetch: Callable[[bool], Row]) -> Row:
    """A row under a project, locked after its project: `fetch(for_update)` reads the row through the
    user's access check, first without a lock (a missing or hidden row answers 404 before any lock),
    then, once the project is held, with its own lock (so what it reads is current)."""
    lock_project(fetch(False).project_id)
    return fetch(True)
