"""Who sees which projects and may do what: the one table every permission check reads.

Each role has, in `ACCESS`:

- `sees`: the scopes whose projects it reads (their union). A scope turns a user into a filter on
  projects; the built-in ones are the province (every city of it), the city (the tenant), the region
  (a county's subtree, any depth), the enterprise (the projects it owns) and the assigned (projects
  where something is assigned to the user's department, from the sources the apps register);
- `acts_on`: the scope of the projects it may change, within what it sees (none: it changes nothing), and
  `acts_also`, the scopes later apps add to it (a task force's projects, for its members);
- `may`: the actions it may take, named ``<record>.<verb>`` (the list is `ACTIONS`), on the records of
  the projects it acts on — or, for actions on no project (opening a round, the city's settings), in
  its own city (the province's defaults, for the province office);
- `locked`, `locked_listed`, `locked_on_create`: the project fields it may not set even on a project
  it changes — on any project, on one of the city's annual list (调度库), and on one it creates.

Pages, API, exports and commands ask through `keyprojects.projects.permissions` and the apps'
`permissions` modules, which read only this table. The apps that come later add their scopes and
grants without editing it: `register_scope` for a new kind of reach (a 包保 leader's own projects, a
task force's, an enterprise helper's), `grant` to give a role a scope or actions, from their
`AppConfig.ready()`.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Organization, Role, User

# A scope's rule: the filter on projects (lookups from `Project`) for a user of an organisation; and,
# where a loaded project answers it without a query, the same rule on one project.
ScopeRule = Callable[[User, Organization], Q]
ScopeTest = Callable[[Organization, Any], bool]
AssignmentSource = Callable[[Organization], QuerySet]


@dataclass(frozen=True)
class Scope:
    name: str
    rule: ScopeRule
    whole_tenant: bool = False  # every project of the user's city (or province): no per-row filter needed
    holds: ScopeTest | None = None
    # the rule reads only a project's city and region: it filters as well any table keyed by them (the
    # project list's tallies), so that totals need not scan the projects
    by_region: bool = False


_scopes: dict[str, Scope] = {}
_assignment_sources: list[AssignmentSource] = []


def register_scope(
    name: str,
    rule: ScopeRule,
    *,
    whole_tenant: bool = False,
    holds: ScopeTest | None = None,
    by_region: bool = False,
) -> None:
    _scopes[name] = Scope(name, rule, whole_tenant, holds, by_region)


def register_department_assignments(source: AssignmentSource) -> None:
    """Add a source of project ids that count as assigned to a department (e.g. plan nodes)."""
    if source not in _assignment_sources:
        _assignment_sources.append(source)


def _assigned(user: User, org: Organization) -> Q:
    condition = Q(pk__in=[])
    for source in _assignment_sources:
        condition |= Q(pk__in=source(org))
    return Q(city_id=org.city_id) & condition


register_scope(
    "province",
    lambda user, org: Q(region__path__startswith=org.region.path),
    whole_tenant=True,
    by_region=True,
)
register_scope(
    "city",
    lambda user, org: Q(city_id=org.city_id),
    whole_tenant=True,
    holds=lambda org, project: project.city_id == org.city_id,
    by_region=True,
)
register_scope(
    "region",
    lambda user, org: Q(city_id=org.city_id, region__path__startswith=org.region.path),
    by_region=True,
)
register_scope(
    "enterprise",
    lambda user, org: Q(city_id=org.city_id, owner=org),
    holds=lambda org, project: project.city_id == org.city_id and project.owner_id == org.pk,
)
register_scope("assigned", _assigned)

ACTIONS: dict[str, str | Promise] = {
    "accounts.manage": _("管理账号和机构"),
    "security.manage": _("管理角色权限、密码和登录策略，解锁账号"),
    "audit.read": _("查阅和导出审计记录"),
    "project.create": _("新建项目"),
    "project.edit": _("修改项目"),
    "project.key_figures": _("直接修改调度库项目的关键指标"),
    "project.list": _("将项目纳入、调出调度库或退出调度库项目"),
    "project.move_pipeline": _("调整项目入库状态"),
    "project.hold": _("将项目暂缓或退出"),
    "change.list": _("查看调整申请"),
    "change.request": _("提交调整申请"),
    "change.decide": _("审批调整申请"),
    "node.plan": _("制定和调整节点计划"),
    "node.outcome_own": _("填写本单位办理的节点"),
    "node.outcome_assigned": _("办理分派给本部门的节点"),
    "node.queue": _("查看部门节点队列"),
    "template.read": _("查看节点模板"),
    "template.edit": _("修改节点模板"),
    "settings.edit": _("修改设置"),
    "round.open": _("开启调度期"),
    "report.fill": _("填报月度报告"),
    "report.fill_on_behalf": _("代项目单位填报月度报告"),
    "report.review": _("审核月度报告"),
    "statistics.edit": _("登记入库纳统"),
    "rates.compare_cities": _("比较各市的三率"),
}

OWNER_LOCKED = frozenset({"level", "pipeline", "year", "list_kind", "region", "owner", "leader", "is_public"})
LISTED_KEY_FIELDS = (
    "annual_investment", "total_investment", "level", "planned_start", "planned_end", "leader_name", "leader_post",
)  # fmt: skip


@dataclass(frozen=True)
class RoleAccess:
    sees: tuple[str, ...] = ()
    acts_on: str | None = None
    may: frozenset[str] = field(default_factory=frozenset)
    locked: frozenset[str] = field(default_factory=frozenset)
    locked_listed: frozenset[str] = field(default_factory=frozenset)
    locked_on_create: frozenset[str] = field(default_factory=frozenset)
    # the scopes whose projects it changes besides `acts_on` (granted by later apps: a task force's)
    acts_also: tuple[str, ...] = ()

    @property
    def acting_scopes(self) -> tuple[str, ...]:
        return (*([self.acts_on] if self.acts_on else []), *self.acts_also)


ACCESS: dict[str, RoleAccess] = {
    # 三员分立: the three administrators see no project, and each holds one part of the administration.
    # They are the installation's (one set for a province's install, whatever organisation they belong to):
    # their actions reach every account, lock, second factor and audit record of it, never narrowed to a city.
    Role.SYSTEM_ADMIN: RoleAccess(may=frozenset({"accounts.manage"})),
    Role.SECURITY_ADMIN: RoleAccess(may=frozenset({"security.manage"})),
    Role.AUDIT_ADMIN: RoleAccess(may=frozenset({"audit.read"})),
    Role.PROVINCE_OFFICER: RoleAccess(
        sees=("province",), may=frozenset({"settings.edit", "rates.compare_cities"})
    ),
    Role.CITY_ADMIN: RoleAccess(
        sees=("city",),
        acts_on="city",
        may=frozenset(
            {
                "project.create",
                "project.edit",
                "project.key_figures",
                "project.list",
                "project.move_pipeline",
                "project.hold",
                "change.list",
                "change.decide",
                "node.plan",
                "node.queue",
                "template.read",
                "template.edit",
                "settings.edit",
                "round.open",
                "report.review",
                "statistics.edit",
            }
        ),
    ),
    Role.LEADER: RoleAccess(sees=("city",), may=frozenset({"change.list", "node.queue", "template.read"})),
    Role.COUNTY_OFFICER: RoleAccess(
        sees=("region",),
        acts_on="region",
        may=frozenset(
            {
                "project.create",
                "project.edit",
                "project.move_pipeline",
                "project.hold",
                "change.list",
                "change.request",
                "node.plan",
                "node.queue",
                "template.read",
                "report.fill_on_behalf",
                "report.review",
                "statistics.edit",
            }
        ),
        # a 包保 leader's account is linked, and a project published as open data, by the city office
        locked=frozenset({"pipeline", "leader", "is_public"}),
        locked_listed=frozenset({"pipeline", "year", "list_kind", "leader", "is_public", *LISTED_KEY_FIELDS}),
        locked_on_create=frozenset({"pipeline", "leader", "is_public"}),
    ),
    Role.DEPARTMENT_OFFICER: RoleAccess(sees=("assigned",), may=frozenset({"node.outcome_assigned"})),
    Role.PROJECT_OWNER: RoleAccess(
        sees=("enterprise",),
        acts_on="enterprise",
        may=frozenset(
            {
                "project.create",
                "project.edit",
                "change.list",
                "change.request",
                "node.outcome_own",
                "report.fill",
            }
        ),
        locked=OWNER_LOCKED,
        locked_listed=OWNER_LOCKED | frozenset(LISTED_KEY_FIELDS),
        locked_on_create=frozenset({"level", "pipeline", "list_kind", "owner", "stage", "is_public"}),
    ),
}


def declare_actions(actions: Mapping[str, str | Promise]) -> None:
    """Name a later app's actions with their labels (from its `AppConfig.ready()`), before `grant` gives them."""
    ACTIONS.update(actions)


