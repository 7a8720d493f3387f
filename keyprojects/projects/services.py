"""Every write to a project goes through these functions: pages, the API, imports and commands."""

import copy
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.accounts.access import LISTED_KEY_FIELDS, role_access
from keyprojects.accounts.models import Organization, Role, User
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.inputs import date_in_range, date_range_message
from keyprojects.core.versions import check_version, require_version

from . import lifecycle, permissions
from .codes import normalize_code, validate_code
from .events import project_created_event, project_fields_changed_events, project_transition_event
from .models import DICTIONARY_FIELDS, Pipeline, Project, Stage, project_field
from .vocabulary import Vocabulary

EDITABLE_FIELDS = (
    "code", "name", "owner", "responsible_unit", "region", "location", "latitude", "longitude",
    "level", "category", "industry", "chain", "nature", "approval_type", "approval_number", "scope",
    "land_area", "total_investment", "annual_investment", "funding_sources", "planned_start",
    "planned_end", "actual_start", "actual_end", "contact_name", "contact_phone", "leader",
    "leader_name", "leader_post", "task_force", "annual_goal", "list_kind", "year", "remarks", "is_public",
)  # fmt: skip
CREATE_FIELDS = (*EDITABLE_FIELDS, "pipeline", "stage")


def _add(errors: dict[str, list[Message]], field: str, message: Message) -> None:
    errors.setdefault(field, []).append(message)


def _validate(
    project: Project,
    user: User,
    *,
    was: Project | None = None,
    region_chosen: bool = True,
    words: Vocabulary | None = None,
) -> None:
    """Collect every field error at once, then raise them together. The region is checked against the
    user's jurisdiction when it is set or moved (a task force's member edits a project of another
    county without moving it); `was` is the project as it was, whose deactivated dictionary values it
    keeps; `words`: the dictionaries already read (an import's, for all its rows)."""
    errors: dict[str, list[Message]] = {}
    try:
        project.full_clean(exclude=["version"], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            for message in messages:
                _add(errors, field, message)
    if project.region_id and "region" not in errors:
        if region_chosen and not permissions.creatable_regions(user).filter(pk=project.region_id).exists():
            _add(errors, "region", _("所选区域不在您的管辖范围内，或不是县级单位"))
        elif project.code and "code" not in errors:
            try:
                project.code = validate_code(project.code, region=project.region)
            except ApplicationError as exc:
                for code_message in exc.errors.get("code", []):
                    _add(errors, "code", code_message)
            else:
                project.fill_city()
                taken = Project.objects.filter(city_id=project.city_id, code=project.code).exclude(
                    pk=project.pk
                )
                if taken.exists():
                    _add(errors, "code", _("该统一项目代码已被其他项目使用"))
    if project.owner is not None and project.owner.kind != Organization.Kind.ENTERPRISE:
        _add(errors, "owner", _("项目单位必须是企业"))
    city_id = project.region.city_id if project.region_id else None
    if project.owner is not None and city_id is not None and project.owner.city_id != city_id:
        _add(errors, "owner", _("项目单位不属于项目所在城市"))
    if project.chain is not None and city_id is not None and project.chain.city_id != city_id:
        _add(errors, "chain", _("产业链不属于项目所在城市"))
    if project.leader is not None and not _is_city_leader(project.leader, city_id):
        _add(errors, "leader", _("包保领导须是项目所在城市的在用领导账号"))
    if project.total_investment is not None and "total_investment" not in errors:
        if project.total_investment <= 0:
            _add(errors, "total_investment", _("总投资必须大于0"))
        if project.annual_investment is not None and "annual_investment" not in errors:
            if project.annual_investment < 0:
                _add(errors, "annual_investment", _("年度计划投资不能为负数"))
            elif project.annual_investment > project.total_investment:
                _add(errors, "annual_investment", _("年度计划投资不能超过总投资"))
    if project.land_area is not None and project.land_area < 0:
        _add(errors, "land_area", _("用地面积不能为负数"))
    for name in ("planned_start", "planned_end", "actual_start", "actual_end"):
        if not date_in_range(getattr(project, name)):
            _add(errors, name, date_range_message())
    if project.planned_start and project.planned_end and project.planned_end < project.planned_start:
        _add(errors, "planned_end", _("计划竣工时间不能早于计划开工时间"))
    if (project.latitude is None) != (project.longitude is None):
        _add(errors, "longitude" if project.longitude is None else "latitude", _("经纬度须同时填写"))
    if project.latitude is not None and not Decimal(-90) <= project.latitude <= Decimal(90):
        _add(errors, "latitude", _("纬度应在-90到90之间"))
    if project.longitude is not None and not Decimal(-180) <= project.longitude <= Decimal(180):
        _add(errors, "longitude", _("经度应在-180到180之间"))
    if city_id is not None:
        _check_dictionary(project, was, (words or Vocabulary()).covering([city_id]), city_id, errors)
    if project.year is not None and not 2000 <= project.year <= 2100:
        _add(errors, "year", _("年度应在2000到2100之间"))
    if "stage" not in errors and project.year is not None:
        for field, date_messages in lifecycle.stage_date_errors(
            project.stage, year=project.year, actual_start=project.actual_start, actual_end=project.actual_end
        ).items():
            for date_message in date_messages:
                _add(errors, field, date_message)
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)


