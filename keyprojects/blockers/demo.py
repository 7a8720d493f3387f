"""The demo city's blockers: one of each state across departments and categories, two overdue ones
that climbed the ladder (one to the leaders, with an instruction), and a coordination meeting with
its decisions. Idempotent: a city that already has blockers gets none more."""

from datetime import timedelta

from keyprojects.accounts.models import Organization, User
from keyprojects.demo.steps import DemoContext
from keyprojects.projects.models import Project

from .models import Blocker, Decision, DecisionStatus, Meeting
from .services import agenda_add, blocker_act, blocker_create, decision_add, decision_done

DEPARTMENTS = {
    "ziranziyuan": "聊城市自然资源和规划局",
    "shengtai": "聊城市生态环境局",
    "shenpi": "聊城市行政审批服务局",
    "zhujian": "聊城市住房和城乡建设局",
}

# (category, description, request, department account, the state it is brought to)
STORIES = [
    ("land", "项目二期用地组卷报批进展缓慢，影响年内开工", "请协调加快用地组卷报批", "ziranziyuan", "raised"),
    ("planning", "建设工程规划许可需调整容积率指标", "请明确规划条件调整程序", "ziranziyuan", "accepted"),
    ("environment", "环评批复等待区域污染物总量指标", "请协调调剂主要污染物排放总量", "shengtai", "assigned"),
    ("approval", "施工许可材料多次补正", "请一次性告知需补正的材料", "shenpi", "in_progress"),
    ("utilities", "厂区双回路供电接入排期晚于设备调试", "请协调供电公司提前接入", "zhujian", "resolved"),
    ("demolition", "地块内3户未签订征收补偿协议", "请属地政府加快征收", "zhujian", "closed"),
    ("labour", "企业内部人员调配问题", "", "zhujian", "returned"),
    ("energy", "能耗指标缺口1.2万吨标准煤", "请市级统筹解决能耗指标", "shengtai", "city"),
    ("funds", "地方政府专项债券资金未及时拨付", "请协调财政加快拨付", "shenpi", "leader"),
]


def _projects(ctx: DemoContext) -> list[tuple[User, Project]]:
    """Each enterprise's first project of the demo year, with its owner account."""
    pairs = []
    for user in sorted(ctx.users.values(), key=lambda u: u.username):
        if user.username.startswith("owner-") and user.organization_id is not None:
            project = (
                Project.objects.filter(owner_id=user.organization_id, city=ctx.city).order_by("pk").first()
            )
            if project is not None:
                pairs.append((user, project))
    return pairs


def _officer(ctx: DemoContext, project: Project) -> User | None:
    for user in ctx.users.values():
        org = user.organization
        if (
            user.role == "county_officer"
            and org is not None
            and project.region.path.startswith(org.region.path)
        ):
            return user
    return ctx.users.get("city")


def load(ctx: DemoContext) -> None:
    office, leader = ctx.users.get("city"), ctx.users.get("leader")
    if (
        ctx.city is None
        or office is None
        or office.city_id != ctx.city.pk
        or Blocker.objects.filter(city=ctx.city).exists()
    ):
        ctx.report("难点堵点问题", Blocker.objects.filter(city=ctx.city).count())
        return
    pairs = _projects(ctx)
    escalated = []
    for (category, description, request, account, state), (owner, project) in zip(
        STORIES, pairs, strict=False
    ):
        county = _officer(ctx, project)
        department = ctx.users.get(account)
        if county is None or department is None:
            continue
        blocker = blocker_create(
            user=owner, project_id=project.pk, category=category, description=description, request=request
        )
        if state == "raised":
            continue
        if state == "returned":
            blocker_act(
                user=county, blocker_id=blocker.pk, action="return", text="属企业内部管理事项，请企业自行解决"
            )
            continue
        blocker_act(user=county, blocker_id=blocker.pk, action="accept")
        if state == "accepted":
            continue
        overdue = state in ("city", "leader")
        blocker_act(
            user=county,
            blocker_id=blocker.pk,
            action="assign",
            department_id=department.organization_id,
            deadline_workdays=5,
            today=ctx.today - timedelta(days=30 if overdue else 2),
        )
        if state == "assigned":
            continue
        if state in ("in_progress", "city", "leader"):
            blocker_act(
                user=department, blocker_id=blocker.pk, action="answer", text="已组织现场会商，正在办理"
            )
        if overdue:
            blocker_act(
                user=county,
                blocker_id=blocker.pk,
                action="escalate",
                text="逾期未办结，县级无法协调",
                today=ctx.today,
            )
            escalated.append(blocker)
            if state == "leader" and leader is not None:
                blocker_act(user=office, blocker_id=blocker.pk, action="escalate", text="协调调度会未能解决")
                blocker_act(
                    user=leader,
                    blocker_id=blocker.pk,
                    action="instruct",
                    text="请市财政局、行政审批服务局一周内拿出方案",
                )
            continue
        if state in ("resolved", "closed"):
            blocker_act(
                user=department, blocker_id=blocker.pk, action="resolve", text="已办结，相关手续已完成"
            )
        if state == "closed":
            blocker_act(user=owner, blocker_id=blocker.pk, action="rate", rating="satisfied", text="办理及时")
    _meeting(ctx, office, escalated)
    ctx.report("难点堵点问题", Blocker.objects.filter(city=ctx.city).count())
    ctx.report("协调调度会议定事项", Decision.objects.filter(city=ctx.city).count())


def _meeting(ctx: DemoContext, office: User, blockers: list[Blocker]) -> None:
    if not blockers or ctx.city is None:
        return
    meeting = Meeting.objects.create(
        city=ctx.city,
        title="市重点项目协调调度会（第一次）",
        held_on=ctx.today - timedelta(days=7),
        place="市政府第一会议室",
        chair="常务副市长",
        created_by=office,
    )
    for blocker in blockers:
        agenda_add(user=office, meeting_id=meeting.pk, blocker_id=blocker.pk)
    departments = {
        o.name: o for o in Organization.objects.filter(city=ctx.city, name__in=DEPARTMENTS.values())
    }
    shengtai, ziran = departments.get(DEPARTMENTS["shengtai"]), departments.get(DEPARTMENTS["ziranziyuan"])
    if shengtai is None or ziran is None:
        return
    first = decision_add(
        user=office,
        meeting_id=meeting.pk,
        text="市生态环境局牵头，从关停企业腾退指标中调剂能耗和排放总量",
        department_id=shengtai.pk,
        deadline=ctx.today + timedelta(days=10),
        blocker_id=blockers[0].pk,
    )
    decision_add(
        user=office,
        meeting_id=meeting.pk,
        text="市自然资源和规划局对全市重点项目用地需求摸底，建立用地保障清单",
        department_id=ziran.pk,
        deadline=ctx.today - timedelta(days=1),
    )
    if first.status == DecisionStatus.OPEN and (officer := ctx.users.get("shengtai")) is not None:
        decision_done(user=officer, decision_id=first.pk, note="已调剂能耗指标1.2万吨标准煤", today=ctx.today)