def grant(
    role: str, *, sees: Iterable[str] = (), acts_on: Iterable[str] = (), may: Iterable[str] = ()
) -> None:
    """Give a role more reach or more actions (from a later app's `AppConfig.ready()`); `acts_on` adds
    scopes whose projects it changes too, beside its own (`RoleAccess.acts_also`)."""
    current = ACCESS.get(role, RoleAccess())
    ACCESS[role] = replace(
        current,
        sees=tuple(dict.fromkeys((*current.sees, *sees))),
        acts_also=tuple(dict.fromkeys((*current.acts_also, *acts_on))),
        may=current.may | frozenset(may),
    )


def role_access(user: User) -> RoleAccess:
    if not (user.is_authenticated and user.is_active):
        return RoleAccess()
    return ACCESS.get(user.role, RoleAccess())


def may(user: User, action: str) -> bool:
    """Whether the user's role may take `action` at all (on which records: `acts_on`)."""
    return action in role_access(user).may


def sees_projects(user: User) -> bool:
    return bool(role_access(user).sees) and user.organization_id is not None


def sees_whole_tenant(user: User) -> bool:
    """Whether the user reads every project of its city (or its province): no per-row filter."""
    sees = role_access(user).sees
    return bool(sees) and all(_scopes[name].whole_tenant for name in sees)


