"""A demo city's key projects of the current year: the real ones named in the seeds, with their
published figures, and the rest of its list (400 projects in 聊城, about 40 in 德州) generated
plausibly from a seeded generator."""

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Organization
from keyprojects.core.events import ProjectChanged, publish
from keyprojects.projects import lifecycle
from keyprojects.projects.models import (
    ApprovalType,
    Category,
    DictionaryKind,
    FundingSource,
    Level,
    ListKind,
    Nature,
    Pipeline,
    Project,
    ProjectEvent,
    Stage,
)
from keyprojects.projects.vocabulary import entries_for_labels

from .city import DEZHOU, LIAOCHENG, County, DemoCity, person_name
from .steps import DemoContext

STAGE_WEIGHTS = {
    Stage.PLANNING: 5,
    Stage.PREPARATION: 17,
    Stage.NEW_START: 30,
    Stage.UNDER_CONSTRUCTION: 33,
    Stage.COMPLETED: 8,
    Stage.IN_PRODUCTION: 4,
    Stage.AT_CAPACITY: 1,
    Stage.ON_HOLD: 1.5,
    Stage.WITHDRAWN: 0.5,
}
CATEGORY_WEIGHTS = {
    Category.INDUSTRY: 60,
    Category.INFRASTRUCTURE: 15,
    Category.SOCIAL: 10,
    Category.URBANIZATION: 8,
    Category.ECOLOGY: 7,
}
# Median and spread of total investment (万元) per category.
INVESTMENT = {
    Category.INDUSTRY: (30000, 0.9),
    Category.INFRASTRUCTURE: (45000, 0.8),
    Category.SOCIAL: (20000, 0.6),
    Category.URBANIZATION: (35000, 0.7),
    Category.ECOLOGY: (15000, 0.7),
}
# Share of the total planned for this year, per stage.
ANNUAL_SHARE = {
    Stage.PLANNING: (0, 0),
    Stage.PREPARATION: (0.05, 0.2),
    Stage.NEW_START: (0.2, 0.5),
    Stage.UNDER_CONSTRUCTION: (0.2, 0.45),
    Stage.COMPLETED: (0.05, 0.3),
    Stage.IN_PRODUCTION: (0.02, 0.1),
    Stage.AT_CAPACITY: (0.02, 0.05),
    Stage.ON_HOLD: (0, 0.1),
    Stage.WITHDRAWN: (0, 0),
}
ANNUAL_GOALS = {
    Stage.PLANNING: "完成项目谋划论证，争取纳入储备库",
    Stage.PREPARATION: "完成前期手续办理，年内开工建设",
    Stage.NEW_START: "完成主体结构施工",
    Stage.UNDER_CONSTRUCTION: "主体完工，开展设备安装调试",
    Stage.COMPLETED: "完成竣工验收，尽快投产",
    Stage.IN_PRODUCTION: "稳定生产，逐步达产",
    Stage.AT_CAPACITY: "全面达产达效",
}
HOLD_REASONS = ["项目资金未落实，暂缓实施", "用地指标调整，暂缓建设", "企业调整投资计划，暂缓实施"]
WITHDRAW_REASONS = ["企业投资计划调整，申请调出", "项目选址调整，退出年度计划", "项目合并至其他项目实施"]
CITY_LEADER_POSTS = [
    "市委常委、常务副市长",
    "市委常委、副市长",
    "副市长",
    "市人大常委会副主任",
    "市政协副主席",
]

