import datetime

import pytest
from django.conf import settings
from django.utils import translation

from keyprojects.accounts.models import Organization
from keyprojects.accounts.tests.factories import OrganizationFactory
from keyprojects.projects.models import ApprovalType, Category, Stage
from keyprojects.projects.tests.factories import ProjectFactory
from keyprojects.schedule.services import node_templates_seed


@pytest.fixture(autouse=True)
def _source_language():
    """Requests made in English leave English active in the thread; later tests expect Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def templates(city):
    """The default templates, with the city's departments as their default departments."""
    for name in ("聊城市生态环境局", "聊城市行政审批服务局", "聊城市住房和城乡建设局"):
        OrganizationFactory(name=name, kind=Organization.Kind.DEPARTMENT, region=city.liaocheng)
    return node_templates_seed(city=city.liaocheng)


@pytest.fixture
def project(city):
    """A 冠县 project on the 2026 list, planned to start on 2026-03-02 and finish at the end of 2027."""
    return ProjectFactory(
        name="冠州国际陆港",
        region=city.guanxian,
        owner=city.enterprise,
        year=2026,
        stage=Stage.PREPARATION,
        category=Category.INDUSTRY,
        approval_type=ApprovalType.FILING,
        planned_start=datetime.date(2026, 3, 2),
        planned_end=datetime.date(2027, 6, 30),
    )