def _check_dictionary(
    project: Project, was: Project | None, words: Vocabulary, city_id: int, errors: dict[str, list[Message]]
) -> None:
    """The category, industry, nature and funding sources are codes of the city's dictionary; a deactivated
    one only where the project already had it."""
    for kind, name in DICTIONARY_FIELDS.items():
        value = getattr(project, name)
        if name == "funding_sources":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                _add(errors, name, _("资金来源包含未知选项"))
                continue
            codes, kept = value, set(getattr(was, name) or []) if was is not None else set()
        elif value in ("", None) or name in errors:
            continue
        else:
            codes, kept = [value], {getattr(was, name)} if was is not None else set()
        entries = {e.code: e for e in words.of(city_id, kind)}
        label = project_field(name).verbose_name
        for code in codes:
            entry = entries.get(code)
            if entry is None:
                _add(errors, name, _("%(field)s“%(code)s”不在本市字典中") % {"field": label, "code": code})
            elif not entry.active and code not in kept:
                _add(
                    errors,
                    name,
                    _("%(field)s“%(label)s”已停用，不能再选") % {"field": label, "label": entry.label},
                )


def _is_city_leader(user: User, city_id: int | None) -> bool:
    return user.is_active and user.role == Role.LEADER and city_id is not None and user.city_id == city_id