# Industry: the products it makes, the unit of yearly output and the word in its companies' names.
INDUSTRIES: dict[str, tuple[list[str], str, str]] = {
    "化工": (
        ["高端精细化学品", "电子级化学品", "新型环保涂料", "可降解材料", "聚碳酸酯新材料"],
        "万吨",
        "化工",
    ),
    "新材料": (
        ["高性能铝合金型材", "碳纤维复合材料", "铜基新材料", "特种无缝钢管", "高端板材"],
        "万吨",
        "新材料科技",
    ),
    "装备制造": (
        ["智能农机装备", "新能源汽车零部件", "高端精密轴承", "精密减速机", "智能仓储装备", "医疗器械"],
        "万台（套）",
        "机械",
    ),
    "生物医药": (["中药饮片", "生物发酵原料药", "功能性氨基酸", "维生素原料", "阿胶制品"], "吨", "生物医药"),
    "食品加工": (["肉制品精深加工", "预制菜", "果蔬冷链加工", "休闲食品", "植物蛋白饮品"], "万吨", "食品"),
    "电子信息": (
        ["半导体封装测试", "智能终端", "锂电池储能系统", "光伏组件", "印制电路板"],
        "万套",
        "电子科技",
    ),
    "纺织服装": (["高端棉纺织", "功能性面料", "家纺制品"], "万米", "纺织"),
    "现代物流": (["冷链物流园", "智慧物流中心", "电商分拨中心"], "", "物流"),
}
BRANDS = [
    "鑫泰", "恒瑞", "华源", "鲁岳", "金沃", "瑞达", "泰和", "宏远", "润丰", "晟达", "信诚", "东岳", "九州", "博汇", "天元",
    "凯盛", "海纳", "安泰", "永盛", "中聊", "嘉盛", "华信", "金正", "联创", "德隆", "昌润", "汇金", "龙跃", "同力", "新阳",
]  # fmt: skip
ROADS = ["振兴路", "建设路", "东昌路", "光岳路", "花园路", "人民路", "湖南路", "利民路", "兴华路", "卫育路"]
AREAS = ["东关", "西关", "北城", "南湖", "古楼", "湖西", "新城", "运河"]
RIVERS = ["徒骇河", "马颊河", "小运河", "金堤河", "卫运河", "四新河", "周公河"]
PUBLIC_TEMPLATES: dict[str, list[str]] = {
    Category.INFRASTRUCTURE: [
        "{place}{road}道路改造提升工程",
        "{place}第{n}污水处理厂扩建工程",
        "{place}城区集中供热管网改造工程",
        "{place}220千伏输变电工程",
        "{place}城乡供水一体化工程",
        "{place}农村公路提档升级工程",
        "{place}智慧停车场建设项目",
    ],
    Category.SOCIAL: [
        "{place}人民医院新院区建设项目",
        "{place}中医医院综合楼建设项目",
        "{place}职业教育中心建设项目",
        "{place}第{n}中学新校区建设项目",
        "{place}养老服务中心建设项目",
        "{place}妇幼保健院迁建项目",
        "{place}全民健身中心建设项目",
    ],
    Category.URBANIZATION: [
        "{place}{area}片区城中村改造项目",
        "{place}{area}老旧小区改造项目",
        "{place}{area}保障性租赁住房项目",
        "{place}{area}片区综合开发项目",
    ],
    Category.ECOLOGY: [
        "{place}{river}综合治理工程",
        "{place}{river}湿地公园建设项目",
        "{place}生活垃圾焚烧发电项目",
        "{place}农村黑臭水体治理项目",
    ],
}
PUBLIC_INDUSTRY = {
    Category.INFRASTRUCTURE: "市政基础设施",
    Category.SOCIAL: "社会事业",
    Category.URBANIZATION: "城市更新",
    Category.ECOLOGY: "生态环保",
}


@dataclass
class Spec:
    """A project to be created, with the owner it belongs to named rather than fetched."""

    county: County
    owner_name: str
    fields: dict[str, Any] = field(default_factory=dict)


def _spec_maker(place: DemoCity) -> Any:
    def spec(pinyin: str, code: str, **fields: Any) -> Spec:
        defaults = {
            "category": Category.INDUSTRY,
            "level": Level.MUNICIPAL,
            "approval_type": ApprovalType.FILING,
        }
        return Spec(place.county_by_code[code], place.enterprise_by_pinyin[pinyin], {**defaults, **fields})

    return spec


def dezhou_specs(year: int, today: date) -> list[Spec]:
    """德州's one named project, of the enterprise with the demo owner account."""
    spec = _spec_maker(DEZHOU)
    start = date(year - 1, 4, 18)
    return [
        spec(
            "baolingbao", "371482", name="保龄宝年产10万吨功能糖及健康配料项目", industry="生物制造",
            total_investment=120000, annual_investment=30000, planned_end=date(year + 1, 6, 30),
            scope="建设功能糖及健康配料智能化生产线及配套仓储设施。",
            stage=Stage.UNDER_CONSTRUCTION, actual_start=start, planned_start=start,
        ),
    ]  # fmt: skip


