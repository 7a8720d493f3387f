"""The project record as API clients see it. In JSON a project's `region` is the region's code and
its `owner` the owning organisation's id; money is in 万元 as decimal strings."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import QuerySet
from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from keyprojects.accounts.models import User
from keyprojects.accounts.schemas import UserOut
from keyprojects.core.api import Date, Id, Pagination, Year

from . import permissions
from .models import (
    DICTIONARY_FIELDS,
    ApprovalType,
    Category,
    DictionaryKind,
    Level,
    ListKind,
    Nature,
    Pipeline,
    Project,
    ProjectEventKind,
    Stage,
)
from .selectors import SORTS, HistoryRow, ProjectFilters
from .vocabulary import Vocabulary, city_vocabulary, vocabulary

# the `q` of every list of projects or of their rows (`selectors.project_search_q`)
SearchQuery = Annotated[str, StringConstraints(max_length=100)]
SEARCH_HELP = (
    "搜索：项目名称、统一项目代码（或其片段）、项目单位、建设地点中的词，以空格分开、不分先后；"
    "繁简通查，也可输入名称的拼音或拼音首字母"
)

Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Area = Annotated[Decimal, Field(max_digits=12, decimal_places=2)]
Coordinate = Annotated[Decimal, Field(max_digits=9, decimal_places=6)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=255)]
EntryCode = Annotated[str, StringConstraints(max_length=32)]
DICTIONARY_HELP = "本市字典（{kind}）中的代码，见 GET /api/v1/dictionary"


def _entry_code(kind: DictionaryKind, default: str, *, blank: bool = False) -> Any:
    return Field(default, description=DICTIONARY_HELP.format(kind=kind.label) + ("；可为空" if blank else ""))


def _words(project: Project) -> Vocabulary:
    """The project's city's dictionary, read once for all the labels of one answer."""
    if not hasattr(project, "_vocabulary"):
        project._vocabulary = city_vocabulary(project.city_id)  # type: ignore[attr-defined]
    return project._vocabulary  # type: ignore[attr-defined]


def _shown(project: Project, kind: DictionaryKind) -> Any:
    return _words(project).shown(project.city_id, kind, getattr(project, DICTIONARY_FIELDS[kind]))


class ProjectOut(Schema):
    id: int
    code: str | None
    name: str
    region: str = Field(alias="region.code", description="所属区域的区划代码")
    region_name: str = Field(alias="region.name")
    level: Level
    category: str = Field(description="项目类别的代码（本市字典）")
    category_label: str = Field(description="项目类别的名称，按本市字典")
    pipeline: Pipeline
    stage: Stage
    stage_reason: str
    list_kind: ListKind
    year: int
    total_investment: Decimal = Field(description="总投资（万元）")
    annual_investment: Decimal = Field(description="年度计划投资（万元）")
    planned_start: date | None
    planned_end: date | None
    actual_start: date | None
    actual_end: date | None
    owner: int | None = Field(description="项目单位（机构 id）")
    owner_name: str | None
    responsible_unit: str
    location: str
    latitude: Decimal | None
    longitude: Decimal | None
    industry: str = Field(description="所属行业的代码（本市字典）；未填时为空")
    industry_label: str = Field(description="所属行业的名称，按本市字典")
    chain: str | None = Field(description="所属产业链的代码；未归链时为 null")
    nature: str = Field(description="建设性质的代码（本市字典）")
    nature_label: str = Field(description="建设性质的名称，按本市字典")
    approval_type: ApprovalType
    approval_number: str
    scope: str
    land_area: Decimal | None = Field(description="用地面积（亩）")
    funding_sources: list[str] = Field(description="资金来源的代码（本市字典）")
    funding_source_labels: list[str] = Field(description="资金来源的名称，与 funding_sources 一一对应")
    contact_name: str
    contact_phone: str
    leader: int | None = Field(
        alias="leader_id", description="包保领导的账号（用户 id）；领导无账号时为 null"
    )
    leader_name: str
    leader_post: str
    task_force: str
    annual_goal: str
    remarks: str
    is_public: bool = Field(description="公开发布：只有标记的项目进入开放数据（OC4IDS）")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_chain(obj: Project) -> str | None:
        return obj.chain.code if obj.chain is not None else None

    @staticmethod
    def resolve_owner(obj: Project) -> int | None:
        return obj.owner_id

    @staticmethod
    def resolve_contact_phone(obj: Project, context: dict[str, Any]) -> str:
        return permissions.contact_phone_for(context["request"].user, obj)

    @staticmethod
    def resolve_owner_name(obj: Project) -> str | None:
        return obj.owner.name if obj.owner is not None else None

    @staticmethod
    def resolve_category_label(obj: Project) -> str:
        return _shown(obj, DictionaryKind.CATEGORY)

    @staticmethod
    def resolve_industry_label(obj: Project) -> str:
        return _shown(obj, DictionaryKind.INDUSTRY)

    @staticmethod
    def resolve_nature_label(obj: Project) -> str:
        return _shown(obj, DictionaryKind.NATURE)

    @staticmethod
    def resolve_funding_source_labels(obj: Project) -> list[str]:
        return _shown(obj, DictionaryKind.FUNDING_SOURCE)


class PagedProjectOut(Pagination.Output):
    items: list[ProjectOut]


# Where a field of `ProjectOut` is read from, when not from the project's column of its name (as its
# aliases and resolvers read it from a project).
PROJECT_OUT_VALUES = {
    "region": "region__code",
    "region_name": "region__name",
    "owner": "owner_id",
    "owner_name": "owner__name",
    "chain": "chain__code",
    "leader": "leader_id",
}


LABELS = {
    "category_label": DictionaryKind.CATEGORY,
    "industry_label": DictionaryKind.INDUSTRY,
    "nature_label": DictionaryKind.NATURE,
    "funding_source_labels": DictionaryKind.FUNDING_SOURCE,
}


def project_out_rows(user: User, projects: QuerySet[Project]) -> list[dict[str, Any]]:
    """Each project as `ProjectOut` answers it to `user`, read as plain values in one query, and the labels
    of its city's dictionary in one more."""
    names = [*(name for name in ProjectOut.model_fields if name not in LABELS), "contact_shown"]
    paths = [PROJECT_OUT_VALUES.get(name, name) for name in names]
    values = permissions.with_contact_access(user, projects).values_list("city_id", *paths)
    rows = [(city_id, dict(zip(names, row, strict=True))) for city_id, *row in values]
    words = vocabulary(city_id for city_id, _row in rows)
    for city_id, row in rows:
        row["contact_phone"] = permissions.contact_phone_for(user, row)
        for name, kind in LABELS.items():
            row[name] = words.shown(city_id, kind, row[DICTIONARY_FIELDS[kind]])
    return [{name: row[name] for name in ProjectOut.model_fields} for _city_id, row in rows]


