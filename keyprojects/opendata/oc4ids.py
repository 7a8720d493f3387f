"""The portfolio as an OC4IDS 0.9.5 project package (Open Contracting for Infrastructure Data Standard).

Only the projects the city office has marked public (`Project.is_public`) are published. How the
platform's record maps onto the standard:

- `status` from the 建设阶段: 谋划 → identification, 前期 → preparation, 新开工 / 在建续建 → implementation,
  竣工 / 投产 / 达产 → completion, 退出 → cancelled; 暂缓 keeps the phase it stopped in (implementation
  once started, else preparation).
- `type` from the 建设性质: 新建 / 续建 → construction, 扩建 → expansion, 改建 → rehabilitation.
- `sector` from the category: 产业 → economy, 基础设施 → transport, 社会民生 → education and health,
  新型城镇化 → urban transport and water and waste, 生态环保 → natural resources. The categories are
  broader than the codelist; this is the nearest reading.
- `budget` is the total investment (万元 × 10,000 yuan, CNY); `period` the planned start and completion;
  `locations` the 建设地点 with its point when known and the county as address; `parties` the owner
  (publicAuthority) and the 责任单位 (administrativeEntity).
- `milestones` are the plan nodes: approvals (立项 … 施工许可) of type approval, the rest delivery; met with
  their actual date, else scheduled, or notMet once past due.
- `metrics`: financialProgress, the investment completed each month (figures in force of accepted reports),
  and physicalProgress, that month's 形象进度 as text.
"""

import datetime
import functools
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from keyprojects.projects.models import Category, Nature, Stage

VERSION = "0.9"
CURRENCY = "CNY"
UTC8 = datetime.timezone(datetime.timedelta(hours=8))

STATUS = {
    Stage.PLANNING: "identification",
    Stage.PREPARATION: "preparation",
    Stage.NEW_START: "implementation",
    Stage.UNDER_CONSTRUCTION: "implementation",
    Stage.COMPLETED: "completion",
    Stage.IN_PRODUCTION: "completion",
    Stage.AT_CAPACITY: "completion",
    Stage.WITHDRAWN: "cancelled",
}
TYPE = {
    Nature.NEW: "construction",
    Nature.CONTINUATION: "construction",
    Nature.EXPANSION: "expansion",
    Nature.RENOVATION: "rehabilitation",
}
SECTOR = {
    Category.INDUSTRY: ["economy"],
    Category.INFRASTRUCTURE: ["transport"],
    Category.SOCIAL: ["education", "health"],
    Category.URBANIZATION: ["transport.urban", "waterAndWaste"],
    Category.ECOLOGY: ["naturalResources"],
}
APPROVAL_NODES = frozenset({
    "project_approval", "land_preapproval", "land_supply", "land_planning_permit", "works_planning_permit",
    "environment", "energy", "construction_permit",
})  # fmt: skip
MILESTONE_CODE = {"project_approval": "projectApproval", "start": "commencement", "acceptance": "completion",
                  "production": "commissioning"}  # fmt: skip


@functools.lru_cache(maxsize=8192)  # a portfolio's dates repeat: months, planned dates
def moment(day: datetime.date) -> str:
    """A date as the standard's date-time: the start of the day in China's time."""
    return datetime.datetime.combine(day, datetime.time(), UTC8).isoformat()


@functools.lru_cache(maxsize=1024)
def _month(month: datetime.date) -> tuple[str, dict[str, str]]:
    """A month's observation id ("2026-03") and period, shared by every project's observation of it."""
    following = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    end = following - datetime.timedelta(days=1)
    return month.strftime("%Y-%m"), {"startDate": moment(month), "endDate": moment(end)}


def yuan(wan: Decimal | None) -> int | float:
    """万元 → yuan, as a JSON number (whole yuan when it is whole)."""
    value = (wan or Decimal(0)) * 10000
    return int(value) if value == value.to_integral_value() else float(value)


def status_of(stage: str, actual_start: datetime.date | None) -> str:
    if stage == Stage.ON_HOLD:
        return "implementation" if actual_start else "preparation"
    return STATUS.get(stage, "identification")  # type: ignore[call-overload]