def real_specs(year: int, today: date) -> list[Spec]:
    """The projects named in the seeds (domain.md), with their published figures. The seeds are of
    2024; their dates keep the same distance from the demo's year."""
    s = year - 2
    spec = _spec_maker(LIAOCHENG)

    def started(
        start: date, stage: Stage = Stage.UNDER_CONSTRUCTION, end: date | None = None
    ) -> dict[str, Any]:
        return {"stage": stage, "actual_start": start, "planned_start": start, "actual_end": end}

    transport = {
        "owner_pinyin": "jiaotou",
        "category": Category.INFRASTRUCTURE,
        "industry": "交通运输",
        "level": Level.PROVINCIAL,
        "approval_type": ApprovalType.APPROVAL,
        "funding_sources": [
            FundingSource.CENTRAL_BUDGET,
            FundingSource.SPECIAL_BONDS,
            FundingSource.BANK_LOAN,
        ],
    }

    def road(code: str, name: str, total: int, annual: int, **more: Any) -> Spec:
        fields = {**transport, **more}
        return spec(
            fields.pop("owner_pinyin"),
            code,
            name=name,
            total_investment=total,
            annual_investment=annual,
            **fields,
        )

    fenmei_end = date(year, 4, 30) if today >= date(year, 4, 30) else date(year - 1, 12, 20)
    return [
        spec(
            "aobo", "371526", name="奥博生物新型糖醇及氨基酸智造项目", level=Level.PROVINCIAL, industry="生物制造",
            total_investment=516000, annual_investment=150000, planned_end=date(year + 1, 12, 31),
            scope="建设新型糖醇及氨基酸智能化生产线。达产后年产值50亿元、利税8亿元，带动就业2000余人。",
            remarks=f"{s}年春季全市重大项目集中开工主会场项目", **started(date(s, 3, 20)),
        ),
        spec(
            "guanzhou", "371525", name="冠州国际陆港项目", level=Level.PROVINCIAL,
            category=Category.INFRASTRUCTURE, industry="现代物流", total_investment=1020000,
            annual_investment=180000, land_area=3207, planned_end=date(year + 2, 12, 31),
            scope="规划占地3207亩，建设铁路专用线、多式联运中心及仓储设施，年吞吐能力1800万吨，"
            "每年降低物流成本10亿元，带动就业2万余人。",
            **started(date(s, 5, 10)),
        ),
        spec(
            "langchao", "371572", name="浪潮聊城智能生产基地项目", level=Level.PROVINCIAL, industry="电子信息",
            total_investment=100000, annual_investment=20000, planned_end=date(s + 1, 3, 31),
            scope="建设年产10万台计算机整机智能生产线。",
            remarks=f"{s}年10月29日签约，从签约到投产仅用5个月",
            **started(date(s, 11, 5), Stage.IN_PRODUCTION, date(s + 1, 3, 28)),
        ),
        spec(
            "luxi", "371572", name="鲁西化工绿色化工产业延链补链一体化提升项目", level=Level.PROVINCIAL,
            industry="化工", total_investment=350000, annual_investment=100000, planned_end=date(year + 1, 9, 30),
            approval_type=ApprovalType.RATIFICATION,
            remarks=f"{s}年秋季全省重大项目集中开工聊城分会场项目", **started(date(s, 9, 26)),
        ),
        spec(
            "baoshen", "371522", name="宝莘食品调味料全产业链项目", industry="食品加工",
            total_investment=60000, annual_investment=18000, planned_end=date(year, 12, 31),
            remarks=f"{s}年8月31日全市观摩项目", **started(date(s, 3, 15)),
        ),
        spec(
            "zheshang", "371522", name="浙商高端食品智造产业园项目", industry="食品加工",
            total_investment=120000, annual_investment=30000, planned_end=date(year + 1, 6, 30),
            remarks=f"{s}年8月31日全市观摩项目", **started(date(s, 4, 8)),
        ),
        spec(
            "jiahua", "371522", name="嘉华股份东厂区分离蛋白项目", industry="食品加工",
            total_investment=80000, annual_investment=6000, planned_end=date(s + 1, 9, 30),
            remarks=f"{s}年8月31日全市观摩项目",
            **started(date(s, 2, 26), Stage.IN_PRODUCTION, date(s + 1, 10, 30)),
        ),
        spec(
            "xinhua", "371526", name="新华木业OSB定向刨花板项目", industry="新材料",
            total_investment=150000, annual_investment=40000, planned_end=date(year + 1, 6, 30),
            remarks=f"{s}年8月31日全市观摩项目", **started(date(s, 4, 18)),
        ),
        spec(
            "fenmei", "371526", name="纷美智能灌装线项目", industry="装备制造",
            total_investment=50000, annual_investment=8000, planned_end=date(year, 6, 30),
            remarks=f"{s}年8月31日全市观摩项目", **started(date(s, 3, 1), Stage.COMPLETED, fenmei_end),
        ),
        spec(
            "liansheng", "371526", name="联盛电子半导体湿制程装备制造项目", industry="装备制造",
            total_investment=60000, annual_investment=20000, planned_end=date(year + 1, 3, 31),
            remarks=f"{s}年8月31日全市观摩项目", **started(date(s, 5, 6)),
        ),
        spec(
            "huachao", "371525", name="华超金属轻量化高强度车轮项目", industry="装备制造",
            total_investment=55000, annual_investment=15000, planned_end=date(year, 12, 31),
            **started(date(s - 1, 9, 1)),
        ),
        spec(
            "xinlin", "371525", name="鑫林纸制品瓦楞纸板项目", level=Level.COUNTY, industry="造纸及纸制品",
            total_investment=20000, annual_investment=2000, planned_end=date(s, 12, 31),
            **started(date(s - 1, 6, 1), Stage.IN_PRODUCTION, date(s, 12, 20)),
        ),
        spec(
            "huaguan", "371525", name="华冠灵芝大健康产业集群项目", industry="生物医药",
            total_investment=100000, annual_investment=25000, planned_end=date(year + 1, 12, 31),
            **started(date(s - 1, 10, 15)),
        ),
        spec(
            "xinfa", "371503", name="信发集团新型环保建材产业园项目", level=Level.PROVINCIAL, industry="新材料",
            total_investment=150000, annual_investment=45000, planned_end=date(year, 12, 31),
            scope="利用工业固废，年产3亿块新型环保砖、2.4亿平方米纸面石膏板。",
            **started(date(s - 1, 8, 1)),
        ),
        road("371502", "雄商高铁聊城段", 2000000, 400000, planned_end=date(year + 1, 12, 31),
             **started(date(s - 2, 9, 28))),
        road("371503", "聊泰城际铁路", 1500000, 150000, planned_end=date(year + 3, 12, 31),
             **started(date(s, 12, 20))),
        road("371525", "聊邯长高铁聊城段", 1200000, 100000, stage=Stage.PREPARATION,
             planned_start=date(year + 1, 6, 30), planned_end=date(year + 5, 12, 31)),
        road("371503", "聊城民用机场项目", 450000, 80000, planned_end=date(year + 1, 10, 31),
             **started(date(s, 6, 18))),
        road("371502", "聊城至馆陶高速公路", 700000, 60000, planned_end=date(year + 1, 12, 31),
             **started(date(s - 1, 10, 10))),
        road("371526", "高唐至东阿高速公路", 500000, 50000, planned_end=date(year + 2, 6, 30),
             **started(date(s, 11, 18))),
        road("371521", "阳谷至新泰高速公路聊城段", 600000, 55000, planned_end=date(year + 2, 12, 31),
             **started(date(s, 3, 28))),
        road("371581", "聊城至邯郸高速公路聊城段", 650000, 55000, planned_end=date(year + 2, 12, 31),
             **started(date(s - 1, 12, 26))),
        road("371524", "济南至聊城高速公路改扩建工程", 800000, 50000, nature=Nature.EXPANSION,
             planned_end=date(year + 1, 12, 31), **started(date(s - 1, 5, 16))),
    ]  # fmt: skip


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _weighted(rng: random.Random, weights: dict) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _stage_dates(rng: random.Random, stage: str, year: int, today: date) -> dict[str, Any]:
    """Planned and actual dates that satisfy the lifecycle rules for `stage` on the list of `year`."""
    jan1 = date(year, 1, 1)
    dates: dict[str, Any] = {"actual_start": None, "actual_end": None}
    if stage == Stage.PLANNING:
        dates["planned_start"] = _day(rng, date(year + 1, 1, 1), date(year + 1, 12, 31))
    elif stage in {Stage.PREPARATION, Stage.WITHDRAWN}:
        dates["planned_start"] = _day(rng, jan1, date(year + 1, 6, 30))
    elif stage == Stage.ON_HOLD:
        dates["planned_start"] = _day(rng, date(year - 1, 3, 1), min(today, date(year, 9, 30)))
    else:
        windows: dict[str, tuple[date, date, tuple[int, date] | None]] = {
            Stage.NEW_START: (jan1, today, None),
            Stage.UNDER_CONSTRUCTION: (date(year - 3, 1, 1), date(year - 1, 12, 31), None),
            Stage.COMPLETED: (
                date(year - 3, 1, 1),
                date(year - 1, 6, 30),
                (180, max(jan1, today - timedelta(1))),
            ),
            Stage.IN_PRODUCTION: (date(year - 4, 1, 1), date(year - 2, 6, 30), (240, date(year - 1, 12, 31))),
            Stage.AT_CAPACITY: (date(year - 5, 1, 1), date(year - 3, 6, 30), (300, date(year - 1, 6, 30))),
        }
        first, last, finish = windows[stage]
        start = _day(rng, first, last)
        dates["actual_start"] = start
        dates["planned_start"] = max(start + timedelta(days=rng.randint(-60, 30)), date(year - 5, 1, 1))
        if finish is not None:
            min_days, latest = finish
            dates["actual_end"] = _day(rng, min(start + timedelta(days=min_days), latest), latest)
    dates["planned_end"] = dates["planned_start"] + timedelta(days=rng.randint(365, 1100))
    if stage == Stage.ON_HOLD and rng.random() < 0.5:
        dates["actual_start"] = dates["planned_start"] if dates["planned_start"] <= today else None
    return dates


