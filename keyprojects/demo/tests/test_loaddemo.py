"""`keyprojects loaddemo`: the demo city as a person trying the platform meets it."""

import datetime
import io
import random
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from keyprojects.accounts.models import Organization, Region, Role, RoleGrant, User
from keyprojects.demo import projects as demo_projects
from keyprojects.demo import steps
from keyprojects.demo.city import COUNTIES, ENTERPRISES, LIAOCHENG
from keyprojects.projects import services
from keyprojects.projects.codes import validate_code
from keyprojects.projects.models import Pipeline, Project, ProjectEvent, ProjectSearch, Stage
from keyprojects.projects.selectors import ProjectFilters, project_list

COUNTY_ACCOUNTS = [
    "dongchangfu", "chiping", "yanggu", "shenxian", "donge", "guanxian",
    "gaotang", "linqing", "gaoxin", "jingkai", "dujiaqu",
]  # fmt: skip
DEPARTMENT_ACCOUNTS = {"ziranziyuan": "自然资源和规划局", "shengtai": "生态环境局", "shenpi": "行政审批服务局",
                       "zhujian": "住建局"}  # fmt: skip
pytestmark = pytest.mark.usefixtures("clock")  # the demo is of the pinned today's year


def loaddemo() -> str:
    out = io.StringIO()
    call_command("loaddemo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    return {
        "regions": sorted(Region.objects.values_list("code", "name", "kind", "parent__code", "is_gb_code")),
        "organizations": sorted(Organization.objects.values_list("name", "kind", "region__code")),
        "users": sorted(User.objects.values_list("username", "role", "organization__name", "password")),
        # two cities may draw the same generated name, one with a code and one without: sort as text
        "projects": sorted(
            Project.objects.values_list(
                "name", "code", "region__code", "owner__name", "stage", "total_investment"
            ),
            key=str,
        ),
        "events": ProjectEvent.objects.count(),
    }


@pytest.fixture(autouse=True)
def foundation_only(monkeypatch):
    """The foundation's part of the demo; the later apps test their own steps."""
    monkeypatch.setattr(steps, "DEMO_STEPS", steps.FOUNDATION_STEPS)


@pytest.fixture
def demo(db):
    return loaddemo()


def test_builds_the_city_its_offices_and_one_account_per_role(demo):
    regions = {r.code: r for r in Region.objects.select_related("parent")}
    assert regions["371500"].name == "聊城市" and regions["371500"].parent.code == "370000"
    for code, name in [("371502", "东昌府区"), ("371503", "茌平区"), ("371521", "阳谷县"), ("371522", "莘县"),
                       ("371524", "东阿县"), ("371525", "冠县"), ("371526", "高唐县"), ("371581", "临清市")]:  # fmt: skip
        assert (regions[code].name, regions[code].parent.code, regions[code].is_gb_code) == (
            name,
            "371500",
            True,
        )
    zones = {r.name for r in regions.values() if not r.is_gb_code}
    assert zones == {"聊城经济技术开发区", "聊城高新技术产业开发区", "江北水城旅游度假区"}

    kinds = Organization.Kind
    liaocheng = Organization.objects.filter(city__code="371500")
    assert liaocheng.filter(kind=kinds.CITY_OFFICE).count() == 1
    assert liaocheng.filter(kind=kinds.COUNTY_OFFICE).count() == 11
    departments = set(liaocheng.filter(kind=kinds.DEPARTMENT).values_list("short_name", flat=True))
    assert {"自然资源和规划局", "生态环境局", "行政审批服务局", "住建局", "工信局", "投资促进局", "商务局",
            "统计局", "供电公司"} <= departments  # fmt: skip

    users = {
        u.username: u
        for u in User.objects.filter(organization__city__code="371500").select_related("organization__region")
    }
    assert users["admin"].role == Role.SYSTEM_ADMIN
    assert users["city"].role == Role.CITY_ADMIN and users["city"].organization.kind == kinds.CITY_OFFICE
    assert users["leader"].role == Role.LEADER
    for username, county in zip(COUNTY_ACCOUNTS, COUNTIES, strict=True):
        user = users[username]
        assert (user.role, user.organization.kind, user.organization.region.code) == (
            Role.COUNTY_OFFICER, kinds.COUNTY_OFFICE, county.code
        )  # fmt: skip
    for username, short in DEPARTMENT_ACCOUNTS.items():
        assert (users[username].role, users[username].organization.short_name) == (
            Role.DEPARTMENT_OFFICER,
            short,
        )
    assert users["owner-aobo"].organization.short_name == "奥博生物"
    owners = {name for name, u in users.items() if u.role == Role.PROJECT_OWNER}
    assert owners == {f"owner-{pinyin}" for pinyin, *_ in ENTERPRISES}
    assert len(owners) >= 12
    assert len(users) == 3 + 3 + 11 + 4 + len(owners)  # 3: sysadmin, secadmin, auditor
    assert "owner-aobo" in demo and "Demo-2024!" in demo


