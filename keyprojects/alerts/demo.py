"""The demo city's warnings: one refresh over the data the earlier steps built (idempotent: a second
run finds the same warnings and keeps them)."""

from collections import Counter

from keyprojects.demo.steps import DemoContext

from .models import ProjectWarning, Rule
from .services import warnings_refresh


def load(ctx: DemoContext) -> None:
    warnings_refresh(today=ctx.today)
    active = ProjectWarning.objects.filter(city=ctx.tenant, is_active=True)
    colors = Counter(active.values_list("color", flat=True))
    rules = Counter(active.values_list("rule", flat=True))
    ctx.report("预警（红灯/黄灯）", f"{colors.get('red', 0)}/{colors.get('yellow', 0)}")
    ctx.report(
        "预警（按类型）", "、".join(f"{Rule(rule).label} {count}" for rule, count in sorted(rules.items()))
    )