class ProjectUpdate(Schema):
    """The fields of a project its editors may change (PATCH sends any subset)."""

    model_config = ConfigDict(extra="forbid")

    code: str | None = Field(None, description="统一项目代码，如 2403-371526-04-01-52817X；未赋码时为 null")
    name: Annotated[str, Field(max_length=200)]
    owner: Id | None = Field(None, description="项目单位（企业）的机构 id")
    region: Annotated[str, Field(max_length=12)] = Field(description="所属区域的区划代码，如 371525")
    responsible_unit: Annotated[str, Field(max_length=128)] = ""
    location: Annotated[str, Field(max_length=200)] = ""
    latitude: Coordinate | None = None
    longitude: Coordinate | None = None
    level: Level = Level.MUNICIPAL
    category: EntryCode = _entry_code(DictionaryKind.CATEGORY, Category.INDUSTRY.value)
    industry: EntryCode = _entry_code(DictionaryKind.INDUSTRY, "", blank=True)
    chain: Annotated[str, Field(max_length=32)] | None = Field(None, description="所属产业链的代码")
    nature: EntryCode = _entry_code(DictionaryKind.NATURE, Nature.NEW.value)
    approval_type: ApprovalType = ApprovalType.FILING
    approval_number: Annotated[str, Field(max_length=128)] = ""
    scope: Annotated[str, Field(max_length=4000)] = ""
    land_area: Area | None = None
    total_investment: Money
    annual_investment: Money = Decimal(0)
    funding_sources: Annotated[list[EntryCode], Field(max_length=20)] = Field(
        default_factory=list, description=DICTIONARY_HELP.format(kind=DictionaryKind.FUNDING_SOURCE.label)
    )
    planned_start: Date | None = None
    planned_end: Date | None = None
    actual_start: Date | None = None
    actual_end: Date | None = None
    contact_name: Annotated[str, Field(max_length=64)] = ""
    contact_phone: Annotated[str, Field(max_length=32)] = ""
    leader: Id | None = Field(
        None, description="包保领导的账号（用户 id，本市在用的领导账号）；给出时包保责任领导即为其姓名"
    )
    leader_name: Annotated[str, Field(max_length=64)] = ""
    leader_post: Annotated[str, Field(max_length=128)] = ""
    task_force: Annotated[str, Field(max_length=128)] = ""
    annual_goal: Annotated[str, Field(max_length=255)] = ""
    list_kind: ListKind = ListKind.IMPLEMENTATION
    year: Year
    remarks: Annotated[str, Field(max_length=4000)] = ""
    is_public: bool = Field(False, description="公开发布（OC4IDS）；只有市重点项目办可以设置")


