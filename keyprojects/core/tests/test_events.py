"""The domain-event bus: delivered after commit, never after a rollback, held back and coalesced."""

import pytest
from django.db import transaction

from keyprojects.core import events
from keyprojects.core.events import PlanChanged, ProjectChanged, SettingsChanged, hold_back, publish


@pytest.fixture
def heard():
    """The lists of events a test subscriber is handed, one list per delivery."""
    deliveries: list[list[events.DomainEvent]] = []

    def handler(batch):
        deliveries.append(list(batch))

    events.subscribe(ProjectChanged, PlanChanged)(handler)
    yield deliveries
    events.unsubscribe(handler)


@pytest.mark.django_db(transaction=True)
def test_an_event_is_delivered_once_after_commit_and_never_after_a_rollback(heard):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(ProjectChanged(project_id=1, city_id=1))
        raise RuntimeError
    assert heard == []

    with transaction.atomic():
        publish(ProjectChanged(project_id=2, city_id=1))
        with pytest.raises(RuntimeError), transaction.atomic():  # a savepoint rolled back
            publish(ProjectChanged(project_id=3, city_id=1))
            raise RuntimeError
        assert heard == []  # not before the commit
    assert heard == [[ProjectChanged(project_id=2, city_id=1)]]

    publish(PlanChanged(project_id=4, city_id=1))  # outside a transaction: at once
    assert heard[-1] == [PlanChanged(project_id=4, city_id=1)]
    assert len(heard) == 2


@pytest.mark.django_db
def test_only_the_subscribed_classes_are_delivered(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(SettingsChanged(city_id=1, model="alerts.warningrules"))
    assert heard == []


@pytest.mark.django_db
def test_held_back_events_come_in_one_delivery_without_repeats(heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), hold_back():
        for project_id in (1, 2, 1, 3, 2):
            with transaction.atomic():
                publish(ProjectChanged(project_id=project_id, city_id=1))
        with hold_back():  # a nested block joins the outer one
            publish(PlanChanged(project_id=1, city_id=1))
        with pytest.raises(RuntimeError), transaction.atomic():
            publish(ProjectChanged(project_id=9, city_id=1))
            raise RuntimeError
        assert heard == []
    assert heard == [
        [
            ProjectChanged(project_id=1, city_id=1),
            ProjectChanged(project_id=2, city_id=1),
            ProjectChanged(project_id=3, city_id=1),
            PlanChanged(project_id=1, city_id=1),
        ]
    ]


@pytest.mark.django_db
def test_a_hold_inside_a_transaction_delivers_at_its_commit_and_not_at_all_on_rollback(
    heard, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with hold_back():
            publish(ProjectChanged(project_id=1, city_id=1))
            publish(ProjectChanged(project_id=2, city_id=1))
        assert heard == []
    assert heard == [[ProjectChanged(project_id=1, city_id=1), ProjectChanged(project_id=2, city_id=1)]]

    with pytest.raises(RuntimeError), transaction.atomic(), hold_back():
        publish(ProjectChanged(project_id=3, city_id=1))
        raise RuntimeError
    assert len(heard) == 1


@pytest.mark.django_db(transaction=True)
def test_a_failing_subscriber_is_logged_and_the_others_still_hear(heard, caplog):
    def broken(batch):
        raise RuntimeError("the subscriber broke")

    events.subscribe(ProjectChanged)(broken)
    try:
        with transaction.atomic():  # the commit succeeds and raises nothing, whatever the subscriber does
            publish(ProjectChanged(project_id=1, city_id=1))
        publish(ProjectChanged(project_id=2, city_id=1))  # outside a transaction too
    finally:
        events.unsubscribe(broken)
    assert heard == [[ProjectChanged(project_id=1, city_id=1)], [ProjectChanged(project_id=2, city_id=1)]]
    failures = [r for r in caplog.records if r.exc_info and "the subscriber broke" in str(r.exc_info[1])]
    assert len(failures) == 2