def _generated_name(
    city_of: DemoCity, rng: random.Random, county: County, category: str, industry: str
) -> tuple[str, str, str]:
    """(project name, owner company name, construction nature) composed from the word lists."""
    place = county.short
    if category != Category.INDUSTRY:
        template = rng.choice(PUBLIC_TEMPLATES[category])
        name = template.format(
            place=place,
            road=rng.choice(ROADS),
            area=rng.choice(AREAS),
            river=rng.choice(RIVERS),
            n=rng.randint(2, 6),
        )
        suffix = "建设投资有限公司" if county.is_zone else "城市建设投资集团有限公司"
        nature = Nature.EXPANSION if "扩建" in name else Nature.NEW
        return name, f"{place}{suffix}", nature
    products, unit, company_word = INDUSTRIES[industry]
    brand, product = rng.choice(BRANDS), rng.choice(products)
    city = city_of.name.removesuffix("市")
    prefix = rng.choice(["山东", city, city if county.is_zone else county.name])
    form = rng.randrange(4) if unit else rng.choice([1, 2])
    if form == 0:
        name, nature = f"{brand}年产{rng.choice([1, 2, 3, 5, 10, 20, 30, 50])}{unit}{product}项目", Nature.NEW
    elif form == 1:
        name, nature = f"{brand}{product}建设项目", Nature.NEW
    elif form == 2:
        name, nature = f"{brand}{product}扩建项目", Nature.EXPANSION
    else:
        name, nature = f"{brand}{product}智能化技术改造项目", Nature.RENOVATION
    return name, f"{prefix}{brand}{company_word}有限公司", nature


