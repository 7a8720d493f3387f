"""The demo city's change requests: two pending in the city office's queue (idempotent: a project that
already has a request gets no other)."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from keyprojects.demo.steps import DemoContext
from keyprojects.projects.models import Pipeline, Project

from .models import ChangeRequest
from .services import change_request_create


def _listed(ctx: DemoContext, **filters: object) -> Project | None:
    candidates = [p for p in ctx.projects if p.pipeline == Pipeline.SCHEDULED and p.planned_end]
    for project in sorted(candidates, key=lambda p: p.pk):
        if all(getattr(project, name) == value for name, value in filters.items()):
            return project
    return None


def load(ctx: DemoContext) -> None:
    owner, county = ctx.users.get("owner-aobo"), ctx.users.get("guanxian")
    asks = []
    if owner is not None and owner.organization is not None:
        project = _listed(ctx, owner_id=owner.organization_id)
        if project is not None:
            lower = (project.annual_investment * Decimal("0.8")).quantize(Decimal("1"), ROUND_HALF_UP)
            asks.append(
                (owner, project, {"annual_investment": lower}, "设备进口周期延长，年内部分设备无法到货安装")
            )
    if county is not None and county.organization is not None:
        project = _listed(ctx, region_id=county.organization.region_id)
        if project is not None and project.planned_end is not None:
            later = project.planned_end + timedelta(days=183)
            asks.append((county, project, {"planned_end": later}, "土地组卷报批延后，竣工时间相应顺延半年"))
    for user, project, changes, reason in asks:
        if not ChangeRequest.objects.filter(project=project).exists():
            change_request_create(user=user, project_id=project.pk, changes=changes, reason=reason)

    ctx.report("调整申请（待审批）", ChangeRequest.objects.filter(status="pending").count())
