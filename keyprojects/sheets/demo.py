"""The demo city's imports: 冠县's officer checked its own list twice before the year's dispatch — a first file
with a slip (an annual plan above the total investment) refused with its report, then the list as exported,
unchanged. Both dry runs through the import itself; nothing written. Idempotent: once made, left alone."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from keyprojects.demo.steps import DemoContext
from keyprojects.projects.selectors import ProjectFilters, project_list

from .columns import EXPORTED
from .exports import export_title, project_list_workbook
from .models import ImportJob
from .services import import_job_run, import_job_start

COUNTY = "guanxian"


def _with_a_slip(content: bytes) -> bytes:
    """The file with the first project's annual plan above its total investment."""
    book = load_workbook(BytesIO(content))
    sheet = book.active
    keys = [c.key for c in EXPORTED]
    total = sheet.cell(row=3, column=keys.index("total_investment") + 1).value
    sheet.cell(row=3, column=keys.index("annual_investment") + 1).value = (total or 0) * 2 + 1
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load(ctx: DemoContext) -> None:
    officer = ctx.users.get(COUNTY)
    if officer is None or ImportJob.objects.filter(author=officer).exists():
        ctx.report(_("导入记录"), ImportJob.objects.filter(city=ctx.city).count())
        return
    projects = project_list(user=officer, filters=ProjectFilters(year=ctx.year))
    content = project_list_workbook(
        projects,
        user=officer,
        title=export_title(officer.organization.region.name if officer.organization else "", ctx.today),
    ).content()
    year = ctx.year
    for filename, data in (
        (f"冠县{year}年重点项目清单（初稿）.xlsx", _with_a_slip(content)),
        (f"冠县{year}年重点项目清单.xlsx", content),
    ):
        job = import_job_start(user=officer, filename=filename, content=data, dry_run=True)
        import_job_run(job.pk)  # at once: the queued task then finds it done
    ctx.report(_("导入记录"), ImportJob.objects.filter(city=ctx.city).count())
