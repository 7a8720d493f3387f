"""The demo city's open data: the city office marks public the year's listed public-interest projects
(infrastructure, social, urbanisation and ecology; provincial and municipal), as an office would publish
first what is paid for by the public. Idempotent: a project already public is left as it is."""

from keyprojects.demo.steps import DemoContext
from keyprojects.projects.models import Category, Level, Pipeline, Project, Stage
from keyprojects.projects.services import project_update

PUBLIC_CATEGORIES = [Category.INFRASTRUCTURE, Category.SOCIAL, Category.URBANIZATION, Category.ECOLOGY]


def load(ctx: DemoContext) -> None:
    office = ctx.users.get(ctx.place.office_username)
    if office is None:
        return
    projects = Project.objects.filter(
        city_id=office.city_id,
        year=ctx.year,
        pipeline=Pipeline.SCHEDULED,
        category__in=PUBLIC_CATEGORIES,
        level__in=[Level.PROVINCIAL, Level.MUNICIPAL],
        is_public=False,
    ).exclude(stage=Stage.WITHDRAWN)
    marked = 0
    for project in projects:
        project_update(
            user=office,
            project_id=project.pk,
            data={"is_public": True},
            version=project.version,
            reason="公开发布开放数据",
        )
        marked += 1
    ctx.report("开放数据：新标记公开发布的项目", marked)
    ctx.report(
        "开放数据：公开发布的项目",
        Project.objects.filter(city_id=office.city_id, is_public=True).count(),
    )
