from collections.abc import Collection, Iterable
from typing import Any, Self, cast

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from keyprojects.accounts.models import Organization, Region
from keyprojects.accounts.tenancy import CityOwned, CityQuerySet
from keyprojects.chains.models import IndustrialChain
from keyprojects.core.crypto import EncryptedCharField


class Level(models.TextChoices):
    PROVINCIAL = "provincial", _("省重点")
    MUNICIPAL = "municipal", _("市重点")
    COUNTY = "county", _("县重点")


class Category(models.TextChoices):
    INDUSTRY = "industry", _("产业")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    SOCIAL = "social", _("社会民生")
    URBANIZATION = "urbanization", _("新型城镇化")
    ECOLOGY = "ecology", _("生态环保")


class Nature(models.TextChoices):
    NEW = "new", _("新建")
    EXPANSION = "expansion", _("扩建")
    RENOVATION = "renovation", _("改建")
    CONTINUATION = "continuation", _("续建")


class ApprovalType(models.TextChoices):
    APPROVAL = "approval", _("审批")
    RATIFICATION = "ratification", _("核准")
    FILING = "filing", _("备案")


class FundingSource(models.TextChoices):
    CENTRAL_BUDGET = "central_budget", _("中央预算内")
    SPECIAL_BONDS = "special_bonds", _("地方专项债")
    LOCAL_BUDGET = "local_budget", _("地方财政")
    SELF_RAISED = "self_raised", _("企业自筹")
    BANK_LOAN = "bank_loan", _("银行贷款")
    OTHER = "other", _("其他")


class DictionaryKind(models.TextChoices):
    CATEGORY = "category", _("项目类别")
    INDUSTRY = "industry", _("所属行业")
    FUNDING_SOURCE = "funding_source", _("资金来源")
    NATURE = "nature", _("建设性质")


# The codes every city starts with: rules, rates and exports key on them (`opendata`, `schedule`, the demo).
BUILT_IN_ENTRIES: dict[str, type[models.TextChoices]] = {
    DictionaryKind.CATEGORY: Category,
    DictionaryKind.FUNDING_SOURCE: FundingSource,
    DictionaryKind.NATURE: Nature,
}
# The project's column that holds each kind's codes (funding sources: a list of them)
DICTIONARY_FIELDS = {
    DictionaryKind.CATEGORY: "category",
    DictionaryKind.INDUSTRY: "industry",
    DictionaryKind.FUNDING_SOURCE: "funding_sources",
    DictionaryKind.NATURE: "nature",
}
DICTIONARY_KINDS = {name: kind for kind, name in DICTIONARY_FIELDS.items()}


