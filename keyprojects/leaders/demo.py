"""The demo city's leaders and task forces: three city leaders with accounts, each the 包保 leader of
some of the city's provincial and municipal projects (the projects whose blockers climbed to the
leaders are the `leader` account's), and the task forces — one per 工作专班 named on the provincial
projects' records, formed of the county office, the owner and the departments concerned, and a
cross-county one for the transport projects. Idempotent: what is already so is left as it is."""

from keyprojects.accounts.models import Role, User
from keyprojects.accounts.services import role_grant_record
from keyprojects.blockers.models import Blocker, Level
from keyprojects.demo.steps import DemoContext
from keyprojects.projects.models import Category, Project
from keyprojects.projects.models import Level as ProjectLevel
from keyprojects.projects.services import project_update

from .models import TaskForce
from .services import task_force_save

# the accounts of the leaders the demo adds beside `leader`: username, name, post
LEADERS = [
    ("leader-wang", "王立新", "市委常委、常务副市长"),
    ("leader-zhao", "赵红梅", "副市长"),
]
DEPARTMENT_ACCOUNTS = ["ziranziyuan", "shengtai", "shenpi", "zhujian"]
TRANSPORT_TASK_FORCE = "重大交通基础设施项目工作专班"


def _leader_accounts(ctx: DemoContext, first: User) -> list[User]:
    leaders = [first]
    for username, name, post in LEADERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": Role.LEADER,
                "organization": first.organization,
                "full_name": name,
                "post": post,
                "password": first.password,
            },
        )
        if created:
            role_grant_record(user=user, actor=None, old_role="", old_organization=None)
        ctx.users[username] = user
        leaders.append(user)
    return leaders


def _link_leaders(ctx: DemoContext, office: User, leaders: list[User]) -> int:
    rng = ctx.rng("leaders")
    projects = list(
        Project.objects.filter(city=ctx.city, year=ctx.year).exclude(level=ProjectLevel.COUNTY).order_by("pk")
    )
    escalated = set(
        Blocker.objects.filter(city=ctx.city, level=Level.LEADER).values_list("project_id", flat=True)
    )
    for project in projects:
        chosen = leaders[0] if project.pk in escalated else rng.choice(leaders)
        if project.leader_id == chosen.pk:
            continue
        project_update(
            user=office,
            project_id=project.pk,
            data={"leader": chosen, "leader_post": chosen.post},
            version=project.version,
            reason="关联包保领导账号",
        )
    return len(projects)


def _members(ctx: DemoContext, projects: list[Project], departments: list[str]) -> list[int]:
    ids: set[int] = set()
    for project in projects:
        for user in ctx.users.values():
            org = user.organization
            if org is None or org.city_id != project.city_id:
                continue
            county = user.role == Role.COUNTY_OFFICER and project.region.path.startswith(org.region.path)
            owner = user.role == Role.PROJECT_OWNER and org.pk == project.owner_id
            if county or owner:
                ids.add(user.pk)
    ids.update(ctx.users[name].pk for name in departments if name in ctx.users)
    return sorted(ids)


def _lead(ctx: DemoContext, project: Project, office: User) -> int:
    for user in ctx.users.values():
        org = user.organization
        if (
            user.role == Role.COUNTY_OFFICER
            and org is not None
            and project.region.path.startswith(org.region.path)
        ):
            return org.pk
    assert office.organization_id is not None
    return office.organization_id


def _save(office: User, name: str, lead: int, members: list[int], projects: list[Project]) -> None:
    existing = TaskForce.objects.filter(city_id=office.city_id, name=name).first()
    task_force_save(
        user=office,
        task_force_id=existing.pk if existing else None,
        name=name,
        lead_organization_id=lead,
        member_ids=members,
        project_ids=[p.pk for p in projects],
    )


def _task_forces(ctx: DemoContext, office: User) -> None:
    rng = ctx.rng("task_forces")
    named: dict[str, list[Project]] = {}
    for project in (
        Project.objects.filter(city=ctx.city).exclude(task_force="").select_related("region").order_by("pk")
    ):
        named.setdefault(project.task_force, []).append(project)
    for name, projects in named.items():
        departments = rng.sample(DEPARTMENT_ACCOUNTS, 2)
        _save(office, name, _lead(ctx, projects[0], office), _members(ctx, projects, departments), projects)
    transport = list(
        Project.objects.filter(city=ctx.city, year=ctx.year, category=Category.INFRASTRUCTURE)
        .exclude(level=ProjectLevel.COUNTY)
        .select_related("region")
        .order_by("-total_investment", "pk")[:8]
    )
    if transport:
        housing = ctx.users.get("zhujian")
        lead = housing.organization_id if housing and housing.organization_id else office.organization_id
        assert lead is not None
        members = _members(ctx, transport, ["zhujian", "ziranziyuan", "shenpi"])
        _save(office, TRANSPORT_TASK_FORCE, lead, members, transport)


def load(ctx: DemoContext) -> None:
    office, leader = ctx.users.get(ctx.place.office_username), ctx.users.get("leader")
    if ctx.city is None or office is None or leader is None or leader.city_id != ctx.city.pk:
        return
    leaders = _leader_accounts(ctx, leader)
    linked = _link_leaders(ctx, office, leaders)
    _task_forces(ctx, office)
    ctx.report("包保领导账号", len(leaders))
    ctx.report("关联包保领导的项目", linked)
    ctx.report("工作专班", TaskForce.objects.filter(city=ctx.city).count())
