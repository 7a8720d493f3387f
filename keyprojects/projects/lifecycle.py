"""The rules of stage and pipeline moves (谋划 → 前期 → 新开工 → 在建续建 → 竣工 → 投产 → 达产)."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.core.errors import ApplicationError, Message

from .models import Pipeline, Project, Stage

STAGE_ORDER = [
    Stage.PLANNING,
    Stage.PREPARATION,
    Stage.NEW_START,
    Stage.UNDER_CONSTRUCTION,
    Stage.COMPLETED,
    Stage.IN_PRODUCTION,
    Stage.AT_CAPACITY,
]
PIPELINE_ORDER = [Pipeline.PROPOSED, Pipeline.RESERVE, Pipeline.SCHEDULED]
STARTED_STAGES = frozenset(STAGE_ORDER[2:])
FINISHED_STAGES = frozenset(STAGE_ORDER[4:])
REASON_STAGES = frozenset({Stage.ON_HOLD, Stage.WITHDRAWN})


def is_backward(order: list, current: str, target: str) -> bool:
    return current in order and target in order and order.index(target) < order.index(current)


def started_stage_for(project: Project, actual_start: date) -> Stage:
    """新开工 when the project started in its list year, 在建续建 when it started earlier."""
    return Stage.NEW_START if actual_start.year >= project.year else Stage.UNDER_CONSTRUCTION


def stage_date_errors(
    stage: str, *, year: int, actual_start: date | None, actual_end: date | None
) -> dict[str, list[Message]]:
    """What is wrong with these dates for a project in `stage` on the list of `year`."""
    errors: dict[str, list[Message]] = {}
    if stage in STARTED_STAGES and actual_start is None:
        errors.setdefault("actual_start", []).append(_("项目进入新开工及以后阶段前须填写实际开工时间"))
    if actual_start is not None and actual_start > timezone.localdate():
        errors.setdefault("actual_start", []).append(_("实际开工时间不能晚于今天"))
    if stage in FINISHED_STAGES and actual_end is None:
        errors.setdefault("actual_end", []).append(_("项目竣工须填写实际竣工时间"))
    if actual_end is not None:
        if actual_start is None:
            errors.setdefault("actual_end", []).append(_("填写实际竣工时间前须先填写实际开工时间"))
        elif actual_end < actual_start:
            errors.setdefault("actual_end", []).append(_("实际竣工时间不能早于实际开工时间"))
    if stage == Stage.NEW_START and actual_start is not None and actual_start.year < year:
        errors.setdefault("stage", []).append(_("往年开工的项目应为在建续建，而不是新开工"))
    return errors


def check_stage(
    project: Project, target: str, *, reason: str, actual_start: date | None, actual_end: date | None
) -> None:
    """Raise ApplicationError, naming the field, when `project` may not move to stage `target`."""
    if target not in Stage.values:
        raise ApplicationError(_("未知的建设阶段"), errors={"stage": [_("未知的建设阶段")]})
    errors = stage_date_errors(target, year=project.year, actual_start=actual_start, actual_end=actual_end)
    if target in REASON_STAGES and not reason.strip():
        errors.setdefault("reason", []).append(_("暂缓或退出必须说明原因"))
    elif is_backward(STAGE_ORDER, project.stage, target) and not reason.strip():
        errors.setdefault("reason", []).append(_("回退建设阶段必须说明原因"))
    if errors:
        raise ApplicationError(_("无法变更建设阶段"), errors=errors)


def check_pipeline(project: Project, target: str, *, reason: str) -> None:
    if target not in Pipeline.values:
        raise ApplicationError(_("未知的入库状态"), errors={"pipeline": [_("未知的入库状态")]})
    if is_backward(PIPELINE_ORDER, project.pipeline, target) and not reason.strip():
        raise ApplicationError(_("无法变更入库状态"), errors={"reason": [_("调出项目库必须说明原因")]})
