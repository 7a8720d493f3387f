"""Writes of the factor guarantee: pools set and carved by the city office, demands stated by whoever acts
on a project, allocations and releases between them.

Every movement of a pool is one conditional UPDATE (`_move`): it changes the pool only if what remains
covers it, so two officers giving out the last units at the same moment cannot both succeed — on PostgreSQL
the second UPDATE waits for the first's row and re-reads it; on SQLite each transaction holds the database
(`transaction_mode` IMMEDIATE). The CHECK constraints of the models refuse the rest. Each movement is a
ledger entry with who and why, written in the same transaction."""

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Round
from django.urls import reverse
from django.utils.translation import gettext as _

from keyprojects.accounts.models import Region, Role, User
from keyprojects.accounts.selectors import require_city
from keyprojects.core.errors import ApplicationError, Message
from keyprojects.core.events import FactorChanged, publish
from keyprojects.core.inputs import date_in_range
from keyprojects.core.text import labelled
from keyprojects.notifications.services import notify
from keyprojects.projects import permissions as project_permissions
from keyprojects.projects.locks import locked_under_project
from keyprojects.projects.models import Project

from . import permissions
from .models import (
    MAX_DIGITS,
    PLACES,
    SLACK,
    ZERO,
    EntryKind,
    FactorAllocation,
    FactorDemand,
    FactorKind,
    FactorLedgerEntry,
    FactorPool,
)

QUANTUM = Decimal(1).scaleb(-PLACES)
LARGEST = Decimal(10) ** (MAX_DIGITS - PLACES) - QUANTUM
KIND_ALLOCATED = "factor.allocated"  # the notification of an allocation, to the project's owners


class NotEnoughLeft(ApplicationError):
    """A pool (or a demand, or an allocation) holds less than the movement asks for."""

    status = 409


def _invalid(field: str, message: Message) -> ApplicationError:
    return ApplicationError(_("请修正标出的错误"), errors={field: [message]})


def clean_amount(value: Any, *, field: str = "amount", allow_zero: bool = False) -> Decimal:
    """An amount in the kind's unit: a number of at most three decimals, positive (or zero, for a supply)."""
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _invalid(field, _("请输入有效的数字")) from None
    if not amount.is_finite():
        raise _invalid(field, _("请输入有效的数字"))
    if amount != amount.quantize(QUANTUM, rounding="ROUND_DOWN"):
        raise _invalid(field, _("最多保留%(places)s位小数") % {"places": PLACES})
    if amount < 0 or (amount == 0 and not allow_zero):
        raise _invalid(field, _("必须大于0") if not allow_zero else _("不能为负数"))
    if amount > LARGEST:
        raise _invalid(field, _("数字过大"))
    return amount.quantize(QUANTUM)


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _invalid("reason", _("请填写理由"))
    if len(reason) > 255:
        raise _invalid("reason", _("最多%(max_length)s个字符") % {"max_length": 255})
    return reason


def _kind(kind: str) -> str:
    if kind not in FactorKind.values:
        raise _invalid("kind", _("请选择有效的要素类别"))
    return kind


def _move(pool_id: int, *, supply: Decimal = ZERO, carved: Decimal = ZERO, allocated: Decimal = ZERO) -> bool:
    """Change the pool's columns by these amounts if it stays whole (nothing below zero); whether it did."""
    rows = FactorPool.objects.filter(
        pk=pool_id, supply__gte=F("carved") + F("allocated") + (carved + allocated - supply - SLACK)
    )
    if carved < 0:
        rows = rows.filter(carved__gte=-carved - SLACK)
    if allocated < 0:
        rows = rows.filter(allocated__gte=-allocated - SLACK)
    deltas = {
        name: d for name, d in {"supply": supply, "carved": carved, "allocated": allocated}.items() if d
    }
    if not deltas:  # a pool made with nothing in it
        return rows.exists()
    return rows.update(**{name: Round(F(name) + d, PLACES) for name, d in deltas.items()}) == 1


def _entry(
    pool_id: int, *, kind: str, amount: Decimal, actor: User, reason: str, **links: Any
) -> FactorLedgerEntry:
    """The ledger's row of a movement, with the pool's figures after it (read once it is made)."""
    pool = FactorPool.objects.get(pk=pool_id)
    return FactorLedgerEntry.objects.create(
        pool=pool,
        kind=kind,
        amount=amount,
        supply_after=pool.supply,
        allocated_after=pool.allocated,
        remaining_after=pool.remaining,
        reason=reason,
        actor=actor,
        **links,
    )


def _short(pool: FactorPool, amount: Decimal) -> NotEnoughLeft:
    left = FactorPool.objects.get(pk=pool.pk).remaining
    message = _("%(pool)s剩余%(left)s%(unit)s，不足%(amount)s%(unit)s") % {
        "pool": pool,
        "left": _number(left),
        "amount": _number(amount),
        "unit": pool.unit,
    }
    return NotEnoughLeft(message, errors={"amount": [message]})