class ProjectIn(ProjectUpdate):
    """A new project; it starts in 申请库 and 谋划 unless the creator may say otherwise."""

    pipeline: Pipeline = Pipeline.PROPOSED
    stage: Stage = Stage.PLANNING


class ProjectFilter(Schema):
    city: str | None = Field(None, max_length=12, description="城市的区划代码（省发改委看一个市）")
    region: str | None = Field(None, description="区划代码")
    level: Level | None = None
    category: EntryCode | None = Field(None, description="项目类别的代码（本市字典）")
    chain: str | None = Field(None, description="产业链代码")
    stage: Stage | None = None
    pipeline: Pipeline | None = None
    year: Year | None = None
    list_kind: ListKind | None = None
    owner: Id | None = Field(None, description="项目单位的机构 id")
    leader: Id | None = Field(None, description="包保领导的账号（用户 id）")
    q: SearchQuery | None = Field(None, description=SEARCH_HELP)
    sort: str = Field("investment", description="排序：" + "、".join(SORTS))

    def to_filters(self) -> ProjectFilters:
        return ProjectFilters.from_mapping(self.model_dump(exclude_none=True))


class TransitionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    stage: Stage | None = None
    pipeline: Pipeline | None = None
    reason: Reason = ""
    actual_start: Date | None = None
    actual_end: Date | None = None
    version: int | None = Field(None, description="所依据的版本号；也可用 If-Match 头传递")


class HistoryOut(Schema):
    """One row of a project's history, newest first: `old_value`/`new_value` are readable labels in
    the request's language, `old`/`new` the stored typed values."""

    id: int
    kind: ProjectEventKind
    field: str
    field_label: str
    old_value: str
    new_value: str
    old: dict[str, Any] | None = Field(
        description='原值（带类型，如 {"t": "decimal", "v": "5000"}、{"t": "ref", "m": "accounts.region", "v": 3, …}）'
    )
    new: dict[str, Any] | None = Field(description="新值（带类型）")
    reason: str
    actor: str | None = Field(description="操作人")
    created_at: datetime

    @staticmethod
    def resolve_id(row: HistoryRow) -> int:
        return row.event.pk

    @staticmethod
    def resolve_kind(row: HistoryRow) -> str:
        return row.event.kind

    @staticmethod
    def resolve_field(row: HistoryRow) -> str:
        return row.event.field

    @staticmethod
    def resolve_old_value(row: HistoryRow) -> str:
        return row.old

    @staticmethod
    def resolve_new_value(row: HistoryRow) -> str:
        return row.new

    @staticmethod
    def resolve_old(row: HistoryRow) -> dict[str, Any] | None:
        return row.event.old

    @staticmethod
    def resolve_new(row: HistoryRow) -> dict[str, Any] | None:
        return row.event.new

    @staticmethod
    def resolve_reason(row: HistoryRow) -> str:
        return row.event.reason

    @staticmethod
    def resolve_actor(row: HistoryRow) -> str | None:
        return row.event.actor.display_name if row.event.actor is not None else None

    @staticmethod
    def resolve_created_at(row: HistoryRow) -> datetime:
        return row.event.created_at


class MeOut(UserOut):
    """The signed-in user, with what it may do with projects."""

    can_create_project: bool

    @staticmethod
    def resolve_can_create_project(obj: User) -> bool:
        return permissions.can_create_project(obj)


class DictionaryEntryOut(Schema):
    kind: DictionaryKind
    code: str = Field(description="代码：项目、导入、导出与接口按代码识别")
    label: str = Field(description="名称，按本市字典")
    position: int = Field(description="排序，小的在前")
    active: bool = Field(description="启用：停用的不再供新项目选择，已有项目照常显示")
    built_in: bool = Field(description="内置：各市共有的代码，不能删除")


class DictionaryFilter(Schema):
    kind: DictionaryKind | None = Field(None, description="只看一类字典")