def generated_specs(
    place: DemoCity, rng: random.Random, year: int, today: date, taken: set[str]
) -> list[Spec]:
    specs = []
    for county in place.counties:
        for _n in range(place.county_share[county.code]):
            category = _weighted(rng, CATEGORY_WEIGHTS)
            industry = (
                rng.choice(list(INDUSTRIES)) if category == Category.INDUSTRY else PUBLIC_INDUSTRY[category]
            )
            for _attempt in range(20):
                name, owner_name, nature = _generated_name(place, rng, county, category, industry)
                if name not in taken:
                    break
            else:
                name = name.replace("项目", "二期项目") if name.endswith("项目") else f"{name}（二期）"
            taken.add(name)
            stage = _weighted(rng, STAGE_WEIGHTS)
            median, spread = INVESTMENT[category]
            total = min(max(round(rng.lognormvariate(math.log(median), spread), -2), 3000), 800000)
            if total >= 300000:
                level = Level.PROVINCIAL if rng.random() < 0.7 else Level.MUNICIPAL
            else:
                level = _weighted(rng, {Level.PROVINCIAL: 10, Level.MUNICIPAL: 50, Level.COUNTY: 40})
            if stage == Stage.UNDER_CONSTRUCTION and rng.random() < 0.5:
                nature = Nature.CONTINUATION
            public = category != Category.INDUSTRY
            fields = {
                "name": name,
                "category": category,
                "industry": industry,
                "level": level,
                "nature": nature,
                "stage": stage,
                "total_investment": total,
                "annual_investment": round(total * rng.uniform(*ANNUAL_SHARE[stage]), -1),
                "approval_type": ApprovalType.APPROVAL
                if public
                else _weighted(rng, {ApprovalType.FILING: 85, ApprovalType.RATIFICATION: 15}),
                "funding_sources": [FundingSource.SPECIAL_BONDS, FundingSource.LOCAL_BUDGET]
                if public
                else [FundingSource.SELF_RAISED, *([FundingSource.BANK_LOAN] if rng.random() < 0.6 else [])],
                **_stage_dates(rng, stage, year, today),
            }
            if category in {Category.INDUSTRY, Category.URBANIZATION, Category.SOCIAL}:
                fields["land_area"] = round(total / rng.uniform(150, 400), 1)
            if category == Category.INDUSTRY:
                fields["scope"] = (
                    f"占地约{fields['land_area']}亩，新建生产车间、仓库及配套设施，"
                    f"购置先进生产设备{rng.randint(20, 300)}台（套）。"
                )
            else:
                fields["scope"] = (
                    f"主要建设{name.removeprefix(county.short).removesuffix('项目')}及配套设施。"
                )
            specs.append(Spec(county, owner_name, fields))
    return specs


