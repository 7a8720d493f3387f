"""Fixtures shared by every app's tests: a small city with one user per role, and the clock.

The suite runs on any date. `KEYPROJECTS_TEST_TODAY=2027-12-31` moves the clock of the whole session to
noon of that day in the city's time zone (it keeps ticking from there), so that `make test` can run the
suite on the days where dates break: the first working day of a year, the last day of one, a leap day,
years without holiday data. A test that needs "today" asks for the `clock` fixture, which pins the day
at noon (`@pytest.mark.today("2026-06-15")` chooses the day; without it, the session's today).
"""

import datetime
import os
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone, translation

from keyprojects.accounts.models import Organization, Region, Role
from keyprojects.accounts.tests.factories import (
    CityRegionFactory,
    OrganizationFactory,
    ProvinceFactory,
    RegionFactory,
    UserFactory,
)

TODAY_VARIABLE = "KEYPROJECTS_TEST_TODAY"


def _noon(day: datetime.date) -> datetime.datetime:
    """Noon of `day` in the city's time zone: the same date in UTC and in Asia/Shanghai, hours from midnight."""
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


def _as_date(value: str | datetime.date) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", 'today(day): the day the `clock` fixture pins, a date or "YYYY-MM-DD"')
    config.addinivalue_line(
        "markers", "dates: depends on today's date; run again with the clock moved (make pytest-dates)"
    )
    day = os.environ.get(TODAY_VARIABLE)
    if day:
        traveller = time_machine.travel(_noon(_as_date(day)), tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


def pytest_report_header(config: pytest.Config) -> str:
    return f"today: {timezone.localdate().isoformat()}" + (
        f" ({TODAY_VARIABLE})" if os.environ.get(TODAY_VARIABLE) else ""
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "clock" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.dates)


class Clock:
    """The test's today, pinned at noon in the city's time zone; the clock ticks on from there."""

    def __init__(self, day: datetime.date) -> None:
        self._traveller = time_machine.travel(_noon(day), tick=True)
        self._shift = self._traveller.start()
        self.today = day

    @property
    def year(self) -> int:
        return self.today.year

    def now(self) -> datetime.datetime:
        return timezone.now()

    def move_to(self, day: str | datetime.date) -> None:
        """Make `day` today (noon) for the rest of the test."""
        self.today = _as_date(day)
        self._shift.move_to(_noon(self.today))

    def stop(self) -> None:
        self._traveller.stop()


@pytest.fixture
def clock(request: pytest.FixtureRequest):
    """Pins today: the day of the test's `today` marker, else the session's today (see the module's doc)."""
    marker = request.node.get_closest_marker("today")
    day = _as_date(marker.args[0]) if marker else timezone.localdate()
    c = Clock(day)
    yield c
    c.stop()


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
def _chinese_by_default():
    """A request sent with Accept-Language: en leaves English active in the thread; start each test in Chinese."""
    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")
