"""The node templates a city starts from: one per approval type and project kind.

Offsets are calendar days from the project's planned start (or, for the completion nodes, its planned
completion); the computed date is then moved to the next working day. Departments are named by the
part of their name every city shares (聊城市自然资源和规划局 → 自然资源和规划局).
"""

from dataclasses import dataclass

from keyprojects.projects.models import ApprovalType

from .models import NodeCode, TemplateKind

LAND = "自然资源和规划局"
ENVIRONMENT = "生态环境局"
APPROVALS = "行政审批服务局"
HOUSING = "住房和城乡建设局"
INDUSTRY = "工业和信息化局"


@dataclass(frozen=True)
class DefaultNode:
    code: NodeCode
    offset_days: int
    department: str | None
    relative_to_end: bool = False


def _nodes(lead: int, *, land_preapproval: bool, production: bool) -> list[DefaultNode]:
    """The path of domain.md, with preparation steps spread over `lead` days before the start."""

    def before(share: float) -> int:
        return -round(lead * share)

    nodes = [
        DefaultNode(NodeCode.PROJECT_APPROVAL, before(1.0), APPROVALS),
        DefaultNode(NodeCode.LAND_PREAPPROVAL, before(0.9), LAND) if land_preapproval else None,
        DefaultNode(NodeCode.LAND_SUPPLY, before(0.7), LAND),
        DefaultNode(NodeCode.LAND_PLANNING_PERMIT, before(0.6), LAND),
        DefaultNode(NodeCode.WORKS_PLANNING_PERMIT, before(0.4), LAND),
        DefaultNode(NodeCode.ENVIRONMENT, before(0.35), ENVIRONMENT),
        DefaultNode(NodeCode.ENERGY, before(0.3), APPROVALS),
        DefaultNode(NodeCode.CONSTRUCTION_PERMIT, before(0.1), APPROVALS),
        DefaultNode(NodeCode.START, 0, None),
        DefaultNode(NodeCode.MAIN_WORKS_DONE, -90, HOUSING, relative_to_end=True),
        DefaultNode(NodeCode.ACCEPTANCE, 0, HOUSING, relative_to_end=True),
    ]
    if production:
        nodes += [
            DefaultNode(NodeCode.PRODUCTION, 30, INDUSTRY, relative_to_end=True),
            DefaultNode(NodeCode.CAPACITY, 365, INDUSTRY, relative_to_end=True),
        ]
    return [node for node in nodes if node is not None]


# 审批类 (government investment) takes longest; 核准类 needs 用地预审 before 核准; 备案类 projects are
# mostly industrial ones on land already zoned for building, without a separate 用地预审.
LEAD_DAYS = {ApprovalType.APPROVAL: 300, ApprovalType.RATIFICATION: 240, ApprovalType.FILING: 150}


def default_templates() -> list[tuple[ApprovalType, TemplateKind, list[DefaultNode]]]:
    return [
        (
            approval_type,
            kind,
            _nodes(
                LEAD_DAYS[approval_type],
                land_preapproval=approval_type != ApprovalType.FILING,
                production=kind == TemplateKind.INDUSTRIAL,
            ),
        )
        for approval_type in ApprovalType
        for kind in TemplateKind
    ]