def _complete(
    place: DemoCity, rng: random.Random, spec: Spec, year: int, today: date, codes: set[str]
) -> None:
    """Fill what every project carries: pipeline, list kind, code, place, contacts and leader."""
    f, county = spec.fields, spec.county
    stage = f["stage"]
    f.setdefault("nature", Nature.NEW)
    f.setdefault("actual_end", None)
    f.setdefault("actual_start", None)
    f.setdefault("planned_start", f["actual_start"])
    f.setdefault("funding_sources", [FundingSource.SELF_RAISED, FundingSource.BANK_LOAN])
    f.setdefault("industry", "")
    f.setdefault("scope", "")
    f["year"] = year
    if stage == Stage.PLANNING:
        f["pipeline"] = Pipeline.RESERVE if rng.random() < 0.6 else Pipeline.PROPOSED
    elif stage == Stage.PREPARATION and rng.random() < 0.15:
        f["pipeline"] = Pipeline.RESERVE
    else:
        f["pipeline"] = Pipeline.SCHEDULED
    planned_start = f["planned_start"]
    if stage in {Stage.PLANNING, Stage.PREPARATION} and (planned_start is None or planned_start.year > year):
        f["list_kind"] = ListKind.PREPARATION
    else:
        f["list_kind"] = ListKind.IMPLEMENTATION
    if stage in lifecycle.REASON_STAGES:
        f["stage_reason"] = rng.choice(HOLD_REASONS if stage == Stage.ON_HOLD else WITHDRAW_REASONS)
    if stage != Stage.PLANNING:
        reference = min(f["actual_start"] or planned_start, today)
        issued = _day(rng, reference - timedelta(days=400), reference - timedelta(days=30))
        region_code = place.code if county.is_zone else county.code
        while True:
            code = (
                f"{issued:%y%m}-{region_code}-{rng.choice(['04', '05', '07', '09', '10'])}-"
                f"{rng.choice(['01', '02', '03'])}-{rng.randint(10000, 99999)}{rng.choice('0123456789X')}"
            )
            if code not in codes:
                break
        codes.add(code)
        f["code"] = code
        if f["approval_type"] != ApprovalType.FILING:
            issuer = (
                place.issuer
                if f["level"] != Level.COUNTY
                else f"{county.short.removeprefix(place.name.removesuffix('市'))}发改投资"
            )
            f["approval_number"] = f"{issuer}〔{issued.year}〕{rng.randint(1, 260)}号"
    f["latitude"] = Decimal(str(round(county.latitude + rng.uniform(-0.04, 0.04), 6)))
    f["longitude"] = Decimal(str(round(county.longitude + rng.uniform(-0.04, 0.04), 6)))
    f["location"] = f"{county.name}{rng.choice(['城区', '经济开发区', '产业园区', '工业园', '新城片区'])}"
    f["responsible_unit"] = f"{county.name}{'管委会' if county.is_zone else '人民政府'}"
    f["contact_name"] = person_name(rng)
    f["contact_phone"] = f"1{rng.choice('3578')}{rng.randint(0, 999999999):09d}"
    f["leader_name"] = person_name(rng)
    if f["level"] == Level.COUNTY:
        f["leader_post"] = f"{county.short}党工委书记" if county.is_zone else f"{county.name}委书记"
    else:
        f["leader_post"] = rng.choice(CITY_LEADER_POSTS)
    if f["level"] == Level.PROVINCIAL:
        f["task_force"] = f"{f['name'].removesuffix('项目')}工作专班"
    f["annual_goal"] = ANNUAL_GOALS.get(stage, "")
    for money in ("total_investment", "annual_investment"):
        f[money] = Decimal(int(f[money]))
    if f.get("land_area") is not None:
        f["land_area"] = Decimal(str(f["land_area"]))


