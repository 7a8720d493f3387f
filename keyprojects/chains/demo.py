"""The demo city's twelve key industrial chains, and the industry projects on them."""

from keyprojects.demo.steps import DemoContext
from keyprojects.projects.models import Project

from .models import IndustrialChain

CHAINS = [
    ("chemicals", "高端化工", ("化工",)),
    ("nonferrous", "有色金属及金属深加工", ()),
    ("equipment", "高端装备", ("装备制造",)),
    ("auto", "新能源汽车及零部件", ()),
    ("bearings", "轴承", ()),
    ("biomedicine", "生物医药", ("生物医药", "生物制造")),
    ("materials", "新材料", ("新材料",)),
    ("electronics", "新一代信息技术", ("电子信息",)),
    ("food", "绿色食品", ("食品加工",)),
    ("textiles", "纺织服装", ("纺织服装",)),
    ("paper", "造纸及包装", ("造纸及纸制品",)),
    ("logistics", "现代物流", ("现代物流",)),
]


def load(ctx: DemoContext) -> None:
    by_industry: dict[str, IndustrialChain] = {}
    for order, (code, name, industries) in enumerate(CHAINS, start=1):
        chain, _created = IndustrialChain.objects.update_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
        by_industry.update(dict.fromkeys(industries, chain))
    unassigned = [p for p in ctx.projects if p.chain_id is None and p.industry in by_industry]
    for project in unassigned:
        project.chain = by_industry[project.industry]
    Project.objects.bulk_update(unassigned, ["chain"])
    on_chains = Project.objects.filter(year=ctx.year, chain__isnull=False).count()
    ctx.report("产业链", f"{len(CHAINS)} 条,{on_chains} 个项目归链")
