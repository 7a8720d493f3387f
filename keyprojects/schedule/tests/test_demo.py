import datetime

from keyprojects.demo.steps import DemoContext
from keyprojects.notifications.models import Notification
from keyprojects.projects.models import Category, Stage
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.schedule import demo
from keyprojects.schedule.models import NodeCode, NodeTemplate, PlanNode

TODAY = datetime.date(2026, 11, 22)


def test_demo_plans_agree_with_each_project_and_are_built_once(city, templates):
    d = datetime.date
    projects = [
        ProjectFactory(region=city.guanxian, year=2026, stage=Stage.PLANNING),
        ProjectFactory(
            region=city.guanxian, year=2026, stage=Stage.PREPARATION,
            planned_start=d(2026, 12, 1), planned_end=d(2028, 6, 30),
        ),
        ProjectFactory(
            region=city.guanxian, year=2026, stage=Stage.NEW_START, actual_start=d(2026, 4, 8),
            planned_start=d(2026, 4, 1), planned_end=d(2027, 12, 31),
        ),
        ProjectFactory(
            region=city.gaotang, year=2026, stage=Stage.IN_PRODUCTION, actual_start=d(2023, 3, 1),
            actual_end=d(2025, 5, 6), planned_start=d(2023, 3, 1), planned_end=d(2025, 3, 31),
        ),
    ]  # fmt: skip
    ctx = DemoContext(
        today=TODAY, password="x", city=city.liaocheng, users={"city": city.city_admin}, projects=projects
    )
    demo.load(ctx)
    assert NodeTemplate.objects.count() == 6
    assert not PlanNode.objects.filter(project=projects[0]).exists()  # ideas have no plan yet
    nodes = {(n.project_id, n.code): n for n in PlanNode.objects.all()}
    assert not PlanNode.objects.filter(actual_date__gt=TODAY).exists()
    preparing, started, producing = projects[1:]
    assert nodes[(preparing.pk, NodeCode.START)].actual_date is None
    assert nodes[(started.pk, NodeCode.START)].actual_date == d(2026, 4, 8)
    assert all(
        nodes[(started.pk, code)].actual_date is not None
        and nodes[(started.pk, code)].actual_date <= d(2026, 4, 8)
        for code in demo.BEFORE_START
        if (started.pk, code) in nodes
    )
    assert nodes[(started.pk, NodeCode.ACCEPTANCE)].actual_date is None
    assert nodes[(producing.pk, NodeCode.ACCEPTANCE)].actual_date == d(2025, 5, 6)
    assert nodes[(producing.pk, NodeCode.PRODUCTION)].actual_date is not None
    assert nodes[(producing.pk, NodeCode.CAPACITY)].actual_date is None
    assert nodes[(started.pk, NodeCode.LAND_SUPPLY)].department == city.department
    count = PlanNode.objects.count()
    demo.load(ctx)
    assert PlanNode.objects.count() == count

    late = nodes[(started.pk, NodeCode.LAND_SUPPLY)]  # its department's officers hear of it once
    PlanNode.objects.filter(pk=late.pk).update(actual_date=None, planned_date=d(2026, 11, 20))
    demo.load(ctx)
    demo.load(ctx)
    told = Notification.objects.get(recipient=city.department_officer)
    assert (told.kind, told.url) == ("node_overdue", f"/schedule/nodes/{late.pk}/edit/")


def test_demo_plans_of_non_industrial_projects_have_no_production_steps(city, templates):
    d = datetime.date
    gym = ProjectFactory(
        name="东昌府区全民健身中心建设项目", region=city.guanxian, year=2026, stage=Stage.COMPLETED,
        category=Category.SOCIAL, actual_start=d(2024, 4, 1), actual_end=d(2026, 2, 6),
        planned_start=d(2024, 3, 1), planned_end=d(2025, 12, 31),
    )  # fmt: skip
    # A plan left by an earlier demo, made from the industrial template, is made again from the right one.
    PlanNode.objects.create(
        project=gym, order=1, code=NodeCode.PRODUCTION, name="投产", planned_date=d(2026, 2, 2)
    )
    ctx = DemoContext(
        today=TODAY, password="x", city=city.liaocheng, users={"city": city.city_admin}, projects=[gym]
    )
    demo.load(ctx)
    codes = set(PlanNode.objects.filter(project=gym).values_list("code", flat=True))
    assert NodeCode.ACCEPTANCE in codes
    assert not codes & {NodeCode.PRODUCTION, NodeCode.CAPACITY}
    assert PlanNode.objects.get(project=gym, code=NodeCode.ACCEPTANCE).actual_date == d(2026, 2, 6)
