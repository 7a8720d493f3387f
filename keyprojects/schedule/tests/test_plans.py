import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from keyprojects.core.errors import ApplicationError, PreconditionRequiredError, StaleVersionError
from keyprojects.core.tests.clock import session_today
from keyprojects.projects.models import ApprovalType, Category, Project, ProjectEvent, Stage
from keyprojects.projects.permissions import project_access, visible_projects
from keyprojects.projects.services import project_transition, project_update
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.schedule.models import NodeCode, NodeEvent, NodeTemplate, PlanNode
from keyprojects.schedule.services import node_templates_seed, plan_create_from_template, plan_node_update
from keyprojects.schedule.workdays import is_workday

TODAY = session_today()
pytestmark = pytest.mark.usefixtures("clock")  # the dates below are the pinned today


def node(project, code):
    return PlanNode.objects.get(project=project, code=code)


def test_default_templates_follow_the_path_of_the_domain(city, templates):
    assert NodeTemplate.objects.count() == 6
    assert node_templates_seed(city=city.liaocheng) == []  # seeding again changes nothing
    approval = NodeTemplate.objects.get(approval_type=ApprovalType.APPROVAL, kind="industrial")
    codes = list(approval.nodes.values_list("code", flat=True))
    assert codes == [
        "project_approval", "land_preapproval", "land_supply", "land_planning_permit",
        "works_planning_permit", "environment", "energy", "construction_permit", "start",
        "main_works_done", "acceptance", "production", "capacity",
    ]  # fmt: skip
    infra = NodeTemplate.objects.get(approval_type=ApprovalType.APPROVAL, kind="infrastructure")
    assert "production" not in set(infra.nodes.values_list("code", flat=True))
    land = approval.nodes.get(code=NodeCode.LAND_SUPPLY)
    assert land.department.name == "聊城市自然资源和规划局"
    assert approval.nodes.get(code=NodeCode.ENVIRONMENT).department.name == "聊城市生态环境局"
    offsets = [n.offset_days for n in approval.nodes.filter(relative_to_end=False)]
    assert offsets == sorted(offsets) and offsets[-1] == 0


def test_plan_dates_fall_on_working_days_from_the_matching_template(city, templates, project):
    plan = plan_create_from_template(user=city.county, project_id=project.pk)
    template = NodeTemplate.objects.get(approval_type=ApprovalType.FILING, kind="industrial")
    assert [n.code for n in plan] == list(template.nodes.values_list("code", flat=True))
    assert all(is_workday(n.planned_date) for n in plan)
    assert node(project, NodeCode.START).planned_date == datetime.date(2026, 3, 2)
    # 竣工验收 is counted from the planned completion: Wed 30 Jun 2027.
    assert node(project, NodeCode.ACCEPTANCE).planned_date == datetime.date(2027, 6, 30)
    # 投产 30 days later falls on Fri 30 Jul 2027; 施工许可 15 days before the start falls on Sun 15 Feb
    # 2026, the first day of the Spring Festival holiday, so it moves to the first working day after it.
    assert node(project, NodeCode.PRODUCTION).planned_date == datetime.date(2027, 7, 30)
    assert node(project, NodeCode.CONSTRUCTION_PERMIT).planned_date == datetime.date(2026, 2, 24)
    assert NodeEvent.objects.filter(project=project, kind=NodeEvent.Kind.PLAN_CREATED).count() == 1


def test_a_planned_date_on_a_holiday_moves_to_the_next_working_day(city, templates):
    project = ProjectFactory(
        region=city.guanxian,
        category=Category.INFRASTRUCTURE,
        approval_type=ApprovalType.APPROVAL,
        planned_start=datetime.date(2024, 10, 1),
        planned_end=datetime.date(2025, 12, 31),
    )
    plan_create_from_template(user=city.city_admin, project_id=project.pk)
    assert node(project, NodeCode.START).planned_date == datetime.date(2024, 10, 8)
    assert not PlanNode.objects.filter(project=project, code=NodeCode.PRODUCTION).exists()