def _number(value: Decimal) -> str:
    return format(value.quantize(QUANTUM).normalize(), "f")


def _pool_region(user: User, code: str | None) -> Region:
    city_id = require_city(user)
    if not code:
        return Region.objects.get(pk=city_id)
    region = Region.objects.filter(code=code, city_id=city_id).exclude(kind=Region.Kind.PROVINCE).first()
    if region is None:
        raise _invalid("region", _("区划代码不属于本市"))
    return region


@transaction.atomic
def pool_set(
    *, user: User, kind: str, year: int, supply: Any, reason: str, region: str | None = None
) -> tuple[FactorPool, bool]:
    """Set what a region has of a factor for a year (city office): the city's pool, or a county's sub-pool
    carved from it (the city's pool must hold enough). Answers the pool and whether it was made."""
    permissions.require_manage(user)
    kind, supply, reason = _kind(kind), clean_amount(supply, field="supply", allow_zero=True), _reason(reason)
    place = _pool_region(user, region)
    parent = None
    if place.kind != Region.Kind.CITY:
        parent = (
            FactorPool.objects.select_for_update()
            .filter(region_id=require_city(user), year=year, kind=kind)
            .first()
        )
        if parent is None:
            raise _invalid("region", _("请先核定全市本年度的%(kind)s总量") % {"kind": FactorKind(kind).label})
    pool = FactorPool.objects.select_for_update().filter(region=place, year=year, kind=kind).first()
    made = pool is None
    if pool is None:
        try:
            with transaction.atomic():
                pool = FactorPool.objects.create(region=place, year=year, kind=kind, parent=parent)
        except IntegrityError:
            pool = FactorPool.objects.select_for_update().get(region=place, year=year, kind=kind)
            made = False
    delta = supply - pool.supply
    if delta == 0 and not made:
        raise _invalid("supply", _("与现有总量相同"))
    if parent is not None and delta > 0 and not _move(parent.pk, carved=delta):
        raise _short(parent, delta)
    if not _move(pool.pk, supply=delta):
        held = pool.carved + pool.allocated
        message = _("已下达和已配置共%(held)s%(unit)s，总量不能少于此数") % {
            "held": _number(held),
            "unit": pool.unit,
        }
        raise NotEnoughLeft(message, errors={"supply": [message]})
    if parent is not None and delta < 0:
        _move(parent.pk, carved=delta)
    _entry(pool.pk, kind=EntryKind.SUPPLY, amount=delta, actor=user, reason=reason)
    if parent is not None:
        _entry(parent.pk, kind=EntryKind.CARVE, amount=delta, actor=user, reason=reason, sub_pool=pool)
    pool.refresh_from_db()
    return pool, made


@transaction.atomic
def demand_create(
    *, user: User, project_id: int, kind: str, amount: Any, needed_by: datetime.date | None, note: str = ""
) -> FactorDemand:
    """State what a project needs of a factor and by when."""
    project = project_permissions.project_access(user, project_id, for_update=True)
    permissions.require_demand(user, project)
    kind, amount = _kind(kind), clean_amount(amount)
    if needed_by is None:
        raise _invalid("needed_by", _("请填写需要时间"))
    if not date_in_range(needed_by):
        raise _invalid("needed_by", _("请输入有效的日期，格式为 YYYY-MM-DD"))
    note = (note or "").strip()
    if len(note) > 255:
        raise _invalid("note", _("最多%(max_length)s个字符") % {"max_length": 255})
    return FactorDemand.objects.create(
        project=project, kind=kind, amount=amount, needed_by=needed_by, note=note, created_by=user
    )


@transaction.atomic
def demand_withdraw(*, user: User, demand_id: int) -> None:
    """Withdraw a demand nothing was allocated to (a demand with allocations is released first)."""
    demand = locked_under_project(lambda lock: _demand_locked(user, demand_id, lock))
    permissions.require_demand(user, demand.project)
    if demand.allocations.exists():
        message = _("该需求已有配置记录，不能撤回")
        raise ApplicationError(message, errors={"__all__": [message]})
    demand.delete()


def _demand_locked(user: User, demand_id: int, lock: bool) -> FactorDemand:
    demand = permissions.demand_access(user, demand_id)
    if lock:
        demand = FactorDemand.objects.select_for_update().select_related("project").get(pk=demand.pk)
    return demand