def _with_leader(project: Project, data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` with what follows the 包保 leader: choosing a leader's account shows its name; naming
    another leader unlinks the account, so that escalations never reach the former one."""
    if data.get("leader") is not None:
        name = str(data["leader"])[: project_field("leader_name").max_length]
        return {**data, "leader_name": name}
    renamed = "leader_name" in data and data["leader_name"] != project.leader_name
    if renamed and "leader" not in data and project.leader_id is not None:
        return {**data, "leader": None}
    return dict(data)


def _check_locked(user: User, project: Project, data: Mapping[str, Any], locked: frozenset[str]) -> None:
    for field in sorted(locked & data.keys()):
        current = getattr(project, f"{field}_id" if field in {"region", "owner", "leader"} else field)
        new = data[field]
        new = getattr(new, "pk", new)
        if new != current:
            label = project_field(field).verbose_name
            if field in LISTED_KEY_FIELDS and permissions.key_fields_locked(user, project):
                raise PermissionDenied(
                    _("“%(field)s”是调度库项目的关键指标，须提交调整申请，经市重点项目办批准后生效")
                    % {"field": label}
                )
            raise PermissionDenied(_("您无权修改“%(field)s”") % {"field": label})


def _assign(project: Project, data: Mapping[str, Any], fields: tuple[str, ...]) -> None:
    unknown = set(data) - set(fields)
    if unknown:
        raise ApplicationError(
            _("包含不能修改的字段"), errors={name: [_("此字段不能在这里修改")] for name in sorted(unknown)}
        )
    for field, value in data.items():
        if field == "code":
            value = normalize_code(value)
        setattr(project, field, value)


def _new_project(user: User, data: Mapping[str, Any], words: Vocabulary | None = None) -> Project:
    """The project `project_create` would save from `data`, checked, not saved."""
    if not permissions.can_create_project(user):
        raise PermissionDenied(_("您无权新建项目"))
    project = Project(stage=Stage.PLANNING, pipeline=Pipeline.PROPOSED)
    _check_locked(
        user, project, {k: v for k, v in data.items() if k != "owner"}, permissions.locked_fields(user)
    )
    if role_access(user).acts_on == "enterprise":  # an owner proposes projects of its own enterprise
        data = {**data, "owner": user.organization}
    _assign(project, _with_leader(project, data), CREATE_FIELDS)
    _validate(project, user, words=words)
    if project.stage in lifecycle.REASON_STAGES:
        raise ApplicationError(_("请修正标出的错误"), errors={"stage": [_("新建项目不能直接暂缓或退出")]})
    return project


def project_check_new(*, user: User, data: Mapping[str, Any], words: Vocabulary | None = None) -> None:
    """Raise what `project_create` would refuse of `data` (ApplicationError or PermissionDenied), writing
    nothing: an import checks every row before it writes any."""
    _new_project(user, data, words)


def project_check_update(
    *, user: User, project: Project, data: Mapping[str, Any], words: Vocabulary | None = None
) -> None:
    """Raise what `project_update` would refuse of `data` on `project` as loaded, writing nothing (the
    project is not changed either)."""
    permissions.require_edit(user, project)
    _check_locked(user, project, data, permissions.locked_fields(user, project))
    draft = copy.copy(project)
    _assign(draft, _with_leader(draft, data), EDITABLE_FIELDS)
    _validate(draft, user, was=project, region_chosen=draft.region_id != project.region_id, words=words)


@transaction.atomic
def project_create(*, user: User, data: Mapping[str, Any], words: Vocabulary | None = None) -> Project:
    project = _new_project(user, data, words)
    project.save()
    project_created_event(project=project, actor=user)
    return project


def _locked_for_update(user: User, project_id: int, version: int | None) -> Project:
    project = permissions.project_access(user, project_id, for_update=True)
    permissions.require_edit(user, project)
    version = require_version(version, missing=_("修改项目须提供所依据的版本号"))
    check_version(
        project.version,
        version,
        stale=_("该项目已被他人修改（当前版本 %(current)s，您的版本 %(yours)s），请刷新后重新编辑")
        % {"current": project.version, "yours": version},
    )
    return project


@transaction.atomic
def project_update(
    *,
    user: User,
    project_id: int,
    data: Mapping[str, Any],
    version: int | None,
    reason: str = "",
    words: Vocabulary | None = None,
) -> Project:
    """Apply `data` to a project edited from `version`; refused when someone saved in between. The
    `reason` goes into the history of every field changed (e.g. the change request approved)."""
    project = _locked_for_update(user, project_id, version)
    _check_locked(user, project, data, permissions.locked_fields(user, project))
    data = _with_leader(project, data)
    fields = list(data)
    before = {field: getattr(project, field) for field in fields}
    was = copy.copy(project)
    _assign(project, data, EDITABLE_FIELDS)
    _validate(project, user, was=was, region_chosen=project.region_id != was.region_id, words=words)
    changes = [(f, before[f], getattr(project, f)) for f in fields if before[f] != getattr(project, f)]
    if not changes:
        return project
    project.version += 1
    project.save()
    project_fields_changed_events(project=project, actor=user, changes=changes, reason=reason)
    return project


def project_check_changes(*, user: User, project: Project, data: Mapping[str, Any]) -> None:
    """Raise the errors of the fields in `data` that applying it to `project` now would meet, changing
    nothing (errors of fields not in `data` are not the asker's to fix)."""
    draft = Project.objects.get(pk=project.pk)
    _assign(draft, _with_leader(draft, data), EDITABLE_FIELDS)
    try:
        _validate(draft, user, was=project, region_chosen=draft.region_id != project.region_id)
    except ApplicationError as error:
        errors = {field: messages for field, messages in error.errors.items() if field in data}
        if errors:
            raise ApplicationError(error.message, errors=errors) from None


@transaction.atomic
def project_transition(
    *,
    user: User,
    project_id: int,
    version: int | None,
    stage: str | None = None,
    pipeline: str | None = None,
    reason: str = "",
    actual_start: date | None = None,
    actual_end: date | None = None,
) -> Project:
    """Move a project to another lifecycle stage and/or pipeline, recording who, when, from, to, why."""
    project = _locked_for_update(user, project_id, version)
    permissions.check_move(user, project, stage=stage, pipeline=pipeline)
    if stage is None and pipeline is None:
        raise ApplicationError(_("请选择要变更的建设阶段或入库状态"), errors={"stage": [_("请选择建设阶段")]})
    reason = reason.strip()
    before = (project.stage, project.pipeline)
    dates = []
    if stage is not None and stage != project.stage:
        start = actual_start or project.actual_start
        end = actual_end or project.actual_end
        lifecycle.check_stage(project, stage, reason=reason, actual_start=start, actual_end=end)
        for field, value in (("actual_start", start), ("actual_end", end)):
            if value != getattr(project, field):
                dates.append((field, getattr(project, field), value))
                setattr(project, field, value)
        project_transition_event(
            project=project, actor=user, field="stage", old=project.stage, new=stage, reason=reason
        )
        project.stage = stage
        project.stage_reason = reason
    if pipeline is not None and pipeline != project.pipeline:
        lifecycle.check_pipeline(project, pipeline, reason=reason)
        project_transition_event(
            project=project, actor=user, field="pipeline", old=project.pipeline, new=pipeline, reason=reason
        )
        project.pipeline = pipeline
    if dates:
        project_fields_changed_events(project=project, actor=user, changes=dates, reason=reason)
    if (project.stage, project.pipeline) == before and not dates:
        return project
    project.version += 1
    project.save()
    return project
