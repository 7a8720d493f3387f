import pytest

from keyprojects.accounts.models import Role
from keyprojects.accounts.tests.factories import UserFactory


@pytest.fixture
def secadmin(city):
    return UserFactory(
        username="secadmin", role=Role.SECURITY_ADMIN, organization=city.city_office, is_staff=True
    )


@pytest.fixture
def auditor(city):
    return UserFactory(
        username="auditor", role=Role.AUDIT_ADMIN, organization=city.city_office, is_staff=True
    )
