"""Each demo city's key industrial chains (聊城's twelve, a few of 德州's), and the industry projects
on them."""

from keyprojects.chains.models import IndustrialChain
from keyprojects.core.events import ProjectChanged, publish
from keyprojects.projects.models import DictionaryKind, Project
from keyprojects.projects.vocabulary import city_vocabulary

from .steps import DemoContext

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
DEZHOU_CHAINS = [
    ("biomedicine", "生物医药与功能糖", ("生物医药", "生物制造", "食品加工")),
    ("equipment", "高端装备", ("装备制造",)),
    ("newenergy", "新能源新材料", ("新材料", "电子信息")),
    ("textiles", "纺织服装", ("纺织服装",)),
]
CHAINS_OF = {"371500": CHAINS, "371400": DEZHOU_CHAINS}


def load(ctx: DemoContext) -> None:
    by_industry: dict[str, IndustrialChain] = {}
    chains = CHAINS_OF[ctx.place.code]
    words = city_vocabulary(ctx.tenant.pk)
    for order, (code, name, industries) in enumerate(chains, start=1):
        chain, _created = IndustrialChain.objects.update_or_create(
            city=ctx.tenant, code=code, defaults={"name": name, "sort_order": order}
        )
        codes = (words.code_of(ctx.tenant.pk, DictionaryKind.INDUSTRY, label) for label in industries)
        by_industry.update(dict.fromkeys((code for code in codes if code), chain))
    unassigned = [p for p in ctx.projects if p.chain_id is None and p.industry in by_industry]
    for project in unassigned:
        project.chain = by_industry[project.industry]
    Project.objects.bulk_update(unassigned, ["chain"])
    for project in unassigned:  # written past the save signal: tell the other apps here
        publish(ProjectChanged(project_id=project.pk, city_id=project.city_id, fields=frozenset({"chain"})))
    on_chains = Project.objects.filter(city=ctx.tenant, year=ctx.year, chain__isnull=False).count()
    ctx.report("产业链", f"{len(chains)} 条，{on_chains} 个项目归链")