def sees_by_region(user: User) -> bool:
    """Whether what the user sees is a set of whole regions (`project_filter` then also filters tables
    keyed by city and region)."""
    sees = role_access(user).sees
    return bool(sees) and all(_scopes[name].by_region for name in sees)


def _condition(user: User, names: Iterable[str]) -> Q | None:
    org = user.organization
    if org is None:
        return None
    condition: Q | None = None
    for name in names:
        rule = _scopes[name].rule(user, org)
        condition = rule if condition is None else condition | rule
    return condition


def project_filter(user: User) -> Q:
    """The projects the user sees, as a filter on projects (nothing when it sees none)."""
    condition = _condition(user, role_access(user).sees)
    return Q(pk__in=[]) if condition is None else condition


def acting_holds(user: User, project: Any) -> bool | None:
    """Whether a loaded project lies in the scopes the user changes, when they can tell without a
    query (None: ask the database with `acting_filter`)."""
    names = role_access(user).acting_scopes
    if not names or user.organization is None:
        return False
    tests = [_scopes[name].holds for name in names]
    if any(test is not None and test(user.organization, project) for test in tests):
        return True
    return False if all(test is not None for test in tests) else None


def acting_filter(user: User) -> Q:
    """The projects the user may change, as a filter on projects (nothing when it changes none)."""
    names = role_access(user).acting_scopes
    condition = _condition(user, names) if names else None
    return Q(pk__in=[]) if condition is None else condition
