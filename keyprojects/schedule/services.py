"""Every write to templates and plans goes through these functions: pages, the API and the demo."""

import re
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from keyprojects.accounts.city_settings import settings_update
from keyprojects.accounts.models import Organization, Region, User
from keyprojects.accounts.selectors import require_city
from keyprojects.audit.recording import bulk_created
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.inputs import DATE_MAX, DATE_MIN, date_in_range, date_range_message
from keyprojects.core.settings_events import settings_changed_events
from keyprojects.core.versions import check_version, require_version
from keyprojects.projects import lifecycle
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.locks import locked_under_project
from keyprojects.projects.models import ApprovalType, Project, Stage
from keyprojects.projects.services import project_transition

from . import permissions, selectors
from .defaults import default_templates
from .events import node_changed_events, plan_created_event
from .models import NodeCode, NodeTemplate, PlanNode, ScheduleSettings, TemplateKind, TemplateNode
from .workdays import next_workday

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png"})
MAX_OFFSET_DAYS = 3650
REASON_MAX_LENGTH = 255
# Nodes whose completion moves the project forward, and to which stage (开工: see `_stage_move`).
STAGE_NODES = {
    NodeCode.ACCEPTANCE: Stage.COMPLETED,
    NodeCode.PRODUCTION: Stage.IN_PRODUCTION,
    NodeCode.CAPACITY: Stage.AT_CAPACITY,
}
TEMPLATE_NODE_FIELDS = ("code", "name", "offset_days", "relative_to_end", "department")
# Nodes whose actual date is the project's own actual start or completion.
RECORD_ACTUALS = {NodeCode.START: "actual_start", NodeCode.ACCEPTANCE: "actual_end"}
TEMPLATE_HISTORY_FIELDS = ("name", "approval_type", "kind", "is_active")
TEMPLATE_NODES_FIELD = "nodes"  # the settings history field of a template's node list


# How far from the project's own span a node's dates may lie.
PLAN_SPAN_YEARS = 10


def _refuse(errors: dict[str, list[Message]]) -> None:
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)


def _department(
    value: Any, errors: dict[str, list[Message]], field: str, *, city_id: int | None
) -> Organization | None:
    """An organisation (or its id) that must be a department of the city; None stays None."""
    if value in (None, ""):
        return None
    org = value if isinstance(value, Organization) else Organization.objects.filter(pk=value).first()
    if org is None or org.kind != Organization.Kind.DEPARTMENT or org.city_id != city_id:
        errors.setdefault(field, []).append(_("责任部门必须是职能部门"))
        return None
    return org


def _template_nodes(rows: Sequence[Mapping[str, Any]], *, city_id: int | None) -> list[TemplateNode]:
    """Validate the node rows of a template, in order; every row's errors are reported at once."""
    errors: dict[str, list[Message]] = {}
    if not rows:
        errors["nodes"] = [_("模板至少要有一个节点")]
    nodes, seen = [], set()
    labels = dict(NodeCode.choices)
    for index, row in enumerate(rows):
        prefix = f"nodes.{index}."
        unknown = set(row) - set(TEMPLATE_NODE_FIELDS)
        for field in sorted(unknown):
            errors.setdefault(prefix + field, []).append(_("未知字段"))
        code = row.get("code")
        if code not in NodeCode.values:
            errors.setdefault(prefix + "code", []).append(_("未知的节点"))
            continue
        if code != NodeCode.OTHER and code in seen:
            errors.setdefault(prefix + "code", []).append(_("同一节点在模板中只能出现一次"))
        seen.add(code)
        name = (row.get("name") or "").strip() or str(labels[code])
        if len(name) > 64:
            errors.setdefault(prefix + "name", []).append(_("节点名称不能超过64个字"))
        offset = row.get("offset_days", 0)
        if not isinstance(offset, int) or isinstance(offset, bool) or abs(offset) > MAX_OFFSET_DAYS:
            errors.setdefault(prefix + "offset_days", []).append(
                _("天数应为-%(max)s到%(max)s之间的整数") % {"max": MAX_OFFSET_DAYS}
            )
            offset = 0
        nodes.append(
            TemplateNode(
                order=index + 1,
                code=code,
                name=name,
                offset_days=offset,
                relative_to_end=bool(row.get("relative_to_end", False)),
                department=_department(row.get("department"), errors, prefix + "department", city_id=city_id),
            )
        )
    _refuse(errors)
    return nodes