def test_plan_creation_refusals(city, templates, project):
    bare = ProjectFactory(region=city.guanxian, planned_start=None)
    with pytest.raises(ApplicationError) as exc:
        plan_create_from_template(user=city.county, project_id=bare.pk)
    assert "planned_start" in exc.value.errors
    with pytest.raises(Http404):
        plan_create_from_template(user=city.other_county, project_id=project.pk)
    with pytest.raises(PermissionDenied):
        plan_create_from_template(user=city.leader, project_id=project.pk)
    plan_create_from_template(user=city.owner, project_id=project.pk)
    with pytest.raises(ApplicationError):
        plan_create_from_template(user=city.county, project_id=project.pk)
    assert PlanNode.objects.filter(project=project).count() == 12


def test_a_started_project_gets_its_start_node_done(city, templates):
    project = ProjectFactory(
        region=city.guanxian, stage=Stage.UNDER_CONSTRUCTION, actual_start=datetime.date(2025, 5, 6)
    )
    plan_create_from_template(user=city.city_admin, project_id=project.pk)
    assert node(project, NodeCode.START).actual_date == datetime.date(2025, 5, 6)
    assert node(project, NodeCode.ACCEPTANCE).actual_date is None


def test_a_department_sees_exactly_the_projects_with_its_nodes(city, templates, project):
    other = ProjectFactory(region=city.guanxian)
    officer = city.department_officer
    assert not visible_projects(officer).exists()
    plan_create_from_template(user=city.county, project_id=project.pk)
    assert list(visible_projects(officer)) == [project]
    assert project_access(officer, project.pk) == project
    with pytest.raises(Http404):
        project_access(officer, other.pk)