class DictionaryEntry(CityOwned):
    """One entry of a city's list of categories, industries, funding sources or construction natures.
    Projects keep the code; the label, the order and whether new projects may choose it are the city's."""

    Kind = DictionaryKind

    kind = models.CharField(_("字典类别"), max_length=16, choices=DictionaryKind.choices)
    code = models.CharField(_("代码"), max_length=32)
    label = models.CharField(_("名称"), max_length=64)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(
        _("启用"), default=True, help_text=_("停用后新项目不能再选，已有项目照常显示")
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = _("字典项")
        verbose_name_plural = _("字典项")
        constraints = [
            models.UniqueConstraint(fields=["city", "kind", "code"], name="dictionary_code_per_city"),
            models.UniqueConstraint(fields=["city", "kind", "label"], name="dictionary_label_per_city"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def built_in(self) -> bool:
        choices = BUILT_IN_ENTRIES.get(self.kind)
        return choices is not None and self.code in choices.values


class Pipeline(models.TextChoices):
    PROPOSED = "proposed", _("申请库")
    RESERVE = "reserve", _("储备库")
    SCHEDULED = "scheduled", _("调度库")


class ListKind(models.TextChoices):
    IMPLEMENTATION = "implementation", _("实施类")
    PREPARATION = "preparation", _("准备类")


class Stage(models.TextChoices):
    PLANNING = "planning", _("谋划")
    PREPARATION = "preparation", _("前期")
    NEW_START = "new_start", _("新开工")
    UNDER_CONSTRUCTION = "under_construction", _("在建续建")
    COMPLETED = "completed", _("竣工")
    IN_PRODUCTION = "in_production", _("投产")
    AT_CAPACITY = "at_capacity", _("达产")
    ON_HOLD = "on_hold", _("暂缓")
    WITHDRAWN = "withdrawn", _("退出")


def money_field(verbose_name: str | Promise, **kwargs: Any) -> models.DecimalField:
    """An amount in 万元, kept exactly to the fen-of-万元 (two decimals)."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)  # type: ignore[arg-type]


TALLY_KEY = ("city_id", "region_id", "year")
TALLY_VALUES = (*TALLY_KEY, "total_investment", "annual_investment")  # what a tally reads of a project
TALLY_COLUMNS = frozenset(TALLY_VALUES)
TALLIED_FIELDS = frozenset({*TALLY_VALUES, "city", "region"})
SEARCHED_FIELDS = frozenset(
    {"name", "code", "owner", "owner_id", "location", "city", "city_id"}
)  # ProjectSearch


class ProjectQuerySet(CityQuerySet):
    """Writes that bypass the model's signals keep the tallies too (`tallies.py`)."""

    def bulk_create(self, objs: Iterable[Any], *args: Any, **kwargs: Any) -> list[Any]:
        from .search import index_projects
        from .tallies import refresh_tallies

        made = super().bulk_create(objs, *args, **kwargs)
        refresh_tallies({tuple(getattr(p, name) for name in TALLY_KEY) for p in made})
        index_projects([p.pk for p in made])
        return made

    def update(self, **kwargs: Any) -> int:
        tallied, searched = TALLIED_FIELDS & set(kwargs), SEARCHED_FIELDS & set(kwargs)
        if not tallied and not searched:
            return super().update(**kwargs)
        from .search import index_projects
        from .tallies import refresh_tallies

        pks = list(self.values_list("pk", flat=True))
        touched = set(self.values_list(*TALLY_KEY).distinct()) if tallied else set()
        updated = super().update(**kwargs)
        if tallied:
            touched |= set(Project.objects.filter(pk__in=pks).values_list(*TALLY_KEY).distinct())
            refresh_tallies(touched)
        if searched:
            index_projects(pks)
        return updated


class Project(CityOwned):
    """One key investment project, as the offices' lists and dispatch sheets keep it."""

    city_from = "region"

    objects = ProjectQuerySet.as_manager()  # type: ignore[misc]  # CityOwned's, with the tallies kept

    # null, not "", so that the many projects still without a code do not collide in project_code_per_city
    code = models.CharField(_("统一项目代码"), max_length=24, null=True, blank=True)  # noqa: DJ001
    name = models.CharField(_("项目名称"), max_length=200)
    owner = models.ForeignKey(
        Organization,
        verbose_name=_("项目单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_projects",
        limit_choices_to={"kind": Organization.Kind.ENTERPRISE},
    )
    responsible_unit = models.CharField(_("责任单位"), max_length=128, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区域"), on_delete=models.PROTECT, related_name="projects"
    )
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)
    level = models.CharField(_("项目级别"), max_length=16, choices=Level.choices, default=Level.MUNICIPAL)
    # category, industry, nature and funding sources hold codes of the city's dictionary (`DictionaryEntry`)
    category = models.CharField(_("项目类别"), max_length=32, default=Category.INDUSTRY)
    industry = models.CharField(_("所属行业"), max_length=32, blank=True)
    chain = models.ForeignKey(
        IndustrialChain,
        verbose_name=_("所属产业链"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    nature = models.CharField(_("建设性质"), max_length=32, default=Nature.NEW)
    approval_type = models.CharField(
        _("立项类型"), max_length=16, choices=ApprovalType.choices, default=ApprovalType.FILING
    )
    approval_number = models.CharField(_("立项批复文号"), max_length=128, blank=True)
    scope = models.TextField(_("主要建设内容及规模"), blank=True)
    land_area = models.DecimalField(
        _("用地面积（亩）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    total_investment = money_field(_("总投资（万元）"))
    annual_investment = money_field(_("年度计划投资（万元）"), default=0)
    funding_sources = models.JSONField(_("资金来源"), default=list, blank=True)
    planned_start = models.DateField(_("计划开工时间"), null=True, blank=True)
    planned_end = models.DateField(_("计划竣工时间"), null=True, blank=True)
    actual_start = models.DateField(_("实际开工时间"), null=True, blank=True)
    actual_end = models.DateField(_("实际竣工时间"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=64, blank=True)
    contact_phone = EncryptedCharField(_("联系电话"), max_length=32, blank=True)
    leader_name = models.CharField(_("包保责任领导"), max_length=64, blank=True)
    # the 包保 leader's account, when the leader has one: whom escalations reach, whose page lists the
    # project; `leader_name` stays the name shown, taken from the account when one is chosen
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("包保领导账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_projects",
    )
    leader_post = models.CharField(_("领导职务"), max_length=128, blank=True)
    task_force = models.CharField(_("工作专班"), max_length=128, blank=True)
    annual_goal = models.CharField(_("年度工作目标"), max_length=255, blank=True)
    pipeline = models.CharField(
        _("入库状态"), max_length=16, choices=Pipeline.choices, default=Pipeline.PROPOSED
    )
    list_kind = models.CharField(
        _("项目类型"), max_length=16, choices=ListKind.choices, default=ListKind.IMPLEMENTATION
    )
    stage = models.CharField(_("建设阶段"), max_length=24, choices=Stage.choices, default=Stage.PLANNING)
    stage_reason = models.CharField(_("阶段说明"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    remarks = models.TextField(_("备注"), blank=True)
    is_public = models.BooleanField(
        _("公开发布"),
        default=False,
        help_text=_("由市重点项目办标记；只有公开发布的项目进入开放数据（OC4IDS）"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    tallied: tuple | None = None  # what the tallies read of it, as loaded (`tallies.project_written`)

    @classmethod
    def from_db(
        cls, db: str | None, field_names: Collection[str], values: Collection[Any], **kwargs: Any
    ) -> Self:
        project = super().from_db(db, field_names, values, **kwargs)
        if TALLY_COLUMNS.issubset(field_names):  # never load a deferred field here
            project.tallied = project.tally_values()
        return project

    def tally_values(self) -> tuple:
        return tuple(getattr(self, name) for name in TALLY_VALUES)

    class Meta:
        ordering = ["-total_investment", "id"]
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        constraints = [models.UniqueConstraint(fields=["city", "code"], name="project_code_per_city")]
        indexes = [
            models.Index(fields=["city", "year", "region"]),
            models.Index(fields=["city", "year", "stage"]),
            models.Index(fields=["city", "year", "-total_investment", "id"], name="project_city_year_invest"),
            # the list's first page in its default order, across years: read from the index, not sorted
            models.Index(fields=["city", "-total_investment", "id"], name="project_city_invest"),
            models.Index(fields=["-total_investment", "id"], name="project_invest"),  # the province's list
            models.Index(fields=["owner"]),
        ]

    def __str__(self) -> str:
        return self.name


class ProjectTally(CityOwned):
    """How many projects a region has on a year's list, and their investment: kept with every write of a
    project (`tallies.py`), so that the list's totals and the years it offers need no scan of the
    projects."""

    city_from = "region"

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    projects = models.PositiveIntegerField(default=0)
    total_investment = money_field(_("总投资（万元）"), default=0)
    annual_investment = money_field(_("年度计划投资（万元）"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["city", "region", "year"], name="one_tally_per_region_year")
        ]


class ProjectSearch(CityOwned):
    """What the search box matches of a project (`search.py`): its name, unified code, owner and
    location folded to simplified lower case (`text`), its name's full pinyin and initials, and the
    `tokens` the full-text index holds (FTS5 on SQLite, a GIN index of a tsvector on PostgreSQL). Kept
    with every write of the project and of its owner; `keyprojects rebuild` rebuilds it."""

    city_from = "project"

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="search")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=24)
    text = models.TextField()
    pinyin = models.TextField()
    initials = models.TextField()
    tokens = models.TextField()


class ProjectEventKind(models.TextChoices):
    CREATED = "created", _("创建")
    UPDATED = "updated", _("修改")
    TRANSITION = "transition", _("状态变更")


class ProjectEvent(CityOwned):
    """One recorded change: a field edit, a stage or pipeline move, or the creation itself."""

    city_from = "project"

    Kind = ProjectEventKind

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    field = models.CharField(max_length=64, blank=True)
    old = models.JSONField(null=True, blank=True, help_text="typed value (keyprojects.core.history)")
    new = models.JSONField(null=True, blank=True, help_text="typed value (keyprojects.core.history)")
    reason = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="project_events"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["project", "-created_at"]),
            models.Index(fields=["created_at"]),
            models.Index(fields=["city", "created_at"]),  # a city's changes since a date (the rates as of it)
        ]


def project_field(name: str) -> models.Field:
    """A concrete field of Project by name (the registry's field labels and choices come from here)."""
    return cast(models.Field, Project._meta.get_field(name))