def _milestone(node: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    overdue = node["planned_date"] < today
    status = "met" if node["actual_date"] else "notMet" if overdue else "scheduled"
    milestone = {
        "id": str(node["id"]),
        "title": node["name"],
        "type": "approval" if node["code"] in APPROVAL_NODES else "delivery",
        "dueDate": moment(node["planned_date"]),
        "status": status,
    }
    if node["code"] in MILESTONE_CODE:
        milestone["code"] = MILESTONE_CODE[node["code"]]
    if node["actual_date"]:
        milestone["dateMet"] = moment(node["actual_date"])
    return milestone


def _metrics(figures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    financial, physical = [], []
    for figure in sorted(figures, key=lambda f: f["month"]):
        key, period = _month(figure["month"])
        financial.append(
            {"id": key, "period": period, "value": {"amount": yuan(figure["total"]), "currency": CURRENCY}}
        )
        if figure["progress"]:
            physical.append({"id": key, "period": period, "measure": figure["progress"]})
    metrics = []
    if financial:
        metrics.append({"id": "financialProgress", "title": "本月完成投资", "observations": financial})
    if physical:
        metrics.append({"id": "physicalProgress", "title": "形象进度", "observations": physical})
    return metrics


def _parties(row: dict[str, Any]) -> list[dict[str, Any]]:
    parties = []
    if row["owner_id"]:
        parties.append(
            {"id": f"org-{row['owner_id']}", "name": row["owner__name"], "roles": ["publicAuthority"]}
        )
    if row["responsible_unit"]:
        parties.append(
            {"id": f"unit-{row['id']}", "name": row["responsible_unit"], "roles": ["administrativeEntity"]}
        )
    return parties


def _location(row: dict[str, Any]) -> dict[str, Any]:
    location: dict[str, Any] = {"id": "1", "address": {"region": row["region__name"], "countryName": "中国"}}
    if row["location"]:
        location["description"] = row["location"]
    if row["latitude"] is not None and row["longitude"] is not None:
        location["geometry"] = {
            "type": "Point",
            "coordinates": [float(row["longitude"]), float(row["latitude"])],
        }
    return location


def project_release(
    row: dict[str, Any],
    *,
    prefix: str,
    nodes: Iterable[dict[str, Any]],
    figures: list[dict[str, Any]],
    today: datetime.date,
) -> dict[str, Any]:
    """One project in OC4IDS from its row (`PROJECT_COLUMNS`), plan nodes and monthly figures."""
    project: dict[str, Any] = {
        "id": f"{prefix}-{row['city__code']}-{row['id']}",
        "updated": row["updated_at"].isoformat(),
        "language": "zh",
        "identifiers": [
            {"id": row["code"], "scheme": "CN-TZXM"}
            if row["code"]
            else {"id": str(row["id"]), "scheme": prefix}
        ],
        "title": row["name"],
        "status": status_of(row["stage"], row["actual_start"]),
        "type": TYPE.get(row["nature"], "construction"),
        "sector": SECTOR.get(row["category"], []),
        "budget": {"amount": {"amount": yuan(row["total_investment"]), "currency": CURRENCY}},
        "locations": [_location(row)],
    }
    if row["scope"]:
        project["description"] = row["scope"]
    if not project["sector"]:
        del project["sector"]
    period = {}
    if row["planned_start"]:
        period["startDate"] = moment(row["planned_start"])
    if row["planned_end"]:
        period["endDate"] = moment(row["planned_end"])
    if period:
        project["period"] = period
    parties = _parties(row)
    if parties:
        project["parties"] = parties
        if row["owner_id"]:
            project["publicAuthority"] = {"id": parties[0]["id"], "name": parties[0]["name"]}
    milestones = [_milestone(node, today) for node in nodes]
    if milestones:
        project["milestones"] = milestones
    metrics = _metrics(figures)
    if metrics:
        project["metrics"] = metrics
    return project


PROJECT_COLUMNS = (
    "id", "code", "name", "scope", "stage", "actual_start", "nature", "category", "total_investment",
    "planned_start", "planned_end", "location", "latitude", "longitude", "region__name", "city__code",
    "owner_id", "owner__name", "responsible_unit", "updated_at",
)  # fmt: skip


def group_by_project(rows: Iterable[Any]) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row.pop("project_id")].append(row)
    return grouped