def _demand_for(project: Project, kind: str, demand_id: int | None) -> FactorDemand:
    demands = FactorDemand.objects.filter(project=project, kind=kind).select_for_update()
    if demand_id is not None:
        demand = demands.filter(pk=demand_id).first()
        if demand is None:
            raise _invalid("demand", _("该项目没有此项%(kind)s需求") % {"kind": FactorKind(kind).label})
        return demand
    demand = demands.filter(allocated__lt=F("amount") - SLACK).order_by("needed_by", "id").first()
    if demand is None:
        raise _invalid("project", _("该项目没有未满足的%(kind)s需求") % {"kind": FactorKind(kind).label})
    return demand


@transaction.atomic
def allocation_create(
    *, user: User, pool_id: int, project_id: int, amount: Any, reason: str, demand_id: int | None = None
) -> FactorAllocation:
    """Give a project an amount of a pool against its demand of that kind (the one needed soonest, unless
    named): 409 when the pool has not enough left. The project's owners are notified."""
    project = project_permissions.project_access(user, project_id, for_update=True)
    pool = permissions.pool_access(user, pool_id)
    permissions.require_allocate(user, project, pool)
    amount, reason = clean_amount(amount), _reason(reason)
    if pool.city_id != project.city_id or not project.region.path.startswith(pool.region.path):
        raise _invalid("project", _("该项目不在%(region)s范围内") % {"region": pool.region.name})
    demand = _demand_for(project, pool.kind, demand_id)
    if amount > demand.lacking:
        message = _("超过该需求尚缺的数量（尚缺%(lacking)s%(unit)s）") % {
            "lacking": _number(demand.lacking),
            "unit": pool.unit,
        }
        raise NotEnoughLeft(message, errors={"amount": [message]})
    if not _move(pool.pk, allocated=amount):
        raise _short(pool, amount)
    FactorDemand.objects.filter(pk=demand.pk).update(allocated=Round(F("allocated") + amount, PLACES))
    allocation = FactorAllocation.objects.create(
        pool=pool, project=project, demand=demand, amount=amount, allocated_by=user
    )
    _entry(
        pool.pk,
        kind=EntryKind.ALLOCATE,
        amount=amount,
        actor=user,
        reason=reason,
        project=project,
        allocation=allocation,
    )
    _notify_owners(project, pool, amount, reason)
    return allocation


def _notify_owners(project: Project, pool: FactorPool, amount: Decimal, reason: str) -> None:
    if project.owner_id is None:
        return
    owners = User.objects.filter(organization_id=project.owner_id, role=Role.PROJECT_OWNER, is_active=True)
    title = _("“%(project)s”获配%(kind)s%(amount)s%(unit)s") % {
        "project": project.name,
        "kind": pool.get_kind_display(),
        "amount": _number(amount),
        "unit": pool.unit,
    }
    url = reverse("projects:detail", args=[project.pk]) + "#project-factors"
    for owner in owners:
        notify(recipient=owner, kind=KIND_ALLOCATED, title=title, body=labelled(pool, reason), url=url)


@transaction.atomic
def allocation_release(
    *, user: User, allocation_id: int, reason: str, amount: Any = None
) -> FactorAllocation:
    """Take back what an allocation holds (all of it, or `amount`) into its pool, saying why."""
    allocation = locked_under_project(lambda lock: _allocation_locked(user, allocation_id, lock))
    permissions.require_allocate(user, allocation.project, allocation.pool)
    reason = _reason(reason)
    amount = allocation.held if amount in (None, "") else clean_amount(amount)
    if allocation.held <= 0 or amount > allocation.held:
        message = _("该配置尚持有%(held)s%(unit)s，不能收回%(amount)s%(unit)s") % {
            "held": _number(allocation.held),
            "amount": _number(amount),
            "unit": allocation.pool.unit,
        }
        raise NotEnoughLeft(message, errors={"amount": [message]})
    FactorAllocation.objects.filter(pk=allocation.pk).update(released=Round(F("released") + amount, PLACES))
    FactorDemand.objects.filter(pk=allocation.demand_id).update(
        allocated=Round(F("allocated") - amount, PLACES)
    )
    if not _move(allocation.pool_id, allocated=-amount):  # the CHECKs make this unreachable
        raise _short(allocation.pool, amount)
    _entry(
        allocation.pool_id,
        kind=EntryKind.RELEASE,
        amount=-amount,
        actor=user,
        reason=reason,
        project=allocation.project,
        allocation=allocation,
    )
    publish(FactorChanged(project_id=allocation.project_id, city_id=allocation.city_id))
    allocation.refresh_from_db()
    return allocation


def _allocation_locked(user: User, allocation_id: int, lock: bool) -> FactorAllocation:
    allocation = permissions.allocation_access(user, allocation_id)
    if lock:
        allocation = (
            FactorAllocation.objects.select_for_update(of=("self",))
            .select_related("project", "project__region", "pool", "pool__region")
            .get(pk=allocation.pk)
        )
    return allocation
