"""Writes of the rates: the city office's counting bases, and a project's monthly investment plan."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from keyprojects.accounts.city_settings import can_edit_settings, settings_update
from keyprojects.accounts.models import User
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.events import InvestmentPlanChanged, publish
from keyprojects.core.text import join_list, labelled
from keyprojects.core.versions import check_tag, digest_tag, require_version
from keyprojects.projects import permissions
from keyprojects.projects.events import project_fields_changed_events
from keyprojects.projects.models import Project

from .models import MetricsSettings, MonthlyPlan, StartBasis, TimeBasis

MONTHLY_PLAN_FIELD = "monthly_plan"  # the history field of a project's monthly plan
MONTHS = range(1, 13)
AMOUNT_MAX = Decimal("999999999999.99")


def can_configure_metrics(user: User) -> bool:
    return permissions.has_project_access(user) and can_edit_settings(user)


def require_configure_metrics(user: User) -> None:
    if not can_configure_metrics(user):
        raise PermissionDenied(_("只有市重点项目办可以修改三率口径"))


@transaction.atomic
def metrics_settings_update(*, user: User, data: Mapping[str, Any], version: int | None) -> MetricsSettings:
    """Change the 开工率 denominator and the 序时进度 basis (city office only), from the version the
    editor saw; fields not given keep their value."""
    require_configure_metrics(user)
    errors: dict[str, list[Message]] = {}
    values = {}
    for field, choices in (("start_basis", StartBasis), ("time_basis", TimeBasis)):
        if field not in data:
            continue
        if data[field] not in choices.values:
            errors[field] = [_("请选择列出的选项")]
        values[field] = data[field]
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    settings = settings_update(
        model=MetricsSettings,
        user=user,
        version=version,
        values=values,
        missing_version=_("修改三率口径须提供所依据的版本（If-Match）"),
        stale=lambda _row: _("三率口径已被他人修改，请刷新后重试"),
    )
    return settings


# --- monthly plans --------------------------------------------------------------------------------


def monthly_plan(*, project: Project, year: int) -> dict[int, Decimal]:
    """The project's planned investment per month of `year` (months without a plan are absent)."""
    rows = MonthlyPlan.objects.filter(project=project, year=year).values_list("month", "amount")
    return dict(rows)


def monthly_plan_etag(plan: Mapping[int, Decimal]) -> str:
    """The version a client read: changes whenever a month's amount does."""
    return digest_tag(";".join(f"{month}={amount}" for month, amount in sorted(plan.items())))


def monthly_plan_history_text(value: Mapping[str, Any] | None) -> str:
    """A decoded history value of a monthly plan ({"year": …, "plan": {"<month>": amount}})."""
    if not value:
        return ""
    plan = {int(month): amount for month, amount in value["plan"].items()}
    if not plan:
        described = _("未设月度计划")
    else:
        described = join_list(
            _("%(month)s月%(amount)s") % {"month": month, "amount": format(amount.normalize(), "f")}
            for month, amount in sorted(plan.items())
        )
    return labelled(value["year"], described)


def _check_amounts(amounts: Mapping[int, Decimal | None]) -> dict[int, Decimal]:
    errors: dict[str, list[Message]] = {}
    plan: dict[int, Decimal] = {}
    for month, amount in amounts.items():
        field = f"month_{month}"
        if month not in MONTHS:
            errors[field] = [_("月份应在1到12之间")]
        elif amount is None:
            continue
        elif amount < 0:
            errors[field] = [_("%(month)s月计划投资不能为负数") % {"month": month}]
        elif amount > AMOUNT_MAX or amount != amount.quantize(Decimal("0.01")):
            errors[field] = [_("%(month)s月计划投资最多保留两位小数") % {"month": month}]
        else:
            plan[month] = amount
    if errors:
        raise ApplicationError(_("请修正标出的错误"), errors=errors)
    return plan


@transaction.atomic
def monthly_plan_set(
    *,
    user: User,
    project_id: int,
    year: int,
    amounts: Mapping[int, Decimal | None],
    etag: str | None,
) -> dict[int, Decimal]:
    """Replace a project's monthly plan for `year` (a blank month has no plan), by those who may
    edit the project, from the version they read; the change is kept in the project's history."""
    project = permissions.project_access(user, project_id, for_update=True)
    permissions.require_edit(user, project)
    etag = require_version(etag, missing=_("修改月度计划须提供所依据的版本（If-Match）"))
    if not 2000 <= year <= 2100:
        raise ApplicationError(_("请修正标出的错误"), errors={"year": [_("年度应在2000到2100之间")]})
    before = monthly_plan(project=project, year=year)
    check_tag(monthly_plan_etag(before), etag, stale=_("该项目的月度计划已被他人修改，请刷新后重试"))
    after = _check_amounts(amounts)
    if after == before:
        return after
    MonthlyPlan.objects.filter(project=project, year=year).exclude(month__in=after).delete()
    for month, amount in after.items():
        MonthlyPlan.objects.update_or_create(
            project=project, year=year, month=month, defaults={"amount": amount}
        )
    project_fields_changed_events(
        project=project,
        actor=user,
        changes=[(MONTHLY_PLAN_FIELD, {"year": year, "plan": before}, {"year": year, "plan": after})],
    )
    publish(InvestmentPlanChanged(project_id=project.pk, city_id=project.city_id, year=year))
    return after
