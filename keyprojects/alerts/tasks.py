"""Background refreshes of the warnings (run by the task worker; immediately in tests), queued by
`subscribers` when other apps publish their changes."""

from django_tasks import task

from .queue import refresh_pending
from .services import warnings_refresh


@task()
def refresh_pending_warnings(city_id: int) -> None:
    """The projects of the city changed since the last refresh (`queue.py`)."""
    refresh_pending(city_id)


@task()
def refresh_all_warnings() -> None:
    warnings_refresh()
