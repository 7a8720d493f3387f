"""The demo city's statistics inclusion: most started projects at or above the threshold are in the
statistics some weeks after their start, entered by their county; a few are left out on purpose,
1–2 months after the start (yellow) and longer (red), so the warnings and 应纳未纳 have something to
show. Written in bulk, past the services (whose history rows would date each entry today)."""

import datetime

from keyprojects.core.events import InclusionChanged, publish
from keyprojects.demo.steps import DemoContext
from keyprojects.progress.models import ProgressSettings
from keyprojects.projects.models import Pipeline, Stage

from .models import StatisticsInclusion


def load(ctx: DemoContext) -> None:
    rng = ctx.rng("inclusion")
    today = ctx.today
    projects = [
        p
        for p in sorted(ctx.projects, key=lambda p: p.pk)
        if p.pipeline == Pipeline.SCHEDULED and p.stage != Stage.WITHDRAWN and p.year == ctx.year
    ]
    if StatisticsInclusion.objects.filter(project__in=projects).exists():
        return  # already loaded: the projects left out on purpose stay out
    threshold = ProgressSettings.for_city(ctx.tenant.pk).inclusion_threshold
    officers = {code: ctx.users[county.username] for code, county in ctx.place.county_by_code.items()}
    due = sorted(
        (
            p
            for p in projects
            if p.actual_start and p.actual_start <= today and p.total_investment >= threshold
        ),
        key=lambda project: -project.pk,  # the seeds' real projects (created first) are left out last
    )
    new, left_out = [], 0
    yellow = red = 0
    for serial, project in enumerate(due, start=1):
        start = project.actual_start
        assert start is not None
        days = (today - start).days
        if days <= 30:
            skip = rng.random() < 0.6  # the county has a month to enter it
        elif days <= 60:
            skip = yellow < 2 or rng.random() < 0.3
            yellow += skip
        else:
            skip = red < 2 or rng.random() < 0.04
            red += skip
        if skip:
            left_out += 1
            continue
        included_on = min(start + datetime.timedelta(days=rng.randint(7, 28)), today)
        new.append(
            StatisticsInclusion(
                project=project,
                included_on=included_on,
                statistics_code=f"{project.region.code}{included_on.year}{serial:05d}",
                recorded_by=officers.get(project.region.code, ctx.office_user),
            )
        )
    StatisticsInclusion.objects.bulk_create(new)
    for record in new:  # written past the save signal: tell the other apps here
        publish(InclusionChanged(project_id=record.project_id, city_id=record.city_id))
    ctx.report("入库纳统", f"新登记 {len(new)} 个，应纳未纳 {left_out} 个")
