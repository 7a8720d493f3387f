"""Background refreshes of the warnings (run by the task worker; immediately in tests), queued by
`subscribers` when other apps publish their changes."""

from django_tasks import task

from .services import warnings_refresh


@task()
def refresh_project_warnings(project_id: int) -> None:
    warnings_refresh(project_ids=[project_id])


@task()
def refresh_projects_warnings(project_ids: list[int]) -> None:
    warnings_refresh(project_ids=project_ids)


@task()
def refresh_all_warnings() -> None:
    warnings_refresh()
