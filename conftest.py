"""Fixtures shared by every app's tests: a small city with one user per role."""

import pytest
from django.utils import translation

from keyprojects.accounts.models import Organization, Region, Role
from keyprojects.accounts.tests.factories import OrganizationFactory, RegionFactory, UserFactory


@pytest.fixture
def city(db):
    """聊城市 with two counties, offices, a department, two enterprises and one user per role."""
    province = RegionFactory(code="370000", name="山东省", kind=Region.Kind.PROVINCE)
    liaocheng = RegionFactory(code="371500", name="聊城市", kind=Region.Kind.CITY, parent=province)
    guanxian = RegionFactory(code="371525", name="冠县", kind=Region.Kind.COUNTY, parent=liaocheng)
    gaotang = RegionFactory(code="371526", name="高唐县", kind=Region.Kind.COUNTY, parent=liaocheng)
    city_office = OrganizationFactory(
        name="聊城市发展和改革委员会", kind=Organization.Kind.CITY_OFFICE, region=liaocheng
    )
    guan_office = OrganizationFactory(
        name="冠县发展和改革局", kind=Organization.Kind.COUNTY_OFFICE, region=guanxian
    )
    gao_office = OrganizationFactory(
        name="高唐县发展和改革局", kind=Organization.Kind.COUNTY_OFFICE, region=gaotang
    )
    department = OrganizationFactory(
        name="聊城市自然资源和规划局", kind=Organization.Kind.DEPARTMENT, region=liaocheng
    )
    enterprise = OrganizationFactory(
        name="冠县陆港投资有限公司", kind=Organization.Kind.ENTERPRISE, region=guanxian
    )
    other_enterprise = OrganizationFactory(
        name="高唐奥博生物有限公司", kind=Organization.Kind.ENTERPRISE, region=gaotang
    )

    class City:
        pass

    c = City()
    c.province, c.liaocheng, c.guanxian, c.gaotang = province, liaocheng, guanxian, gaotang
    c.city_office, c.guan_office, c.gao_office = city_office, guan_office, gao_office
    c.department, c.enterprise, c.other_enterprise = department, enterprise, other_enterprise
    c.admin = UserFactory(username="admin", role=Role.SYSTEM_ADMIN, organization=city_office, is_staff=True)
    c.city_admin = UserFactory(username="city", role=Role.CITY_ADMIN, organization=city_office)
    c.leader = UserFactory(username="leader", role=Role.LEADER, organization=city_office)
    c.county = UserFactory(username="guanxian", role=Role.COUNTY_OFFICER, organization=guan_office)
    c.other_county = UserFactory(username="gaotang", role=Role.COUNTY_OFFICER, organization=gao_office)
    c.department_officer = UserFactory(
        username="ziranziyuan", role=Role.DEPARTMENT_OFFICER, organization=department
    )
    c.owner = UserFactory(username="owner-lugang", role=Role.PROJECT_OWNER, organization=enterprise)
    c.other_owner = UserFactory(username="owner-aobo", role=Role.PROJECT_OWNER, organization=other_enterprise)
    return c


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """A request sent with Accept-Language: en leaves English active in the thread; start each test in Chinese."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")
