import datetime
from decimal import Decimal

import pytest

from keyprojects.alerts.models import Color
from keyprojects.blockers.tests.helpers import ok as blocker_ok
from keyprojects.blockers.tests.helpers import walk
from keyprojects.metrics.tests.helpers import bulk_projects, list_project, report
from keyprojects.projects.models import ListKind, Stage
from keyprojects.supervision.tests.conftest import make_warning
from keyprojects.supervision.tests.helpers import issued

MARCH_31 = datetime.date(2026, 3, 31)
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+2", "-3-4", "@SUM(A1)", "\tTAB项目", "\r回车项目"]


@pytest.fixture
def bulletin(city, clock):
    return make_bulletin(city, clock)


def make_bulletin(city, clock):
    """The bulletin's figures in 冠县 (131 implementation projects, 94 started, 3,050 of 10,000万元 done by
    the end of March) and a smaller 高唐县; a red and a yellow warning, an overdue blocker and notice."""
    bulk_projects(94, region=city.guanxian, owner=city.enterprise, actual_start=datetime.date(2026, 2, 1),
                  stage=Stage.NEW_START)  # fmt: skip
    bulk_projects(37, region=city.guanxian, owner=city.enterprise)
    planned = list_project(
        name="冠州国际陆港", region=city.guanxian, owner=city.enterprise,
        list_kind=ListKind.PREPARATION, annual_investment=Decimal("10000"),
    )  # fmt: skip
    for month, amount in ((1, "1000"), (2, "1000"), (3, "1050")):
        report(planned, datetime.date(2026, month, 1), amount, by=city.owner, reviewed_on=MARCH_31)
    gaotang = list_project(name="奥博生物新型糖醇及氨基酸智造项目", region=city.gaotang, owner=city.enterprise,
                           actual_start=datetime.date(2026, 1, 10))  # fmt: skip
    report(gaotang, datetime.date(2026, 2, 1), "800", by=city.owner, reviewed_on=MARCH_31)
    red = make_warning(planned, color=Color.RED, subject="r")
    make_warning(gaotang, color=Color.YELLOW, subject="y")
    blocker = walk(city, planned, "accepted")
    blocker_ok(city.county, blocker, "assign", department=city.department.pk, deadline_workdays=3)
    notice = issued(city.city_admin, "warning", red.pk, deadline_workdays=2)
    clock.move_to(datetime.date(2026, 4, 20))
    return {"planned": planned, "gaotang": gaotang, "blocker": blocker, "notice": notice}