def test_node_edits_need_the_current_version(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    supply = node(project, NodeCode.LAND_SUPPLY)
    new_date = datetime.date(2026, 1, 20)
    with pytest.raises(PreconditionRequiredError):
        plan_node_update(user=city.county, node_id=supply.pk, version=None, data={"planned_date": new_date})
    updated = plan_node_update(
        user=city.county, node_id=supply.pk, version=1, data={"planned_date": new_date}, reason="挂牌延后"
    )
    assert updated.version == 2
    with pytest.raises(StaleVersionError):
        plan_node_update(
            user=city.city_admin,
            node_id=supply.pk,
            version=1,
            data={"planned_date": datetime.date(2026, 1, 5)},
            reason="统筹",
        )
    supply.refresh_from_db()
    assert supply.planned_date == new_date
    event = NodeEvent.objects.get(node=supply, kind=NodeEvent.Kind.UPDATED)
    assert (event.field, event.old, event.new, event.actor, event.reason) == (
        "planned_date",
        {"t": "date", "v": "2025-11-17"},
        {"t": "date", "v": "2026-01-20"},
        city.county,
        "挂牌延后",
    )


def test_a_planned_date_moves_only_with_a_reason(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    start = node(project, NodeCode.START)
    for reason in ("", "   "):
        with pytest.raises(ApplicationError) as exc:
            plan_node_update(
                user=city.city_admin,
                node_id=start.pk,
                version=1,
                data={"planned_date": datetime.date(2026, 4, 1)},
                reason=reason,
            )
        assert list(exc.value.errors) == ["reason"]
    assert node(project, NodeCode.START).planned_date == datetime.date(2026, 3, 2)
    # Other fields need no reason.
    plan_node_update(user=city.city_admin, node_id=start.pk, version=1, data={"remarks": "场地已平整"})


def test_only_the_offices_reschedule_or_reassign_a_node(city, templates, project):
    """The owner may neither move a node's date nor give it to another department, not even its own
    steps; the county office of the project's region and the city office may."""
    plan_create_from_template(user=city.county, project_id=project.pk)
    start = node(project, NodeCode.START)  # the owner's own step: no department
    later = {"planned_date": datetime.date(2030, 1, 1)}
    for data in (later, {"department": city.department}):
        with pytest.raises(PermissionDenied):
            plan_node_update(user=city.owner, node_id=start.pk, version=1, data=data, reason="企业要求")
    with pytest.raises(Http404):
        plan_node_update(user=city.other_county, node_id=start.pk, version=1, data=later, reason="改期")
    assert (node(project, NodeCode.START).planned_date, node(project, NodeCode.START).version) == (
        datetime.date(2026, 3, 2),
        1,
    )
    plan_node_update(user=city.county, node_id=start.pk, version=1, data=later, reason="征地延后")
    plan_node_update(user=city.city_admin, node_id=start.pk, version=2, data={"department": city.department})
    assert node(project, NodeCode.START).department == city.department


def test_the_owner_fills_in_its_own_steps_but_not_the_departments(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    supply = node(project, NodeCode.LAND_SUPPLY)  # 自然资源和规划局
    main_works = node(project, NodeCode.MAIN_WORKS_DONE)
    main_works.department = None
    main_works.save()
    with pytest.raises(PermissionDenied):
        plan_node_update(
            user=city.owner, node_id=supply.pk, version=1, data={"actual_date": datetime.date(2025, 12, 1)}
        )
    with pytest.raises(PermissionDenied):
        plan_node_update(user=city.owner, node_id=supply.pk, version=1, data={"remarks": "已拿地"})
    assert node(project, NodeCode.LAND_SUPPLY).actual_date is None
    plan_node_update(
        user=city.owner,
        node_id=main_works.pk,
        version=1,
        data={"remarks": "主体封顶", "evidence_number": "封顶记录1号"},
    )
    assert node(project, NodeCode.MAIN_WORKS_DONE).remarks == "主体封顶"


@pytest.mark.parametrize(
    ("category", "kind"),
    [
        (Category.INDUSTRY, "industrial"),
        (Category.INFRASTRUCTURE, "infrastructure"),
        (Category.SOCIAL, "infrastructure"),
        (Category.URBANIZATION, "infrastructure"),
        (Category.ECOLOGY, "infrastructure"),
    ],
)
def test_the_template_follows_the_kind_of_project(city, templates, category, kind):
    project = ProjectFactory(
        region=city.guanxian,
        category=category,
        approval_type=ApprovalType.APPROVAL,
        planned_start=datetime.date(2026, 5, 6),
        planned_end=datetime.date(2027, 10, 29),
    )
    plan_create_from_template(user=city.county, project_id=project.pk)
    codes = set(PlanNode.objects.filter(project=project).values_list("code", flat=True))
    template = NodeTemplate.objects.get(approval_type=ApprovalType.APPROVAL, kind=kind)
    assert NodeEvent.objects.get(project=project).new == {
        "t": "ref",
        "m": "schedule.nodetemplate",
        "v": template.pk,
        "name": template.name,
    }
    assert ({NodeCode.PRODUCTION, NodeCode.CAPACITY} <= codes) == (kind == "industrial")


def test_the_assigned_department_fills_in_the_outcome_but_not_the_plan(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    supply = node(project, NodeCode.LAND_SUPPLY)  # 自然资源和规划局
    environment = node(project, NodeCode.ENVIRONMENT)  # 生态环境局
    officer = city.department_officer
    done = datetime.date(2025, 12, 30)
    plan_node_update(
        user=officer,
        node_id=supply.pk,
        version=1,
        data={"actual_date": done, "evidence_number": "冠自然资供〔2025〕18号"},
    )
    supply.refresh_from_db()
    assert (supply.actual_date, supply.evidence_number) == (done, "冠自然资供〔2025〕18号")
    with pytest.raises(PermissionDenied):
        plan_node_update(
            user=officer, node_id=supply.pk, version=2, data={"planned_date": datetime.date(2026, 2, 1)}
        )
    with pytest.raises(PermissionDenied):
        plan_node_update(user=officer, node_id=environment.pk, version=1, data={"actual_date": done})
    with pytest.raises(PermissionDenied):
        plan_node_update(user=city.leader, node_id=supply.pk, version=2, data={"remarks": "催办"})
    with pytest.raises(Http404):
        plan_node_update(user=city.other_owner, node_id=supply.pk, version=2, data={"remarks": "x"})


def test_node_input_is_checked_field_by_field(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    supply = node(project, NodeCode.LAND_SUPPLY)
    with pytest.raises(ApplicationError) as exc:
        plan_node_update(
            user=city.county,
            node_id=supply.pk,
            version=1,
            data={
                "actual_date": TODAY + datetime.timedelta(days=1),
                "planned_date": None,
                "department": city.enterprise,
            },
        )
    assert set(exc.value.errors) == {"actual_date", "planned_date", "department"}
    supply.refresh_from_db()
    assert supply.version == 1


@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("批复.pdf", b"%PDF-1.4 minimal", True),
        ("批复.pdf", b"MZ not a pdf", False),
        ("批复.exe", b"%PDF-1.4", False),
        ("照片.png", b"\x89PNG\r\n\x1a\n broken", False),
    ],
)
def test_evidence_must_be_a_real_pdf_or_image(city, templates, project, name, content, accepted):
    plan_create_from_template(user=city.county, project_id=project.pk)
    supply = node(project, NodeCode.LAND_SUPPLY)
    upload = SimpleUploadedFile(name, content)
    if accepted:
        plan_node_update(user=city.county, node_id=supply.pk, version=1, data={"evidence_file": upload})
        supply.refresh_from_db()
        assert supply.evidence_file.name.endswith(".pdf")
        assert supply.evidence_file.read() == content
    else:
        with pytest.raises(ApplicationError) as exc:
            plan_node_update(user=city.county, node_id=supply.pk, version=1, data={"evidence_file": upload})
        assert "evidence_file" in exc.value.errors


def test_a_large_evidence_file_is_refused(city, templates, project, settings):
    plan_create_from_template(user=city.county, project_id=project.pk)
    supply = node(project, NodeCode.LAND_SUPPLY)
    upload = SimpleUploadedFile("批复.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ApplicationError) as exc:
        plan_node_update(user=city.county, node_id=supply.pk, version=1, data={"evidence_file": upload})
    assert "10MB" in str(exc.value.errors["evidence_file"][0])


def _start(city, project, day):
    plan_create_from_template(user=city.county, project_id=project.pk)
    start = node(project, NodeCode.START)
    return plan_node_update(
        user=city.county, node_id=start.pk, version=start.version, data={"actual_date": day}
    )


def test_completing_the_start_node_makes_the_project_a_new_start(city, templates, project):
    day = datetime.date(2026, 3, 10)
    version = project.version
    _start(city, project, day)
    project.refresh_from_db()
    assert (project.stage, project.actual_start, project.version) == (Stage.NEW_START, day, version + 1)
    move = ProjectEvent.objects.get(project=project, kind=ProjectEvent.Kind.TRANSITION)
    assert (move.old, move.new, move.reason, move.actor) == (
        {"t": "choice", "v": Stage.PREPARATION},
        {"t": "choice", "v": Stage.NEW_START},
        "开工节点完成",
        city.county,
    )


def test_a_start_before_the_list_year_makes_it_under_construction(city, templates, project):
    _start(city, project, datetime.date(2025, 11, 3))
    project.refresh_from_db()
    assert project.stage == Stage.UNDER_CONSTRUCTION


def test_stage_moves_only_go_forward(city, templates):
    project = ProjectFactory(
        region=city.guanxian, year=2026, stage=Stage.COMPLETED,
        actual_start=datetime.date(2026, 1, 5), actual_end=datetime.date(2026, 6, 1),
    )  # fmt: skip
    plan_create_from_template(user=city.county, project_id=project.pk)
    start = node(project, NodeCode.START)
    plan_node_update(
        user=city.county, node_id=start.pk, version=1, data={"actual_date": datetime.date(2026, 1, 6)}
    )
    project.refresh_from_db()
    assert project.stage == Stage.COMPLETED
    production = node(project, NodeCode.PRODUCTION)
    plan_node_update(
        user=city.county, node_id=production.pk, version=1, data={"actual_date": datetime.date(2026, 7, 1)}
    )
    project.refresh_from_db()
    assert project.stage == Stage.IN_PRODUCTION


def test_acceptance_of_an_unstarted_project_is_refused_as_a_whole(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    acceptance = node(project, NodeCode.ACCEPTANCE)
    with pytest.raises(ApplicationError) as exc:
        plan_node_update(
            user=city.county,
            node_id=acceptance.pk,
            version=1,
            data={"actual_date": datetime.date(2026, 1, 6)},
        )
    assert list(exc.value.errors) == ["actual_date"]
    acceptance.refresh_from_db()
    assert acceptance.actual_date is None and acceptance.version == 1
    assert not NodeEvent.objects.filter(node=acceptance).exists()
    assert Project.objects.get(pk=project.pk).stage == Stage.PREPARATION


def test_acceptance_completes_a_started_project(city, templates, project):
    _start(city, project, datetime.date(2026, 3, 10))
    acceptance = node(project, NodeCode.ACCEPTANCE)
    plan_node_update(
        user=city.county, node_id=acceptance.pk, version=1, data={"actual_date": datetime.date(2026, 11, 2)}
    )
    project.refresh_from_db()
    assert (project.stage, project.actual_end) == (Stage.COMPLETED, datetime.date(2026, 11, 2))


def test_a_department_may_not_complete_a_node_that_moves_the_stage(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    start = node(project, NodeCode.START)
    plan_node_update(user=city.county, node_id=start.pk, version=1, data={"department": city.department})
    with pytest.raises(ApplicationError) as exc:
        plan_node_update(
            user=city.department_officer,
            node_id=start.pk,
            version=2,
            data={"actual_date": datetime.date(2026, 3, 9)},
        )
    assert "actual_date" in exc.value.errors
    assert node(project, NodeCode.START).actual_date is None


def test_moving_the_project_to_a_started_stage_completes_its_start_node(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    day = datetime.date(2026, 3, 12)
    project_transition(
        user=city.owner,
        project_id=project.pk,
        version=project.version,
        stage=Stage.NEW_START,
        actual_start=day,
    )
    start = node(project, NodeCode.START)
    assert (start.actual_date, start.version) == (day, 2)
    event = NodeEvent.objects.get(node=start)
    assert (event.field, event.new, event.reason) == (
        "actual_date",
        {"t": "date", "v": "2026-03-12"},
        "随项目实际开工时间填写",
    )
    assert node(project, NodeCode.ACCEPTANCE).actual_date is None
    project.refresh_from_db()
    end = datetime.date(2026, 10, 30)
    project_transition(
        user=city.county,
        project_id=project.pk,
        version=project.version,
        stage=Stage.COMPLETED,
        actual_end=end,
    )
    assert node(project, NodeCode.ACCEPTANCE).actual_date == end
    project.refresh_from_db()
    assert project.stage == Stage.COMPLETED  # the node filled in does not move the project again


def test_editing_the_actual_start_fills_an_open_start_node_only(city, templates, project):
    plan_create_from_template(user=city.county, project_id=project.pk)
    start = node(project, NodeCode.START)
    plan_node_update(user=city.county, node_id=start.pk, version=1, data={"remarks": "待开工"})
    project.refresh_from_db()
    project_update(
        user=city.county,
        project_id=project.pk,
        version=project.version,
        data={"actual_start": datetime.date(2026, 3, 16)},
    )
    assert node(project, NodeCode.START).actual_date == datetime.date(2026, 3, 16)
    project.refresh_from_db()
    project_update(
        user=city.county,
        project_id=project.pk,
        version=project.version,
        data={"actual_start": datetime.date(2026, 3, 18)},
    )
    assert node(project, NodeCode.START).actual_date == datetime.date(2026, 3, 16)  # done is kept
