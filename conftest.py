"""Fixtures shared by every app's tests: a small city with one user per role, and the clock.

The suite runs on any date. `KEYPROJECTS_TEST_TODAY=2027-12-31` moves the clock of the whole session to
that day (see keyprojects/core/tests/clock.py), so that `make test` runs the date-sensitive tests (marked
`dates`) on the days where dates break: the first working day of a year, the last day of one, a leap day,
years without holiday data. A test that needs "today" asks for the `clock` fixture, which pins the day:
the session's today, or the day of the test's `@pytest.mark.today("2026-06-15")`. A test that uses the
session's today is marked `dates`; one pinned to a day of its own is not (the journey changes nothing).
"""

import os

import pytest
from django.utils import timezone, translation

from keyprojects.accounts.models import Organization, Region, Role
from keyprojects.accounts.tests.factories import (
    CityRegionFactory,
    OrganizationFactory,
    ProvinceFactory,
    RegionFactory,
    UserFactory,
)
from keyprojects.core.tests.clock import TODAY_VARIABLE, Clock, as_date, session_today, session_travel


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", 'today(day): the day the `clock` fixture pins, a date or "YYYY-MM-DD"')
    config.addinivalue_line(
        "markers", "dates: depends on today's date; run again with the clock moved (make pytest-dates)"
    )
    travel = session_travel()
    if travel is not None:
        travel.start()
        config.add_cleanup(travel.stop)
    session_today()


def pytest_report_header(config: pytest.Config) -> str:
    moved = f" ({TODAY_VARIABLE})" if os.environ.get(TODAY_VARIABLE) else ""
    return f"today: {session_today().isoformat()}{moved}, {timezone.get_current_timezone_name()}"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # a test pinned to a day of its own gives the same answer whatever the session's today is
    for item in items:
        if "clock" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("today"):
            item.add_marker(pytest.mark.dates)


@pytest.fixture
def clock(request: pytest.FixtureRequest):
    """Pins today: the day of the test's `today` marker, else the session's today."""
    marker = request.node.get_closest_marker("today")
    pinned = Clock(as_date(marker.args[0]) if marker else session_today())
    yield pinned
    pinned.stop()


@pytest.fixture
def city(db):
    """聊城市 with two counties, offices, a department, two enterprises and one user per role, and the
    province office of 山东省 (which reads every city)."""
    province = ProvinceFactory()
    liaocheng = CityRegionFactory(parent=province)
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
    c.security_admin = UserFactory(
        username="security-liaocheng", role=Role.SECURITY_ADMIN, organization=city_office, is_staff=True
    )
    c.audit_admin = UserFactory(
        username="audit-liaocheng", role=Role.AUDIT_ADMIN, organization=city_office, is_staff=True
    )
    c.city_admin = UserFactory(username="city", role=Role.CITY_ADMIN, organization=city_office)
    c.leader = UserFactory(username="leader", role=Role.LEADER, organization=city_office)
    c.county = UserFactory(username="guanxian", role=Role.COUNTY_OFFICER, organization=guan_office)
    c.other_county = UserFactory(username="gaotang", role=Role.COUNTY_OFFICER, organization=gao_office)
    c.department_officer = UserFactory(
        username="ziranziyuan", role=Role.DEPARTMENT_OFFICER, organization=department
    )
    c.owner = UserFactory(username="owner-lugang", role=Role.PROJECT_OWNER, organization=enterprise)
    c.other_owner = UserFactory(username="owner-aobo", role=Role.PROJECT_OWNER, organization=other_enterprise)
    c.province_office = OrganizationFactory(
        name="山东省发展和改革委员会", kind=Organization.Kind.PROVINCE_OFFICE, region=province
    )
    c.province_officer = UserFactory(
        username="province", role=Role.PROVINCE_OFFICER, organization=c.province_office
    )
    return c


@pytest.fixture
def other_city(city):
    """A second, small city of the same province (德州市): one county, its offices, a department, an
    enterprise and one user per role, for tests of isolation between tenants."""
    dezhou = CityRegionFactory(code="371400", name="德州市", parent=city.province)
    qihe = RegionFactory(code="371425", name="齐河县", kind=Region.Kind.COUNTY, parent=dezhou)
    city_office = OrganizationFactory(
        name="德州市发展和改革委员会", kind=Organization.Kind.CITY_OFFICE, region=dezhou
    )
    county_office = OrganizationFactory(
        name="齐河县发展和改革局", kind=Organization.Kind.COUNTY_OFFICE, region=qihe
    )
    department = OrganizationFactory(
        name="德州市自然资源和规划局", kind=Organization.Kind.DEPARTMENT, region=dezhou
    )
    enterprise = OrganizationFactory(
        name="齐河晶澳光伏科技有限公司", kind=Organization.Kind.ENTERPRISE, region=qihe
    )

    class OtherCity:
        pass

    c = OtherCity()
    c.dezhou, c.qihe = dezhou, qihe
    c.city_office, c.county_office, c.department, c.enterprise = (
        city_office,
        county_office,
        department,
        enterprise,
    )
    c.city_admin = UserFactory(username="dezhou", role=Role.CITY_ADMIN, organization=city_office)
    c.leader = UserFactory(username="leader-dezhou", role=Role.LEADER, organization=city_office)
    c.county = UserFactory(username="qihe", role=Role.COUNTY_OFFICER, organization=county_office)
    c.department_officer = UserFactory(
        username="ziranziyuan-dezhou", role=Role.DEPARTMENT_OFFICER, organization=department
    )
    c.owner = UserFactory(username="owner-dezhou-jingao", role=Role.PROJECT_OWNER, organization=enterprise)
    return c


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a cached dashboard of one test's city must not answer for
    another test's city that the rolled-back database gave the same id."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _chinese_by_default():
    """A request sent with Accept-Language: en leaves English active in the thread; start each test in Chinese."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")
