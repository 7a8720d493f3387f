import pytest

from keyprojects.projects.tests.factories import ProjectFactory


@pytest.fixture
def project(city):
    return ProjectFactory(
        name="冠州国际陆港", region=city.guanxian, owner=city.enterprise, leader_name="张副市长"
    )
