"""The move of statistics inclusion out of the progress app keeps every row and its content type."""

import datetime

import pytest

from keyprojects.accounts.tests.historical import OldWorld


@pytest.mark.django_db(transaction=True)
def test_the_inclusions_recorded_under_progress_are_the_inclusion_apps_afterwards(migrator):
    old = migrator.apply_initial_migration(
        [("progress", "0005_merge_0004_city_key_0004_report_event_figures")]
    )
    world = OldWorld(old.apps)
    project = world.create(
        "projects.Project",
        name="示例项目",
        region=world.county("371525", "冠县"),
        total_investment=1000,
        year=2026,
    )
    old.apps.get_model("progress", "StatisticsInclusion").objects.create(
        project=project,
        city_id=project.city_id,
        included_on=datetime.date(2026, 3, 1),
        statistics_code="ST-1",
    )
    ContentType = old.apps.get_model("contenttypes", "ContentType")
    ContentType.objects.get_or_create(app_label="progress", model="statisticsinclusion")

    new = migrator.apply_tested_migration([("progress", "0006_statistics_inclusion_moved")])
    row = new.apps.get_model("inclusion", "StatisticsInclusion").objects.get()
    assert (row.project_id, row.included_on, row.statistics_code) == (
        project.pk,
        datetime.date(2026, 3, 1),
        "ST-1",
    )
    NewContentType = new.apps.get_model("contenttypes", "ContentType")
    assert NewContentType.objects.filter(app_label="inclusion", model="statisticsinclusion").exists()
    assert not NewContentType.objects.filter(app_label="progress", model="statisticsinclusion").exists()
