"""Statistics inclusion (入库纳统), written: record and clear a project's inclusion (kept in its
history), and the city office's threshold. Each write is told to the other apps by the model's save
signal (`core.events.InclusionChanged`) and by `settings_update` (`SettingsChanged`)."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.city_settings import settings_update
from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.versions import check_tag, require_version
from keyprojects.progress.models import ProgressSettings
from keyprojects.projects import permissions
from keyprojects.projects.events import project_fields_changed_events
from keyprojects.projects.models import Project

from .models import StatisticsInclusion
from .permissions import can_configure_inclusion, can_record_inclusion
from .selectors import STATISTICS_FIELD, inclusion_etag, inclusion_threshold

STATISTICS_CODE_MAX = 64


def _locked(user: User, project_id: int, etag: str | None) -> tuple[Project, StatisticsInclusion | None]:
    project = permissions.project_access(user, project_id, for_update=True)
    if not can_record_inclusion(user, project):
        raise PermissionDenied(_("只有市重点项目办和项目所在县（市、区）可以登记入库纳统"))
    seen = require_version(etag, missing=_("修改入库纳统须提供所依据的版本（If-Match）"))
    record = (
        StatisticsInclusion.objects.select_for_update()
        .filter(city_id=project.city_id, project=project)
        .first()
    )
    check_tag(inclusion_etag(record), seen, stale=_("该项目的入库纳统信息已被他人修改，请刷新后重试"))
    return project, record


def _history_value(record: StatisticsInclusion | None) -> dict[str, Any] | None:
    """The inclusion as its history keeps it: the date and the code, or None when not included."""
    if record is None or record.included_on is None:
        return None
    return {"included_on": record.included_on, "statistics_code": record.statistics_code}


def inclusion_history_text(value: Mapping[str, Any] | None) -> str:
    """A decoded history value of the inclusion (`_history_value`) in the reader's language."""
    if not value or value.get("included_on") is None:
        return _("未入库纳统")
    text = _("入库纳统 %(date)s") % {"date": value["included_on"].isoformat()}
    if value.get("statistics_code"):
        text += _("，统计库编码 %(code)s") % {"code": value["statistics_code"]}
    return text


@transaction.atomic
def inclusion_record(
    *,
    user: User,
    project_id: int,
    included_on: datetime.date | None,
    statistics_code: str = "",
    etag: str | None,
) -> StatisticsInclusion:
    """Record that a project entered the statistics on `included_on` (not before its actual start,
    not in the future, and only for a project at or above the threshold)."""
    project, record = _locked(user, project_id, etag)
    statistics_code = statistics_code.strip()
    errors: dict[str, list[Message]] = {}
    today = timezone.localdate()
    threshold = inclusion_threshold(project.city_id)
    if included_on is None:
        errors["included_on"] = [_("请填写入库纳统日期")]
    elif included_on > today:
        errors["included_on"] = [_("入库纳统日期不能晚于今天")]
    elif project.actual_start is None:
        errors["included_on"] = [_("项目尚未开工，不能入库纳统")]
    elif included_on < project.actual_start:
        errors["included_on"] = [
            _("入库纳统日期不能早于实际开工时间（%(start)s）") % {"start": project.actual_start.isoformat()}
        ]
    if project.total_investment < threshold:
        errors.setdefault("included_on", []).append(
            _("计划总投资低于纳统门槛（%(threshold)s万元），不纳入固定资产投资统计")
            % {"threshold": format(threshold.normalize(), "f")}
        )
    if len(statistics_code) > STATISTICS_CODE_MAX:
        errors["statistics_code"] = [_("统计库项目编码最多64个字符")]
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    before = _history_value(record)
    if record is None:
        record = StatisticsInclusion(project=project)
    record.included_on = included_on
    record.statistics_code = statistics_code
    record.recorded_by = user
    record.save()
    after = _history_value(record)
    if after != before:
        project_fields_changed_events(
            project=project, actor=user, changes=[(STATISTICS_FIELD, before, after)]
        )
    return record


@transaction.atomic
def inclusion_clear(
    *, user: User, project_id: int, reason: str, etag: str | None
) -> StatisticsInclusion | None:
    """Take a project out of the statistics (e.g. entered by mistake); the reason is kept in its history."""
    project, record = _locked(user, project_id, etag)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(_("请修正标出的错误"), errors={"reason": [_("撤销入库纳统须说明原因")]})
    if record is None or record.included_on is None:
        raise ApplicationError(_("该项目尚未入库纳统"), errors={"included_on": [_("该项目尚未入库纳统")]})
    before = _history_value(record)
    record.included_on = None
    record.statistics_code = ""
    record.recorded_by = user
    record.save()
    project_fields_changed_events(
        project=project, actor=user, changes=[(STATISTICS_FIELD, before, None)], reason=reason[:255]
    )
    return record


@transaction.atomic
def inclusion_settings_update(
    *, user: User, threshold: Decimal | None, version: int | None
) -> ProgressSettings:
    """The city office sets the investment threshold of statistics inclusion (万元); the warnings
    (开工未入库纳统) are recomputed against it once the change is saved. `version` is the settings'
    version the change was based on: a change based on an older one is refused."""
    if not can_configure_inclusion(user):
        raise PermissionDenied(_("只有市重点项目办可以修改纳统门槛"))
    if threshold is None or threshold <= 0:
        raise ApplicationError(
            _("请修正标出的错误"), errors={"inclusion_threshold": [_("纳统门槛必须大于0万元")]}
        )
    settings = settings_update(
        model=ProgressSettings,
        user=user,
        version=version,
        values={"inclusion_threshold": threshold},
        missing_version=_("修改纳统门槛须提供所依据的版本"),
        stale=lambda row: (
            _("纳统门槛已被他人修改为%(threshold)s万元，请核对后重新保存")
            % {"threshold": format(row.inclusion_threshold.normalize(), "f")}
        ),
    )
    return settings
