"""The review desk: each reviewer's queue holds what waits for it (a card's count is its list's), and several
reports are accepted with one click, each still checked by the rules of a single review."""

import re
from decimal import Decimal

import pytest

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.progress import services
from keyprojects.progress.models import MonthlyReport

from .report_helpers import accept, fields, last_month, make_project, open_round, submit


@pytest.fixture
def desk(city):
    """A report the owner sent (冠县), one the county filled on the owner's behalf (冠县), one of the city's own
    project, one of 高唐县's, and one already accepted."""
    sent = make_project(city, name="冠县物流园")
    filled = make_project(city, name="冠县光伏电站")
    own = make_project(city, name="市级体育中心", region=city.liaocheng)
    gaotang = make_project(city, name="高唐纺织园", region=city.gaotang, owner=city.other_enterprise)
    done = make_project(city, name="冠县污水厂")
    open_round(city, [sent, filled, own, gaotang, done], county_may_fill=True)
    reports = {
        "sent": submit(city.owner, sent),
        "filled": submit(city.county, filled),
        "own": submit(city.owner, own),
        "gaotang": submit(city.other_owner, gaotang),
        "done": submit(city.owner, done),
    }
    accept(city.county, reports["done"])
    return reports


def _queue(client, url="/progress/review/"):
    html = client.get(url).content.decode()
    names = re.findall(r'<td class="kp-name"><a href="[^"]+">([^<]+)</a>', html)
    total = int(re.search(r'data-total="(\d+)"', html).group(1))
    return html, names, total


def test_each_reviewer_sees_what_waits_for_it_and_its_cards_count_the_same(client, city, desk):
    client.force_login(city.county)
    html, names, total = _queue(client)
    assert names == ["冠县物流园"] and total == 1  # not what the county filled itself, nor 高唐县's
    assert re.search(r'待审核 <span class="badge[^"]*">1</span>', html)
    home = client.get("/progress/").content.decode()
    assert re.search(r'data-count="waiting">1<', home)

    client.force_login(city.city_admin)
    html, names, total = _queue(client)
    assert sorted(names) == ["冠县光伏电站", "市级体育中心"] and total == 2
    home = client.get("/progress/").content.decode()
    card = re.search(
        r'href="(/progress/review/\?round=\d+)" data-queue-card>.*?data-count="waiting">(\d+)<', home
    )
    assert card.group(2) == "2"
    assert _queue(client, card.group(1))[2] == 2  # the card leads to the list it counts
    assert _queue(client, "/progress/review/?scope=all")[2] == 4  # every report waiting in the city
    assert _queue(client, "/progress/review/?scope=all&region=371526")[1] == ["高唐纺织园"]

    client.force_login(city.other_county)
    assert _queue(client)[1] == ["高唐纺织园"]


def test_batch_accept_accepts_what_the_rules_allow_and_says_why_not_the_rest(client, city, desk):
    client.force_login(city.county)
    picked = [desk["sent"].pk, desk["filled"].pk, desk["done"].pk, desk["gaotang"].pk]
    response = client.post("/progress/review/accept/", {"reports": picked}, follow=True)
    page = response.content.decode()
    assert "已通过 1 份报告：冠县物流园" in page
    assert "未通过 冠县光伏电站：不能审核自己填报" in page
    assert "未通过 冠县污水厂：该报告当前为“已通过”，不在待审核状态" in page
    assert f"未通过 #{desk['gaotang'].pk}：月度报告不存在" in page  # another county's: not even its name
    statuses = dict(MonthlyReport.objects.filter(pk__in=picked).values_list("pk", "status"))
    assert statuses == {
        desk["sent"].pk: "accepted",
        desk["filled"].pk: "submitted",
        desk["done"].pk: "accepted",
        desk["gaotang"].pk: "submitted",
    }
    assert "冠县物流园" not in _queue(client)[1]


def test_batch_accept_refuses_bad_input_by_name(client, city, desk):
    client.force_login(city.county)
    page = client.post("/progress/review/accept/", {"reports": ["x1"]}, follow=True).content.decode()
    assert "报告编号无效：x1" in page
    page = client.post("/progress/review/accept/", {}, follow=True).content.decode()
    assert "请勾选要通过的报告" in page
    client.force_login(city.owner)
    assert client.post("/progress/review/accept/", {"reports": [desk["sent"].pk]}).status_code == 403


def test_batch_accept_through_the_api(city, desk):
    answer = ApiClient(city.city_admin).post(
        "/reports/accept", {"reports": [desk["filled"].pk, desk["own"].pk, desk["done"].pk]}
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["accepted"] == [desk["filled"].pk, desk["own"].pk]
    assert [r["report"] for r in body["refused"]] == [desk["done"].pk]
    assert ApiClient(city.owner).post("/reports/accept", {"reports": [desk["sent"].pk]}).status_code == 403
    assert ApiClient(city.county).post("/reports/accept", {"reports": []}).status_code == 422


def test_the_round_list_filters_by_county_and_status_and_its_cards_count_what_they_list(client, city, desk):
    client.force_login(city.city_admin)
    html = client.get("/progress/").content.decode()
    cards = dict(
        re.findall(
            r'href="([^"]+)"><div class="kp-total-label">[^<]+</div><div class="kp-total-value" data-count="(\w+)"',
            html,
        )
    )
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', html))
    assert (counts["submitted"], counts["accepted"], counts["missing"]) == ("4", "1", "0")
    for url, key in cards.items():
        listed = client.get("/progress/" + url.replace("&amp;", "&")).content.decode()
        assert len(re.findall(r"<tr data-project=", listed)) == int(counts[key]), key
    gaotang = client.get("/progress/?region=371526").content.decode()
    assert re.findall(r'<td class="kp-name"><a [^>]+>([^<]+)</a>', gaotang) == ["高唐纺织园"]
    assert 'data-count="submitted">1<' in gaotang


def test_a_resubmitted_report_shows_its_changes_beside_last_month_and_the_annual_plan(client, city):
    project = make_project(city, name="冠县物流园")
    open_round(city, [project], last_month())
    accept(city.county, submit(city.owner, project, last_month(), construction=Decimal("45")))
    open_round(city, [project])
    report = submit(city.owner, project)
    services.report_review(user=city.county, report_id=report.pk, decision="return", reason="数字有误")
    services.report_resubmit(
        user=city.owner, report_id=report.pk, revision=2, **fields(construction=Decimal("80"))
    )
    client.force_login(city.county)
    page = client.get(f"/progress/reports/{report.pk}/").content.decode()
    section = page[page.index('id="changes-since-return"') :]
    section = section[: section.index("</section>")]
    assert "年度计划投资 600.00 万元" in section
    assert f"上月（{last_month():%Y-%m}）完成 85.00 万元" in section
    row = re.search(r'<tr data-field="construction">(.*?)</tr>', section).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row) == ["建筑工程（万元）", "60.00", "80.00", "45.00"]