def test_about_400_projects_of_this_year_with_the_real_ones_and_every_stage(demo):
    year = timezone.localdate().year
    projects = Project.objects.filter(city__code="371500", year=year)
    assert projects.count() == 400
    assert ProjectEvent.objects.filter(city__code="371500", kind=ProjectEvent.Kind.CREATED).count() == 400

    aobo = projects.get(name="奥博生物新型糖醇及氨基酸智造项目")
    assert (aobo.region.code, aobo.total_investment, aobo.owner.short_name) == (
        "371526",
        Decimal(516000),
        "奥博生物",
    )
    lugang = projects.get(name="冠州国际陆港项目")
    assert (lugang.region.code, lugang.total_investment, lugang.land_area) == (
        "371525",
        Decimal(1020000),
        3207,
    )
    assert projects.get(name="浪潮聊城智能生产基地项目").region.name == "聊城高新技术产业开发区"

    stages = set(projects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert set(projects.values_list("region__code", flat=True)) == {c.code for c in COUNTIES}
    scheduled = projects.filter(pipeline=Pipeline.SCHEDULED).count()
    assert scheduled > 0.8 * 400
    for project in projects.exclude(stage=Stage.PLANNING).select_related("region"):
        assert validate_code(project.code, region=project.region) == project.code
    assert not projects.filter(stage=Stage.PLANNING, code__isnull=False).exists()
    assert ProjectSearch.objects.filter(project__in=projects).count() == projects.count()


def test_running_twice_changes_nothing(demo):
    before = snapshot()
    out = loaddemo()
    assert snapshot() == before
    assert "本次新建 0 个" in out


def test_every_demo_account_can_log_in_with_the_demo_password(demo, client):
    for user in User.objects.all():
        response = client.post(
            reverse("accounts:login"), {"username": user.username, "password": "Demo-2024!"}
        )
        assert response.status_code == 302, user.username
        assert client.session["_auth_user_id"] == str(user.pk)
        client.logout()


def test_the_password_can_be_overridden(db, client, settings):
    settings.KEYPROJECTS_DEMO_PASSWORD = "Another-demo-9"
    assert "Another-demo-9" in loaddemo()
    response = client.post(reverse("accounts:login"), {"username": "gaotang", "password": "Another-demo-9"})
    assert response.status_code == 302


def test_the_three_administrators_each_open_their_part_and_none_is_a_superuser(demo, client):
    parts = {
        "admin": ("user", "region", "organization"),
        "sysadmin": ("user", "region", "organization"),
        "secadmin": ("user", "rolegrant", "lockout"),
    }
    for username, models in parts.items():
        person = User.objects.get(username=username)
        assert person.is_staff and not person.is_superuser and not person.user_permissions.exists()
        client.force_login(person)
        for model in models:
            assert client.get(f"/admin/accounts/{model}/").status_code == 200, (username, model)
    auditor = User.objects.get(username="auditor")
    assert (auditor.role, auditor.is_superuser) == (Role.AUDIT_ADMIN, False)


def test_demo_projects_pass_the_rules_of_the_services_and_search(demo):
    city = User.objects.get(username="city")
    sample = random.Random(7).sample(list(Project.objects.filter(city__code="371500").order_by("id")), 40)
    for project in sample:
        saved = services.project_update(
            user=city,
            project_id=project.pk,
            data={"remarks": f"{project.remarks}抽查"},
            version=project.version,
        )
        assert saved.version == project.version + 1
    found = project_list(user=city, filters=ProjectFilters(q="奧博生物"))
    assert [p.name for p in found] == ["奥博生物新型糖醇及氨基酸智造项目"]
    county = User.objects.get(username="guanxian")
    assert set(project_list(user=county).values_list("region__code", flat=True)) == {"371525"}


def test_the_generator_is_deterministic():
    today = timezone.localdate()
    first = demo_projects.build_specs(LIAOCHENG, random.Random(1), today.year, today)
    again = demo_projects.build_specs(LIAOCHENG, random.Random(1), today.year, today)
    assert [s.fields for s in first] == [s.fields for s in again]
    assert len({s.fields["name"] for s in first}) == 400


seen: list[int] = []


def record_projects(ctx: steps.DemoContext) -> None:
    seen.append(len(ctx.projects))


def test_later_steps_run_after_the_foundation_and_missing_ones_are_skipped(db, monkeypatch):
    seen.clear()
    monkeypatch.setattr(
        steps,
        "DEMO_STEPS",
        [*steps.FOUNDATION_STEPS, "keyprojects.no_such_app.demo.load", f"{__name__}.record_projects"],
    )
    out = loaddemo()
    assert "keyprojects.no_such_app.demo.load" in out
    assert seen == [400, 40]  # 聊城's steps, then 德州's


def test_the_province_holds_a_second_small_city_of_its_own(demo):
    """德州: three counties, about 40 projects, its own office, a county and an owner account; the
    province office reads both cities, each city office its own."""
    dezhou = Region.objects.get(code="371400")
    assert (dezhou.name, dezhou.parent.code) == ("德州市", "370000")
    assert sorted(dezhou.subtree().exclude(pk=dezhou.pk).values_list("code", "name")) == [
        ("371402", "德城区"),
        ("371425", "齐河县"),
        ("371482", "禹城市"),
    ]
    year = timezone.localdate().year
    theirs = Project.objects.filter(city=dezhou, year=year)
    assert 35 <= theirs.count() <= 45
    users = {u.username: u for u in User.objects.select_related("organization")}
    assert users["dezhou"].role == Role.CITY_ADMIN and users["dezhou"].organization.city == dezhou
    assert users["qihe"].role == Role.COUNTY_OFFICER
    assert users["owner-dezhou-baolingbao"].organization.short_name == "保龄宝"
    assert users["province"].role == Role.PROVINCE_OFFICER and users["province"].organization.city is None
    seen = {name: set(project_list(user=users[name]).values_list("city__code", flat=True)) for name in
            ("city", "leader", "dezhou", "qihe", "owner-dezhou-baolingbao", "province")}  # fmt: skip
    assert seen == {
        "city": {"371500"},
        "leader": {"371500"},
        "dezhou": {"371400"},
        "qihe": {"371400"},
        "owner-dezhou-baolingbao": {"371400"},
        "province": {"371400", "371500"},
    }
    assert set(project_list(user=users["qihe"]).values_list("region__code", flat=True)) == {"371425"}
    for project in theirs.exclude(stage=Stage.PLANNING).select_related("region"):
        assert validate_code(project.code, region=project.region) == project.code


def test_the_year_list_exists_before_the_year_so_past_rates_count_it(demo):
    """The rates of an early date in the year count the demo list (projects created later would not)."""
    from keyprojects.accounts.models import User
    from keyprojects.metrics.selectors import MetricsQuery, metrics

    year = timezone.localdate().year
    created = ProjectEvent.objects.filter(kind=ProjectEvent.Kind.CREATED)
    assert created.exists() and not created.filter(created_at__year__gte=year).exists()
    query = MetricsQuery.build(as_of=datetime.date(year, 1, 31))
    assert metrics(user=User.objects.get(username="city"), query=query).start_rate.denominator > 300


def test_production_settings_need_force(db, settings):
    settings.KEYPROJECTS_PRODUCTION = True
    settings.KEYPROJECTS_DEMO_PASSWORD = ""
    with pytest.raises(CommandError, match="--force"):
        loaddemo()
    assert not User.objects.exists()


@pytest.mark.parametrize("configured", ["", "Demo-2024!"])
def test_production_never_uses_the_published_password(db, settings, client, configured):
    settings.KEYPROJECTS_PRODUCTION = True
    settings.KEYPROJECTS_DEMO_PASSWORD = configured
    out = io.StringIO()
    call_command("loaddemo", "--force", stdout=out)
    generated = re.search(r"随机生成密码：(\S+)", out.getvalue()).group(1)
    assert generated != "Demo-2024!"
    assert not User.objects.get(username="city").check_password("Demo-2024!")
    assert User.objects.get(username="city").check_password(generated)


def test_production_takes_the_configured_password(db, settings):
    settings.KEYPROJECTS_PRODUCTION = True
    settings.KEYPROJECTS_DEMO_PASSWORD = "Prod-demo-77x"
    call_command("loaddemo", "--force", stdout=io.StringIO())
    assert User.objects.get(username="gaotang").check_password("Prod-demo-77x")


def test_every_demo_account_has_a_recorded_role_grant(demo):
    assert RoleGrant.objects.filter(actor=None).count() == User.objects.count()
    loaddemo()
    assert RoleGrant.objects.count() == User.objects.count()


@pytest.mark.django_db
def test_the_demo_queues_one_refresh_of_the_warnings_not_one_per_project(
    settings, django_capture_on_commit_callbacks
):
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        loaddemo()
    assert Project.objects.count() > 300
    queued = [result.task.name for result in default_task_backend.results]  # type: ignore[attr-defined]
    assert queued == ["refresh_all_warnings"]