def _template_fields(template: NodeTemplate, data: Mapping[str, Any]) -> None:
    errors: dict[str, list[Message]] = {}
    for field in sorted(set(data) - {"name", "approval_type", "kind", "is_active"}):
        errors.setdefault(field, []).append(_("此字段不能在这里修改"))
    for field, value in data.items():
        setattr(template, field, value)
    template.name = (template.name or "").strip()
    if not template.name:
        errors.setdefault("name", []).append(_("请填写模板名称"))
    elif len(template.name) > 64:
        errors.setdefault("name", []).append(_("模板名称不能超过64个字"))
    if template.approval_type not in ApprovalType.values:
        errors.setdefault("approval_type", []).append(_("未知的立项类型"))
    if template.kind not in TemplateKind.values:
        errors.setdefault("kind", []).append(_("未知的项目类型"))
    same = NodeTemplate.objects.filter(
        city_id=template.city_id, approval_type=template.approval_type, kind=template.kind
    )
    if template.pk:
        same = same.exclude(pk=template.pk)
    if "approval_type" not in errors and "kind" not in errors and same.exists():
        errors.setdefault("kind", []).append(_("该立项类型和项目类型已有模板"))
    _refuse(errors)


@transaction.atomic
def node_template_create(
    *, user: User, data: Mapping[str, Any], nodes: Sequence[Mapping[str, Any]]
) -> NodeTemplate:
    permissions.require_template_edit(user)
    template = NodeTemplate(city_id=require_city(user))
    _template_fields(template, data)
    rows = _template_nodes(nodes, city_id=template.city_id)
    template.save()
    for node in rows:
        node.template = template
    bulk_created(TemplateNode.objects.bulk_create(rows))
    after = _template_state(template)
    settings_changed_events(
        record=template, actor=user, changes=[(name, None, after[name]) for name in after]
    )
    return template


@transaction.atomic
def node_template_update(
    *,
    user: User,
    template_id: int,
    version: int | None,
    data: Mapping[str, Any],
    nodes: Sequence[Mapping[str, Any]] | None = None,
) -> NodeTemplate:
    """Change a template's name or activity and, when `nodes` is given, replace its nodes in that order.
    Plans made earlier keep their own dates."""
    permissions.require_template_edit(user)
    version = require_version(version, missing=_("修改模板须提供所依据的版本号"))
    template = NodeTemplate.objects.select_for_update().filter(pk=template_id, city_id=user.city_id).first()
    if template is None:
        raise ApplicationError(_("模板不存在"), errors={"template": [_("模板不存在")]})
    check_version(template.version, version, stale=_("该模板已被他人修改，请刷新后重新编辑"))
    before = _template_state(template)
    _template_fields(template, data)
    if nodes is not None:
        rows = _template_nodes(nodes, city_id=template.city_id)
        template.nodes.all().delete()
        for node in rows:
            node.template = template
        bulk_created(TemplateNode.objects.bulk_create(rows))
    after = _template_state(template)
    settings_changed_events(
        record=template,
        actor=user,
        changes=[(name, before[name], after[name]) for name in before],
    )
    template.version += 1
    template.save()
    return template


def _template_state(template: NodeTemplate) -> dict[str, Any]:
    """What a template's history records: its own fields and its nodes in order."""
    nodes = [
        {
            "name": node.name,
            "offset_days": node.offset_days,
            "department": node.department,
        }
        for node in template.nodes.select_related("department").order_by("order")
    ]
    return {name: getattr(template, name) for name in TEMPLATE_HISTORY_FIELDS} | {TEMPLATE_NODES_FIELD: nodes}


