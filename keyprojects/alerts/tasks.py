"""Background refreshes of the warnings (run by the task worker; immediately in tests)."""

from django_tasks import task

from .services import warnings_refresh


@task()
def refresh_project_warnings(project_id: int) -> None:
    warnings_refresh(project_ids=[project_id])


@task()
def refresh_all_warnings() -> None:
    warnings_refresh()
