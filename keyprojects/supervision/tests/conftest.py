import datetime

import pytest

from keyprojects.alerts.models import Color, ProjectWarning, Rule
from keyprojects.core.history import encode
from keyprojects.projects.tests.factories import ProjectFactory


@pytest.fixture
def project(city):
    return ProjectFactory(name="冠州国际陆港", region=city.guanxian, owner=city.enterprise)


def make_warning(project, color=Color.RED, subject=""):
    return ProjectWarning.objects.create(
        project=project,
        rule=Rule.START_DELAY,
        subject=subject,
        color=color,
        facts=encode({"planned_start": datetime.date(2026, 1, 1), "days": 90}),
        since=datetime.date(2026, 4, 1),
    )


@pytest.fixture
def red_warning(project):
    return make_warning(project)
