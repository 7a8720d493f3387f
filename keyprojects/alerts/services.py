"""Writes of the warnings: the refresh that stores what the rules find, and the city's rule settings."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from keyprojects.accounts.city_settings import can_edit_settings, settings_city, settings_update
from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.events import WarningsChanged, publish
from keyprojects.core.history import encode

from . import rules
from .models import ProjectWarning, WarningRules

BATCH = 500  # rows per statement: below SQLite's limit on query parameters


@dataclass(frozen=True)
class RefreshResult:
    created: int
    updated: int
    cleared: int
    active: int


@transaction.atomic
def warnings_refresh(
    *, today: datetime.date | None = None, project_ids: Iterable[int] | None = None
) -> RefreshResult:
    """Recompute the warnings of every watched project (or only of `project_ids`) and store them:
    new findings become warnings `since` their onset, a warning that stays keeps its `since` (its
    colour and reason follow the figures), and one whose cause is gone is cleared."""
    today = today or timezone.localdate()
    ids = None if project_ids is None else list(project_ids)
    found = {f.key: f for f in rules.findings(today=today, project_ids=ids)}
    facts = {key: encode(f.facts) for key, f in found.items()}
    active = ProjectWarning.objects.filter(is_active=True).select_for_update()
    if ids is not None:
        active = active.filter(project_id__in=ids)
    existing = {(w.project_id, w.rule, w.subject): w for w in active}
    now = timezone.now()
    changed = []
    for key, warning in existing.items():
        finding = found.get(key)
        if finding and (warning.color, warning.facts) != (finding.color, facts[key]):
            warning.color, warning.facts, warning.refreshed_at = finding.color, facts[key], now
            changed.append(warning)
    cleared = [w.pk for key, w in existing.items() if key not in found]
    new = [
        ProjectWarning(
            city_id=f.city_id,
            project_id=f.project_id,
            rule=f.rule,
            subject=f.subject,
            color=f.color,
            facts=facts[key],
            since=f.since,
        )
        for key, f in found.items()
        if key not in existing
    ]
    for start in range(0, len(cleared), BATCH):
        ProjectWarning.objects.filter(pk__in=cleared[start : start + BATCH]).update(
            is_active=False, cleared_at=now, refreshed_at=now
        )
    ProjectWarning.objects.bulk_update(changed, ["color", "facts", "refreshed_at"], batch_size=BATCH)
    # a refresh running at the same time may have stored the same warning: keep the first
    ProjectWarning.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    cleared_cities = {w.city_id for key, w in existing.items() if key not in found}
    for city_id in sorted({w.city_id for w in [*changed, *new]} | cleared_cities):
        publish(WarningsChanged(city_id=city_id))
    return RefreshResult(created=len(new), updated=len(changed), cleared=len(cleared), active=len(found))


RULE_FIELDS = (
    "start_red_months",
    "investment_yellow_points",
    "investment_red_points",
    "statistics_yellow_months",
    "statistics_red_months",
    "node_red_workdays",
    "report_red_rounds",
)


def can_edit_rules(user: User) -> bool:
    return can_edit_settings(user)


def require_rules_edit(user: User) -> None:
    if not can_edit_rules(user):
        raise PermissionDenied(_("只有市重点项目办可以修改预警规则"))


def _check_rules(values: Mapping[str, Any]) -> None:
    errors: dict[str, list[Message]] = {}
    for name in RULE_FIELDS:
        if values[name] is None or values[name] < 0:
            errors.setdefault(name, []).append(_("不能为负数"))
    if values["investment_red_points"] < values["investment_yellow_points"]:
        errors.setdefault("investment_red_points", []).append(_("红灯阈值不能小于黄灯阈值"))
    if values["statistics_red_months"] < values["statistics_yellow_months"]:
        errors.setdefault("statistics_red_months", []).append(_("红灯月数不能小于黄灯月数"))
    if values["investment_red_points"] > Decimal(100):
        errors.setdefault("investment_red_points", []).append(_("不能超过100个百分点"))
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)


@transaction.atomic
def warning_rules_update(*, user: User, data: Mapping[str, Any], version: int | None) -> WarningRules:
    """Change the thresholds (city office only), based on the version the editor saw; the warnings
    are recomputed with the new thresholds once the change is saved."""
    require_rules_edit(user)
    current = WarningRules.for_city(settings_city(user))
    values = {name: data.get(name, getattr(current, name)) for name in RULE_FIELDS}
    _check_rules(values)
    obj = settings_update(
        model=WarningRules,
        user=user,
        version=version,
        values=values,
        missing_version=_("修改预警规则须提供所依据的版本（If-Match）"),
        stale=lambda _row: _("预警规则已被他人修改，请刷新后重试"),
    )
    return obj
