"""催报: from a round's page, one click tells the owners and the county of the round's unreported and returned
reports; each project is urged once a day, however often the button is pressed."""

import pytest

from keyprojects.notifications.models import Notification
from keyprojects.progress import services

from .report_helpers import make_project, open_round, submit

pytestmark = [pytest.mark.today("2026-12-01"), pytest.mark.usefixtures("clock")]


@pytest.fixture
def round_(city):
    """冠县： one project unreported, one returned, one submitted; 高唐县： one unreported."""
    missing = make_project(city, name="冠县物流园")
    returned = make_project(city, name="冠县光伏电站")
    sent = make_project(city, name="冠县污水厂")
    gaotang = make_project(city, name="高唐纺织园", region=city.gaotang, owner=city.other_enterprise)
    dispatch_round = open_round(city, [missing, returned, sent, gaotang])
    report = submit(city.owner, returned)
    services.report_review(user=city.county, report_id=report.pk, decision="return", reason="照片不清晰")
    submit(city.owner, sent)
    return dispatch_round


def _urged(user):
    return sorted(
        Notification.objects.filter(recipient=user, kind="report_urged").values_list("title", flat=True)
    )


def test_one_click_urges_owners_and_county_once_a_day(client, city, round_, clock):
    url = f"/progress/rounds/{round_.pk}/urge/"
    client.force_login(city.city_admin)
    assert "一键催报" in client.get(f"/progress/rounds/{round_.pk}/").content.decode()
    page = client.post(url, follow=True).content.decode()
    assert "已催报 3 个项目，通知项目单位和所在县（市、区）共 6 人次" in page
    title = "催报：%s 2026年第12期月报"
    assert _urged(city.owner) == [title % "冠县光伏电站", title % "冠县物流园"]
    assert _urged(city.county) == [title % "冠县光伏电站", title % "冠县物流园"]
    assert _urged(city.other_owner) == [title % "高唐纺织园"]
    assert _urged(city.other_county) == [title % "高唐纺织园"]
    body = Notification.objects.get(recipient=city.owner, title=title % "冠县光伏电站").body
    assert "退回" in body

    again = client.post(url, follow=True).content.decode()
    assert "这些项目今天已催报过，没有重复发送" in again
    assert Notification.objects.filter(kind="report_urged").count() == 6

    clock.move_to("2026-12-02")
    client.force_login(city.city_admin)  # a new day's session
    assert "已催报 3 个项目" in client.post(url, follow=True).content.decode()
    assert Notification.objects.filter(kind="report_urged").count() == 12


def test_a_county_urges_its_own_projects_and_owners_may_not(client, city, round_):
    client.force_login(city.county)
    client.post(f"/progress/rounds/{round_.pk}/urge/")
    assert len(_urged(city.owner)) == 2
    assert _urged(city.other_owner) == [] and _urged(city.county) == []  # not the one who clicked
    client.force_login(city.owner)
    assert client.post(f"/progress/rounds/{round_.pk}/urge/").status_code == 403
    assert "一键催报" not in client.get(f"/progress/rounds/{round_.pk}/").content.decode()
