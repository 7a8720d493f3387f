"""The demo city's batches: the spring and autumn concentrated starts and the summer observation tour,
with the totals the city announced (seeds 000, 001) and the demo projects that fit each."""

import datetime
from decimal import Decimal

from keyprojects.demo.steps import DemoContext
from keyprojects.projects.models import Project

from .models import Batch, BatchKind
from .services import batch_record

# (kind, name, month, day, venue, venue project's name contains, announced count, announced 万元)
BATCHES = [
    (BatchKind.START, "春季重点项目集中开工", 3, 18, "高唐县奥博生物项目现场", "奥博生物", 215, None),
    (BatchKind.TOUR, "全市高质量发展重点项目现场观摩", 8, 31, "莘县宝莘食品项目现场", "宝莘", None, None),
    (
        BatchKind.START,
        "秋季重点项目集中开工",
        9,
        26,
        "高新区鲁西化工项目现场",
        "鲁西化工",
        194,
        Decimal("10430000"),
    ),
]
PER_BATCH = 24


def load(ctx: DemoContext) -> None:
    """The year's batches held by the demo's day (none in January, before the spring start)."""
    city = ctx.tenant
    rng = ctx.rng("batches")
    projects = list(Project.objects.filter(city=city, year=ctx.year).order_by("pk"))
    for kind, name, month, day, venue, venue_name, count, investment in BATCHES:
        held_on = datetime.date(ctx.year, month, day)
        if held_on > ctx.today:
            continue
        venue_project = next((p for p in projects if venue_name in p.name), None)
        pool = [p for p in projects if kind == BatchKind.TOUR or p.actual_start is not None]
        chosen = rng.sample(pool, min(PER_BATCH, len(pool)))
        named = f"{ctx.year}年{name}"
        batch_record(
            user=ctx.office_user,
            batch_id=Batch.objects.filter(city=city, name=named).values_list("pk", flat=True).first(),
            kind=kind,
            name=named,
            held_on=held_on,
            venue=venue,
            venue_project_id=venue_project.pk if venue_project else None,
            announced_count=count,
            announced_investment=investment,
            project_ids=[p.pk for p in chosen],
        )
    ctx.report("集中开工与观摩", Batch.objects.filter(city=city).count())
