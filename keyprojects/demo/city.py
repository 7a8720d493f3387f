"""The demo province of Shandong and its two demo cities, Liaocheng (聊城) as the full one and Dezhou
(德州) as a small second: their regions, offices, departments, enterprises and accounts. Every step
of the demo runs once per city (`DEMO_CITIES`), each with a `DemoContext` of its own."""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import check_password, make_password
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Organization, Region, RegionKind, Role, User
from keyprojects.accounts.services import role_grant_record

from .steps import DemoContext

PROVINCE = ("370000", "山东省")
PROVINCE_OFFICE = ("山东省发展和改革委员会", "省发改委")
CITY = ("371500", "聊城市")


@dataclass(frozen=True)
class County:
    code: str
    name: str
    short: str
    kind: RegionKind
    username: str
    latitude: float
    longitude: float

    @property
    def is_zone(self) -> bool:
        return self.kind == Region.Kind.ZONE


# The eight counties and districts with their GB/T 2260 codes, then the three functional zones with
# local codes; the order is the order of the city's own lists.
COUNTIES = [
    County("371502", "东昌府区", "东昌府区", Region.Kind.DISTRICT, "dongchangfu", 36.43, 115.99),
    County("371503", "茌平区", "茌平区", Region.Kind.DISTRICT, "chiping", 36.58, 116.25),
    County("371521", "阳谷县", "阳谷县", Region.Kind.COUNTY, "yanggu", 36.11, 115.79),
    County("371522", "莘县", "莘县", Region.Kind.COUNTY, "shenxian", 36.23, 115.67),
    County("371524", "东阿县", "东阿县", Region.Kind.COUNTY, "donge", 36.33, 116.25),
    County("371525", "冠县", "冠县", Region.Kind.COUNTY, "guanxian", 36.48, 115.44),
    County("371526", "高唐县", "高唐县", Region.Kind.COUNTY, "gaotang", 36.86, 116.23),
    County("371581", "临清市", "临清市", Region.Kind.COUNTY_CITY, "linqing", 36.84, 115.71),
    County("371572", "聊城高新技术产业开发区", "聊城高新区", Region.Kind.ZONE, "gaoxin", 36.47, 116.06),
    County("371571", "聊城经济技术开发区", "聊城经开区", Region.Kind.ZONE, "jingkai", 36.41, 116.05),
    County("371573", "江北水城旅游度假区", "江北水城度假区", Region.Kind.ZONE, "dujiaqu", 36.44, 115.97),
]

CITY_OFFICE = ("聊城市发展和改革委员会重点项目办公室", "市发改委重点项目办")

# (account or None, name, short name)
DEPARTMENTS = [
    ("ziranziyuan", "聊城市自然资源和规划局", "自然资源和规划局"),
    ("shengtai", "聊城市生态环境局", "生态环境局"),
    ("shenpi", "聊城市行政审批服务局", "行政审批服务局"),
    ("zhujian", "聊城市住房和城乡建设局", "住建局"),
    (None, "聊城市工业和信息化局", "工信局"),
    (None, "聊城市投资促进局", "投资促进局"),
    (None, "聊城市商务局", "商务局"),
    (None, "聊城市统计局", "统计局"),
    (None, "国网聊城供电公司", "供电公司"),
]

# The enterprises named in the seeds, each with an owner account `owner-<pinyin>`.
# (pinyin, name, short name, region code)
ENTERPRISES = [
    ("aobo", "山东奥博生物科技有限公司", "奥博生物", "371526"),
    ("guanzhou", "冠州国际陆港发展有限公司", "冠州国际陆港", "371525"),
    ("langchao", "浪潮（聊城）智能制造有限公司", "浪潮", "371572"),
    ("luxi", "鲁西化工集团股份有限公司", "鲁西化工", "371572"),
    ("baoshen", "山东宝莘食品有限公司", "宝莘食品", "371522"),
    ("zheshang", "莘县浙商产业园开发有限公司", "浙商产业园", "371522"),
    ("jiahua", "山东嘉华生物科技股份有限公司", "嘉华股份", "371522"),
    ("xinhua", "山东新华木业有限公司", "新华木业", "371526"),
    ("fenmei", "纷美包装（山东）有限公司", "纷美", "371526"),
    ("liansheng", "山东联盛电子设备有限公司", "联盛电子", "371526"),
    ("huachao", "山东华超金属科技有限公司", "华超金属", "371525"),
    ("xinlin", "冠县鑫林纸制品有限公司", "鑫林纸制品", "371525"),
    ("huaguan", "山东华冠灵芝生物科技有限公司", "华冠灵芝", "371525"),
    ("xinfa", "信发集团有限公司", "信发集团", "371503"),
    ("jiaotou", "聊城市交通发展集团有限公司", "聊城交发集团", "371502"),
]