@transaction.atomic
def node_templates_seed(*, city: Region) -> list[NodeTemplate]:
    """Create the city's default templates that do not exist yet (see `defaults.py`), with the city's
    own departments; existing ones are kept."""
    departments = list(
        Organization.objects.filter(city=city, kind=Organization.Kind.DEPARTMENT).order_by("pk")
    )

    def department(part: str | None) -> Organization | None:
        return next((d for d in departments if part and part in d.name), None)

    labels = dict(NodeCode.choices)
    created = []
    for approval_type, kind, defaults in default_templates():
        if NodeTemplate.objects.filter(city=city, approval_type=approval_type, kind=kind).exists():
            continue
        template = NodeTemplate.objects.create(
            city=city, name=f"{approval_type.label}类·{kind.label}", approval_type=approval_type, kind=kind
        )
        nodes = TemplateNode.objects.bulk_create(
            TemplateNode(
                template=template,
                order=index + 1,
                code=node.code,
                name=re.split(r"[(（]", str(labels[node.code]))[0],
                offset_days=node.offset_days,
                relative_to_end=node.relative_to_end,
                department=department(node.department),
            )
            for index, node in enumerate(defaults)
        )
        bulk_created(nodes)
        created.append(template)
    return created


def planned_dates(project: Project, nodes: Sequence[TemplateNode]) -> list[date]:
    """Each template node's date for this project, moved to the next working day."""
    errors: dict[str, list[Message]] = {}
    if project.planned_start is None:
        errors["planned_start"] = [_("请先填写项目的计划开工时间，再生成节点计划")]
    if project.planned_end is None and any(node.relative_to_end for node in nodes):
        errors["planned_end"] = [_("请先填写项目的计划竣工时间，再生成节点计划")]
    for field in ("planned_start", "planned_end"):
        if not date_in_range(getattr(project, field)):
            errors.setdefault(field, []).append(date_range_message())
    _refuse(errors)
    bases = {False: cast(date, project.planned_start), True: cast(date, project.planned_end)}
    return [next_workday(bases[node.relative_to_end] + timedelta(days=node.offset_days)) for node in nodes]


def _recorded_actual(project: Project, code: str) -> date | None:
    """The project's own actual start or completion, for the node that stands for it."""
    field = RECORD_ACTUALS.get(NodeCode(code))
    return getattr(project, field) if field else None


@transaction.atomic
def plan_create_from_template(
    *, user: User, project_id: int, template_id: int | None = None
) -> list[PlanNode]:
    """Make the project's plan from a template (by default the one of its approval type and kind).

    A project that has already started or finished gets those nodes marked done with its actual dates.
    """
    project = project_permissions.project_access(user, project_id, for_update=True)
    project_permissions.require_edit(user, project)
    if project.plan_nodes.exists():
        raise ApplicationError(_("该项目已有节点计划"), errors={"template": [_("该项目已有节点计划")]})
    if template_id is None:
        template = selectors.template_for(project)
    else:
        template = NodeTemplate.objects.filter(pk=template_id, city_id=project.city_id).first()
    if template is None:
        raise ApplicationError(_("没有适用于该项目的节点模板"), errors={"template": [_("请选择节点模板")]})
    nodes = list(template.nodes.order_by("order"))
    dates = planned_dates(project, nodes)
    plan = PlanNode.objects.bulk_create(
        PlanNode(
            project=project,
            order=node.order,
            code=node.code,
            name=node.name,
            planned_date=planned,
            actual_date=_recorded_actual(project, node.code),
            department_id=node.department_id,
            updated_by=user,
        )
        for node, planned in zip(nodes, dates, strict=True)
    )
    bulk_created(plan)
    plan_created_event(project=project, actor=user, template=template)
    return plan


