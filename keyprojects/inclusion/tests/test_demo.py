"""The demo city's statistics inclusion: most started projects at or above the threshold are in,
a few are missing 1–2 months and longer after their start, and loading it twice changes nothing."""

import pytest

from keyprojects.demo import city as demo_city
from keyprojects.demo import projects as demo_projects
from keyprojects.demo.steps import DemoContext
from keyprojects.inclusion import demo
from keyprojects.inclusion.models import StatisticsInclusion


@pytest.mark.django_db
def test_most_due_projects_are_in_and_a_few_are_missing_on_purpose(clock):
    ctx = DemoContext(today=clock.today, password="Demo-2024!")
    demo_city.load(ctx)
    demo_projects.load(ctx)
    demo.load(ctx)
    today = ctx.today
    due = [
        p for p in ctx.projects if p.actual_start and p.actual_start <= today and p.total_investment >= 500
    ]
    included = dict(StatisticsInclusion.objects.values_list("project_id", "included_on"))
    # the county has a month to enter a project, so the recent starts may not be in yet
    settled = [p for p in due if (today - p.actual_start).days > 30]
    assert sum(1 for p in settled if p.pk in included) > 0.8 * len(settled)
    missing_days = [(today - p.actual_start).days for p in due if p.pk not in included]
    assert any(30 < d <= 60 for d in missing_days) and any(d > 60 for d in missing_days)
    for p in due:
        if p.pk in included:
            assert p.actual_start <= included[p.pk] <= today
    recorders = set(StatisticsInclusion.objects.values_list("recorded_by__role", flat=True))
    assert recorders <= {"county_officer", "city_admin"}
    assert any(label == "入库纳统" for label, _ in ctx.summary)

    loaded = StatisticsInclusion.objects.count()
    demo.load(ctx)
    assert StatisticsInclusion.objects.count() == loaded
