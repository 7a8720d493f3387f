import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from keyprojects.accounts.models import Organization
from keyprojects.accounts.tests.factories import OrganizationFactory, RegionFactory
from keyprojects.projects.models import Pipeline, Project, Stage


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"测试项目{n}")
    region = factory.SubFactory(RegionFactory)
    owner = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.ENTERPRISE)
    total_investment = Decimal("50000")
    annual_investment = Decimal("10000")
    # the city's today, which the `clock` fixture and KEYPROJECTS_TEST_TODAY move
    year = factory.LazyFunction(lambda: timezone.localdate().year)
    pipeline = Pipeline.SCHEDULED
    stage = Stage.PREPARATION
    planned_start = factory.LazyFunction(lambda: datetime.date(timezone.localdate().year, 3, 1))
    planned_end = factory.LazyFunction(lambda: datetime.date(timezone.localdate().year + 1, 12, 31))
