import pytest

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory


@pytest.fixture
def other_leader(city):
    return UserFactory(
        username="leader-wang", full_name="王立新", role=Role.LEADER, organization=city.city_office
    )