DEZHOU_COUNTIES = [
    County("371402", "德城区", "德城区", Region.Kind.DISTRICT, "decheng", 37.45, 116.30),
    County("371425", "齐河县", "齐河县", Region.Kind.COUNTY, "qihe", 36.79, 116.76),
    County("371482", "禹城市", "禹城市", Region.Kind.COUNTY_CITY, "yucheng", 36.93, 116.64),
]
DEZHOU_DEPARTMENTS: list[tuple[str | None, str, str]] = [
    (None, "德州市自然资源局", "自然资源局"),
    (None, "德州市生态环境局", "生态环境局"),
    (None, "德州市行政审批服务局", "行政审批服务局"),
    (None, "德州市住房和城乡建设局", "住建局"),
]
DEZHOU_ENTERPRISES = [("baolingbao", "保龄宝生物股份有限公司", "保龄宝", "371482")]


@dataclass(frozen=True)
class DemoCity:
    """One demo city: who and what it is made of, and how its generated projects are shared out."""

    code: str
    name: str
    seed: str  # the random generators' seed: a city's data depends on nothing of another's
    counties: list[County]
    office: tuple[str, str]
    office_username: str
    leader_username: str | None
    departments: list[tuple[str | None, str, str]]
    enterprises: list[tuple[str, str, str, str]]
    owner_prefix: str
    county_share: dict[str, int]
    abbr: str  # the one-character name its offices number documents with: 聊发改投资〔2024〕12号

    @property
    def issuer(self) -> str:
        return f"{self.abbr}发改投资"

    @property
    def county_by_code(self) -> dict[str, County]:
        return {county.code: county for county in self.counties}

    @property
    def enterprise_by_pinyin(self) -> dict[str, str]:
        return {pinyin: name for pinyin, name, _short, _code in self.enterprises}


LIAOCHENG = DemoCity(
    code=CITY[0],
    name=CITY[1],
    seed="liaocheng",
    counties=COUNTIES,
    office=CITY_OFFICE,
    office_username="city",
    leader_username="leader",
    departments=DEPARTMENTS,
    enterprises=ENTERPRISES,
    owner_prefix="owner-",
    county_share={
        "371502": 50,
        "371503": 40,
        "371521": 35,
        "371522": 40,
        "371524": 30,
        "371525": 45,
        "371526": 40,
        "371581": 40,
        "371572": 25,
        "371571": 20,
        "371573": 12,
    },
    abbr="聊",
)
DEZHOU = DemoCity(
    code="371400",
    name="德州市",
    seed="dezhou",
    counties=DEZHOU_COUNTIES,
    office=("德州市发展和改革委员会重点项目办公室", "德州市发改委重点项目办"),
    office_username="dezhou",
    leader_username=None,
    departments=DEZHOU_DEPARTMENTS,
    enterprises=DEZHOU_ENTERPRISES,
    owner_prefix="owner-dezhou-",
    county_share={"371402": 14, "371425": 14, "371482": 11},
    abbr="德",
)
DEMO_CITIES = [LIAOCHENG, DEZHOU]

# The three separated administrators (三员分立) beside `admin`, a system administrator too: username, role, post.
ADMINISTRATORS = (
    ("sysadmin", Role.SYSTEM_ADMIN, "系统管理员"),
    ("secadmin", Role.SECURITY_ADMIN, "安全管理员"),
    ("auditor", Role.AUDIT_ADMIN, "审计管理员"),
)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建红文斌志国庆海峰晓东宁"


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _n in range(rng.choice((1, 2, 2))))


def county_office_name(county: County) -> tuple[str, str]:
    if county.is_zone:
        return f"{county.short}经济发展局", f"{county.short}发改局"
    return f"{county.name}发展和改革局", f"{county.name}发改局"


def _region(ctx: DemoContext, code: str, name: str, kind: str, parent: Region | None, **extra) -> Region:
    region, _created = Region.objects.update_or_create(
        code=code, defaults={"name": name, "kind": kind, "parent": parent, **extra}
    )
    ctx.regions[code] = region
    return region


def _organization(ctx: DemoContext, name: str, short: str, kind: str, region: Region) -> Organization:
    org, _created = Organization.objects.update_or_create(
        city=region.city, name=name, defaults={"short_name": short, "kind": kind, "region": region}
    )
    ctx.organizations[name] = org
    return org