NAMED_SPECS = {LIAOCHENG.code: real_specs, DEZHOU.code: dezhou_specs}


def build_specs(place: DemoCity, rng: random.Random, year: int, today: date) -> list[Spec]:
    """Every demo project of a city for `year`, in a fixed order; depends only on the city, the year,
    the date and `rng`."""
    real = NAMED_SPECS[place.code](year, today)
    specs = real + generated_specs(place, rng, year, today, {s.fields["name"] for s in real})
    codes: set[str] = set()
    for spec in specs:
        _complete(place, rng, spec, year, today, codes)
    return specs


def project_owners(ctx: DemoContext, specs: list[Spec]) -> dict[str, Organization]:
    """The owner organisations, creating the generated enterprises that do not exist yet."""
    wanted = {spec.owner_name: spec.county for spec in specs}
    mine = Organization.objects.filter(city=ctx.tenant)
    owners = {org.name: org for org in mine.filter(name__in=wanted)}
    Organization.objects.bulk_create(
        Organization(name=name, kind=Organization.Kind.ENTERPRISE, region=ctx.regions[county.code])
        for name, county in wanted.items()
        if name not in owners
    )
    owners = {org.name: org for org in mine.filter(name__in=wanted)}
    ctx.organizations.update(owners)
    return owners


def list_drawn_up(year: int) -> datetime:
    return datetime(year - 1, 12, 20, 9, 30, tzinfo=timezone.get_current_timezone())


def load(ctx: DemoContext) -> None:
    specs = build_specs(ctx.place, ctx.rng("projects"), ctx.year, ctx.today)
    owners = project_owners(ctx, specs)
    industries = entries_for_labels(
        ctx.tenant.pk, DictionaryKind.INDUSTRY, (s.fields["industry"] for s in specs)
    )
    for spec in specs:
        spec.fields["industry"] = industries.get(spec.fields["industry"], "")
    mine = Project.objects.filter(city=ctx.tenant, year=ctx.year)
    existing = set(mine.filter(name__in=[s.fields["name"] for s in specs]).values_list("name", flat=True))
    new = []
    for spec in specs:
        if spec.fields["name"] in existing:
            continue
        project = Project(owner=owners[spec.owner_name], region=ctx.regions[spec.county.code], **spec.fields)
        new.append((project, spec.county))
    Project.objects.bulk_create([project for project, _county in new])
    for project, _county in new:  # written past the save signal: tell the other apps here
        publish(ProjectChanged(project_id=project.pk, city_id=project.city_id))
    created = ProjectEvent.objects.bulk_create(
        ProjectEvent(project=project, kind=ProjectEvent.Kind.CREATED, actor=ctx.users[county.username])
        for project, county in new
    )
    # The year's list was drawn up before the year began: rates for any date of the year count these projects.
    ProjectEvent.objects.filter(pk__in=[event.pk for event in created]).update(
        created_at=list_drawn_up(ctx.year)
    )
    ctx.projects = list(
        mine.filter(name__in=[s.fields["name"] for s in specs])
        .select_related("region", "owner")
        .order_by("id")
    )
    stages = Counter(project.stage for project in ctx.projects)
    total = sum((project.total_investment for project in ctx.projects), Decimal(0))
    ctx.report(_("机构"), len(ctx.organizations))
    ctx.report(
        _("%(year)s年项目") % {"year": ctx.year},
        _("%(count)s 个（本次新建 %(new)s 个），总投资 %(total).1f 亿元")
        % {"count": len(ctx.projects), "new": len(new), "total": total / 10000},
    )
    ctx.report(
        _("建设阶段"),
        "、".join(f"{Stage(stage).label} {stages[stage]}" for stage in Stage.values if stages[stage]),
    )
