"""The warnings follow the other apps' events: what each committed change queues (the tasks are
counted on the dummy backend; `test_refresh` runs them). Changes to projects are gathered per city and
refreshed together a few seconds later."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend

from keyprojects.alerts.models import PendingRefresh, RefreshQueued, WarningRules
from keyprojects.alerts.queue import mark_pending, refresh_pending
from keyprojects.alerts.services import warning_rules_update
from keyprojects.core.events import hold_back
from keyprojects.inclusion.services import inclusion_settings_update
from keyprojects.metrics.services import metrics_settings_update, monthly_plan_etag, monthly_plan_set
from keyprojects.progress.tests.report_helpers import accept, make_project, open_round, submit
from keyprojects.projects.models import Project
from keyprojects.projects.tests.factories import ProjectFactory


def warning_tasks() -> list:
    """The warnings' tasks queued on the dummy backend (other apps queue theirs beside them)."""
    results = default_task_backend.results  # type: ignore[attr-defined]
    return [r for r in results if r.task.module_path.startswith("keyprojects.alerts.")]


@pytest.fixture
def queued(settings):
    """The warnings' tasks queued so far, as (name, args)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}

    def read():
        found = [(r.task.name, list(r.args)) for r in warning_tasks()]
        default_task_backend.clear()  # type: ignore[attr-defined]
        return found

    return read


def pending():
    return sorted(PendingRefresh.objects.values_list("city_id", "project_id"))


def test_a_report_submitted_and_then_accepted_is_refreshed_once_a_few_seconds_later(
    city, queued, django_capture_on_commit_callbacks
):
    project = make_project(city)
    open_round(city, [project])
    refresh_pending(city.liaocheng.pk)
    queued()
    with django_capture_on_commit_callbacks(execute=True):
        report = submit(city.owner, project)
    [result] = warning_tasks()
    assert result.task.run_after is not None and result.task.run_after > timezone.now()
    assert queued() == [("refresh_pending_warnings", [city.liaocheng.pk])]
    with django_capture_on_commit_callbacks(execute=True):
        accept(city.county, report)
    assert queued() == []  # the city's refresh is already queued: it will take this change too
    assert pending() == [(city.liaocheng.pk, project.pk)]
    assert refresh_pending(city.liaocheng.pk) == 1
    assert pending() == [] and not RefreshQueued.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        project.save()
    assert queued() == [("refresh_pending_warnings", [city.liaocheng.pk])]  # the next change queues anew


def test_a_surge_of_reports_queues_one_refresh_per_city(
    city, other_city, queued, django_capture_on_commit_callbacks
):
    mine = [make_project(city) for _ in range(5)]
    theirs = ProjectFactory(region=other_city.qihe, owner=other_city.enterprise)
    refresh_pending(city.liaocheng.pk)
    refresh_pending(other_city.dezhou.pk)
    queued()
    for project in [*mine, theirs, *mine]:
        with django_capture_on_commit_callbacks(execute=True):
            project.save()
    assert sorted(queued()) == sorted(
        [
            ("refresh_pending_warnings", [city.liaocheng.pk]),
            ("refresh_pending_warnings", [other_city.dezhou.pk]),
        ]
    )
    assert len(pending()) == 6


def test_a_change_during_a_refresh_stays_pending_for_the_next(city, queued):
    project = make_project(city)
    mark_pending({project.pk: city.liaocheng.pk})
    later = timezone.now() + datetime.timedelta(seconds=1)
    PendingRefresh.objects.update(queued_at=later)  # changed again once the refresh had begun
    assert refresh_pending(city.liaocheng.pk) == 0
    assert pending() == [(city.liaocheng.pk, project.pk)]


def test_a_monthly_plan_refreshes_its_project(city, queued, django_capture_on_commit_callbacks):
    project = make_project(city)
    queued()
    with django_capture_on_commit_callbacks(execute=True):
        monthly_plan_set(
            user=city.city_admin,
            project_id=project.pk,
            year=2026,
            amounts={3: Decimal("100")},
            etag=monthly_plan_etag({}),
        )
    assert queued() == [("refresh_pending_warnings", [city.liaocheng.pk])]
    assert pending() == [(city.liaocheng.pk, project.pk)]


def test_settings_the_rules_read_refresh_everything_once(city, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inclusion_settings_update(user=city.city_admin, threshold=Decimal(1000), version=1)
    assert queued() == [("refresh_all_warnings", [])]
    with django_capture_on_commit_callbacks(execute=True):
        metrics_settings_update(user=city.city_admin, data={"time_basis": "month"}, version=1)
    assert queued() == [("refresh_all_warnings", [])]
    version = WarningRules.for_city(city.liaocheng.pk).version
    with django_capture_on_commit_callbacks(execute=True):
        warning_rules_update(user=city.city_admin, data={"start_red_months": 4}, version=version)
    assert queued() == [("refresh_all_warnings", [])]


def test_nothing_is_queued_for_a_change_rolled_back_or_written_past_the_models(
    city, queued, django_capture_on_commit_callbacks
):
    project = make_project(city)
    queued()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            project.save()
            raise RuntimeError
        Project.objects.filter(pk=project.pk).update(name="改名")  # a bulk write tells no one itself
    assert queued() == []


def test_a_held_back_batch_queues_one_refresh_of_its_projects(
    city, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), hold_back():
        projects = [make_project(city) for _ in range(3)]
        for project in projects:
            project.name += "（调整）"
            project.save(update_fields=["name"])
    assert queued() == [("refresh_pending_warnings", [city.liaocheng.pk])]
    assert pending() == sorted((city.liaocheng.pk, p.pk) for p in projects)
