"""Background sending of the outbound channels (run by the task worker; at once in tests and `make run`).
A backend that can wait (the database's) is asked to run each delivery at its due time; otherwise
`send_due_deliveries` (the `senddeliveries` command, every minute) sends what has come due."""

import datetime

from django.utils import timezone
from django_tasks import task

from . import sending


def schedule(delivery_id: int, due_at: datetime.datetime) -> None:
    """Queue a delivery's attempt at `due_at`."""
    if send_delivery.get_backend().supports_defer:
        send_delivery.using(run_after=due_at).enqueue(delivery_id)
    elif due_at <= timezone.now():
        send_delivery.enqueue(delivery_id)


@task()
def send_delivery(delivery_id: int) -> None:
    retry = sending.attempt(delivery_id)
    if retry is not None:
        schedule(retry.pk, retry.due_at)


@task()
def send_due_deliveries() -> int:
    """Every delivery that has come due; answers how many were tried."""
    due = sending.due_deliveries(timezone.now())
    for delivery_id in due:
        send_delivery.call(delivery_id)
    return len(due)