def _check_evidence(upload: UploadedFile, errors: dict[str, list[Message]]) -> None:
    extension = (upload.name or "").rsplit(".", 1)[-1].lower()
    if extension not in EVIDENCE_EXTENSIONS:
        errors.setdefault("evidence_file", []).append(_("证明材料只能是PDF或JPG、PNG图片"))
        return
    if upload.size is not None and upload.size > EVIDENCE_MAX_BYTES:
        errors.setdefault("evidence_file", []).append(
            _("证明材料不能超过%(mb)sMB") % {"mb": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
        return
    upload.seek(0)
    if extension == "pdf":
        genuine = upload.read(5) == b"%PDF-"
    else:
        try:
            with Image.open(upload) as image:
                image.verify()
            genuine = True
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            genuine = False
    upload.seek(0)
    if not genuine:
        errors.setdefault("evidence_file", []).append(_("文件内容与扩展名不符，请上传真实的PDF或图片"))


def plan_date_window(project: Project) -> tuple[date, date]:
    """Where a node's dates may lie: from ten years before the project's start (or its list year) to
    ten years after its completion, within 1900–2100."""
    starts = [d.year for d in (project.planned_start, project.actual_start) if d] + [project.year]
    ends = [d.year for d in (project.planned_end, project.actual_end) if d] + [project.year]
    low = max(min(starts) - PLAN_SPAN_YEARS, DATE_MIN.year)
    high = min(max(ends) + PLAN_SPAN_YEARS, DATE_MAX.year)
    return date(low, 1, 1), date(high, 12, 31)


def _node_values(node: PlanNode, data: Mapping[str, Any]) -> dict[str, Any]:
    """The validated new values of the fields in `data`."""
    errors: dict[str, list[Message]] = {}
    values: dict[str, Any] = {}
    low, high = plan_date_window(node.project)
    for field, value in data.items():
        if field == "planned_date" and value is None:
            errors.setdefault(field, []).append(_("请填写计划完成时间"))
        elif field == "actual_date" and value is not None and value > timezone.localdate():
            errors.setdefault(field, []).append(_("实际完成时间不能晚于今天"))
        elif field in {"planned_date", "actual_date"} and value is not None and not low <= value <= high:
            errors.setdefault(field, []).append(
                _("须在 %(low)s 至 %(high)s 之间（项目起止前后十年内）")
                % {"low": low.isoformat(), "high": high.isoformat()}
            )
        elif field == "department":
            value = _department(value, errors, field, city_id=node.city_id)
        elif field in {"evidence_number", "remarks"}:
            value = (value or "").strip()
            limit = getattr(PlanNode._meta.get_field(field), "max_length", None)
            if limit and len(value) > limit:
                errors.setdefault(field, []).append(_("不能超过%(n)s个字") % {"n": limit})
        elif field == "evidence_file" and value:
            _check_evidence(value, errors)
        values[field] = value
    _refuse(errors)
    return values


def _stage_move(node: PlanNode, project: Project, done: date) -> Stage | None:
    """The stage completing `node` on `done` moves the project to, when that is a move forward."""
    if node.code == NodeCode.START:
        target = lifecycle.started_stage_for(project, done)
    elif node.code in STAGE_NODES:
        target = STAGE_NODES[NodeCode(node.code)]
    else:
        return None
    order = lifecycle.STAGE_ORDER
    if project.stage not in order or order.index(target) <= order.index(Stage(project.stage)):
        return None
    return target


def _move_project(user: User, node: PlanNode, done: date) -> None:
    project = Project.objects.get(pk=node.project_id)
    target = _stage_move(node, project, done)
    if target is None:
        return
    if not project_permissions.can_edit_project(user, project):
        raise ApplicationError(
            _("无法保存节点"),
            errors={
                "actual_date": [
                    _("该节点完成后项目将进入“%(stage)s”阶段，须由县级项目专员或市重点项目办填写")
                    % {"stage": target.label}
                ]
            },
        )
    recorded = RECORD_ACTUALS.get(NodeCode(node.code))
    try:
        project_transition(
            user=user,
            project_id=project.pk,
            version=project.version,
            stage=target,
            reason=f"{node.name}节点完成",  # kept in the records' language, like the node's name
            actual_start=done if recorded == "actual_start" else None,
            actual_end=done if recorded == "actual_end" else None,
        )
    except ApplicationError as error:
        messages: list[Message] = [
            m for field_messages in error.field_messages().values() for m in field_messages
        ]
        raise ApplicationError(error.message, errors={"actual_date": messages}) from error


@transaction.atomic
def plan_node_update(
    *, user: User, node_id: int, version: int | None, data: Mapping[str, Any], reason: str = ""
) -> PlanNode:
    """Change a node edited from `version`; completing 开工 / 竣工验收 / 投产 / 达产 moves the project to
    the matching stage in the same transaction (or refuses the whole change). Moving the planned date
    needs a `reason`, kept in the node's history with the change."""
    node = locked_under_project(lambda lock: permissions.node_access(user, node_id, for_update=lock))
    permissions.require_node_edit(user, node, set())  # one who may change nothing here hears so first
    version = require_version(version, missing=_("修改节点须提供所依据的版本号"))
    unknown = set(data) - permissions.NODE_FIELDS
    if unknown:
        raise ApplicationError(
            _("包含不能修改的字段"), errors={name: [_("此字段不能在这里修改")] for name in sorted(unknown)}
        )
    values = _node_values(node, data)
    changed = {
        field: value
        for field, value in values.items()
        if (bool(value) if field == "evidence_file" else value != getattr(node, field))
    }
    permissions.require_node_edit(user, node, set(changed))
    check_version(
        node.version,
        version,
        stale=_("该节点已被他人修改（当前版本 %(current)s，您的版本 %(yours)s），请刷新后重新编辑")
        % {"current": node.version, "yours": version},
    )
    if not changed:
        return node
    reason = (reason or "").strip()
    if "planned_date" in changed and not reason:
        raise ApplicationError(_("请修正标出的错误"), errors={"reason": [_("调整计划完成时间须填写原因")]})
    if len(reason) > REASON_MAX_LENGTH:
        raise ApplicationError(
            _("请修正标出的错误"), errors={"reason": [_("不能超过%(n)s个字") % {"n": REASON_MAX_LENGTH}]}
        )
    before = {field: getattr(node, field) for field in changed}
    before_names = {
        field: (str(value) if field == "evidence_file" else value) for field, value in before.items()
    }
    for field, value in changed.items():
        setattr(node, field, value)
    node.version += 1
    node.updated_by = user
    node.save()
    node_changed_events(
        node=node,
        actor=user,
        changes=[(field, before_names[field], getattr(node, field)) for field in changed],
        reason=reason,
    )
    if "actual_date" in changed and node.actual_date is not None:
        _move_project(user, node, node.actual_date)
    return node


@transaction.atomic
def schedule_settings_update(*, user: User, version: int | None, due_soon_workdays: int) -> ScheduleSettings:
    """Set the due-soon window, edited from `version`; refused when someone saved in between."""
    if not permissions.can_edit_schedule_settings(user):
        raise PermissionDenied(_("只有市重点项目办可以修改节点计划设置"))
    require_version(version, missing=_("修改节点计划设置须提供所依据的版本号"))
    if not isinstance(due_soon_workdays, int) or not 0 <= due_soon_workdays <= 60:
        raise ApplicationError(
            _("请修正标出的错误"), errors={"due_soon_workdays": [_("临期提醒天数应为0到60之间的整数")]}
        )
    return settings_update(
        model=ScheduleSettings,
        user=user,
        version=version,
        values={"due_soon_workdays": due_soon_workdays},
        missing_version=_("修改节点计划设置须提供所依据的版本号"),
        stale=lambda _row: _("节点计划设置已被他人修改，请刷新后重新编辑"),
    )