class _Passwords:
    """Hash the demo password once for every account; keep accounts that already have it."""

    def __init__(self, password: str) -> None:
        self.password = password
        self.known_good: set[str] = set()
        self._encoded: str | None = None

    def matches(self, encoded: str) -> bool:
        if encoded in self.known_good:
            return True
        if encoded and check_password(self.password, encoded):
            self.known_good.add(encoded)
            return True
        return False

    def encoded(self) -> str:
        if self._encoded is None:
            self._encoded = make_password(self.password)
            self.known_good.add(self._encoded)
        return self._encoded


def _user(
    ctx: DemoContext,
    passwords: _Passwords,
    username: str,
    role: str,
    org: Organization,
    full_name: str,
    post: str,
) -> User:
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"role": role, "organization": org, "full_name": full_name, "post": post},
    )
    old_role, old_org = ("", None) if _created else (user.role, user.organization)
    changed = [f for f, v in (("role", role), ("organization", org)) if getattr(user, f) != v]
    for field in changed:
        setattr(user, field, role if field == "role" else org)
    if not passwords.matches(user.password):
        user.password = passwords.encoded()
        changed.append("password")
    if user.is_staff != user.is_administrator:
        user.is_staff = user.is_administrator
        changed.append("is_staff")
    if changed:
        user.save(update_fields=changed)
    role_grant_record(user=user, actor=None, old_role=old_role, old_organization=old_org)
    ctx.users[username] = user
    return user


def load(ctx: DemoContext) -> None:
    """The province with its office and account, then the city: regions, organisations and one account
    per role (and per county, department and enterprise)."""
    place = ctx.place
    rng = ctx.rng("city")
    passwords = _Passwords(ctx.password)
    province = _region(ctx, *PROVINCE, Region.Kind.PROVINCE, None)
    province_office = _organization(ctx, *PROVINCE_OFFICE, Organization.Kind.PROVINCE_OFFICE, province)
    if place == LIAOCHENG:  # the province's account draws from the first city's generator, after its own
        province_rng = random.Random(f"province:{ctx.year}")
        _user(
            ctx,
            passwords,
            "province",
            Role.PROVINCE_OFFICER,
            province_office,
            person_name(province_rng),
            "重点项目处处长",
        )
    city = _region(ctx, place.code, place.name, Region.Kind.CITY, province)
    ctx.city = city
    for order, county in enumerate(place.counties, start=1):
        _region(
            ctx, county.code, county.name, county.kind, city, is_gb_code=not county.is_zone, sort_order=order
        )

    city_office = _organization(ctx, *place.office, Organization.Kind.CITY_OFFICE, city)
    if place == LIAOCHENG:
        _user(ctx, passwords, "admin", Role.SYSTEM_ADMIN, city_office, person_name(rng), "系统管理员")
        # their own generator, so that the accounts after them keep their names
        admin_rng = random.Random(f"administrators:{ctx.year}")
        for account, role, post in ADMINISTRATORS:
            _user(ctx, passwords, account, role, city_office, person_name(admin_rng), post)
    _user(
        ctx,
        passwords,
        place.office_username,
        Role.CITY_ADMIN,
        city_office,
        person_name(rng),
        "重点项目办主任",
    )
    if place.leader_username:
        _user(ctx, passwords, place.leader_username, Role.LEADER, city_office, person_name(rng), "副市长")
    for county in place.counties:
        name, short = county_office_name(county)
        office = _organization(ctx, name, short, Organization.Kind.COUNTY_OFFICE, ctx.regions[county.code])
        _user(ctx, passwords, county.username, Role.COUNTY_OFFICER, office, person_name(rng), "项目专员")
    for username, name, short in place.departments:
        department = _organization(ctx, name, short, Organization.Kind.DEPARTMENT, city)
        if username:
            _user(ctx, passwords, username, Role.DEPARTMENT_OFFICER, department, person_name(rng), "项目专员")
    for pinyin, name, short, code in place.enterprises:
        enterprise = _organization(ctx, name, short, Organization.Kind.ENTERPRISE, ctx.regions[code])
        _user(
            ctx,
            passwords,
            f"{place.owner_prefix}{pinyin}",
            Role.PROJECT_OWNER,
            enterprise,
            person_name(rng),
            "项目负责人",
        )

    ctx.report(_("区划"), len(ctx.regions))
    ctx.report(_("账号"), len(ctx.users))
