"""In-app notifications: sending once per key, the bell, the list page, marking read, the API."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.notifications import kinds
from keyprojects.notifications.models import Channel, ChannelPreference, Notification
from keyprojects.notifications.services import notify


def send(user, n: int = 1, **kwargs):
    return [
        notify(recipient=user, kind="test", title=f"通知{i}", body="正文", url="/projects/", **kwargs)
        for i in range(n)
    ]


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):  # pages are asserted in the source language
        yield


@pytest.mark.django_db
def test_same_dedup_key_notifies_a_user_once(city):
    first = notify(recipient=city.owner, kind="reminder", title="月报提醒", dedup_key="round:1:before")
    again = notify(recipient=city.owner, kind="reminder", title="月报提醒", dedup_key="round:1:before")
    other_user = notify(recipient=city.county, kind="reminder", title="月报提醒", dedup_key="round:1:before")
    assert first is not None and again is None and other_user is not None
    assert Notification.objects.filter(recipient=city.owner).count() == 1
    send(city.owner, 2)  # no key: every call notifies
    assert Notification.objects.filter(recipient=city.owner).count() == 3


@pytest.mark.django_db
def test_list_page_shows_only_my_notifications_newest_first(client, city):
    send(city.owner, 2)
    notify(recipient=city.county, kind="test", title="别人的通知")
    client.force_login(city.owner)
    response = client.get(reverse("notifications:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "通知1" in html and "通知0" in html and "别人的通知" not in html
    assert html.index("通知1") < html.index("通知0")
    assert "2 条未读" in html


@pytest.mark.django_db
def test_bell_shows_unread_count(client, city):
    send(city.owner, 3)
    client.force_login(city.owner)
    page = client.get(reverse("notifications:list")).content.decode()
    assert 'hx-get="/notifications/bell/"' in page
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert 'kp-bell-count">3<' in bell
    Notification.objects.update(read_at="2026-01-01T00:00:00Z")
    assert "kp-bell-count" not in client.get(reverse("notifications:bell")).content.decode()


@pytest.mark.django_db
def test_mark_one_read_opens_its_link_and_others_answer_404(client, city):
    mine = send(city.owner)[0]
    theirs = send(city.county)[0]
    client.force_login(city.owner)
    response = client.post(reverse("notifications:read", args=[mine.pk]), {"open": "1"})
    assert response.status_code == 302 and response["Location"] == "/projects/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_link_to_another_site_is_not_followed(client, city):
    evil = notify(recipient=city.owner, kind="test", title="外链", url="https://example.com/")
    client.force_login(city.owner)
    response = client.post(reverse("notifications:read", args=[evil.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.django_db
def test_mark_all_read(client, city):
    send(city.owner, 3)
    send(city.county, 1)
    client.force_login(city.owner)
    response = client.post(reverse("notifications:read_all"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=city.owner, read_at=None).exists()
    assert Notification.objects.filter(recipient=city.county, read_at=None).count() == 1


@pytest.mark.django_db
def test_pages_need_login_and_writes_need_post(client, city):
    assert client.get(reverse("notifications:list")).status_code == 302
    client.force_login(city.owner)
    assert client.get(reverse("notifications:read_all")).status_code == 405


@pytest.mark.django_db
def test_api_lists_my_notifications_and_marks_read(city):
    send(city.owner, 3)
    send(city.county, 1)
    api = ApiClient(city.owner)
    body = api.get("/notifications").json()
    assert body["count"] == 3
    item = body["items"][0]
    assert set(item) == {"id", "kind", "title", "body", "url", "created_at", "read_at", "is_read"}
    assert item["title"] == "通知2" and item["is_read"] is False

    read = api.post(f"/notifications/{item['id']}/read")
    assert read.status_code == 200 and read.json()["is_read"] is True
    assert api.get("/notifications", {"unread": "true"}).json()["count"] == 2
    assert api.post("/notifications/read-all").json() == {"marked": 2}
    assert api.get("/notifications", {"unread": "true"}).json()["count"] == 0


@pytest.mark.django_db
def test_api_another_users_notification_is_404_and_anonymous_401(city):
    theirs = send(city.county)[0]
    assert ApiClient(city.owner).post(f"/notifications/{theirs.pk}/read").status_code == 404
    assert ApiClient().get("/notifications").status_code == 401


@pytest.mark.django_db
def test_list_page_in_english(client, city):
    send(city.owner, 2)
    client.force_login(city.owner)
    with translation.override("zh-hans"):  # the request switches to English; keep it from leaking
        client.cookies["django_language"] = "en"
        html = client.get(reverse("notifications:list")).content.decode()
    assert "2 unread" in html and "Mark all as read" in html


@pytest.fixture
def kinds_registered():
    kinds.register_kind(kinds.NotificationKind("test", "测试", default_channels=(Channel.EMAIL,), order=1))
    kinds.register_kind(kinds.NotificationKind("reminder", "提醒", order=2))
    yield
    kinds._kinds.pop("test")
    kinds._kinds.pop("reminder")


@pytest.mark.django_db
def test_page_filters_by_kind_and_unread_and_marks_one_kind_read(client, city, kinds_registered):
    send(city.owner, 2)
    notify(recipient=city.owner, kind="reminder", title="月报提醒")
    client.force_login(city.owner)
    html = client.get(reverse("notifications:list"), {"kind": "reminder"}).content.decode()
    assert "月报提醒" in html and "通知0" not in html
    assert '<option value="reminder" selected>提醒</option>' in html
    client.post(reverse("notifications:read_all"), {"kind": "test"})
    assert list(Notification.objects.filter(read_at=None).values_list("kind", flat=True)) == ["reminder"]
    unread = client.get(reverse("notifications:list"), {"unread": "1"}).content.decode()
    assert "月报提醒" in unread and "通知0" not in unread
    unknown = client.get(reverse("notifications:list"), {"kind": "nonsense"})
    assert unknown.status_code == 200 and "通知0" in unknown.content.decode()


@pytest.mark.django_db
def test_api_filters_by_kind_and_sets_preferences(city, kinds_registered):
    send(city.owner, 2)
    notify(recipient=city.owner, kind="reminder", title="月报提醒")
    api = ApiClient(city.owner)
    assert [i["title"] for i in api.get("/notifications", {"kind": "reminder"}).json()["items"]] == [
        "月报提醒"
    ]
    assert api.post("/notifications/read-all?kind=test").json() == {"marked": 2}
    prefs = api.get("/notifications/preferences").json()
    assert prefs["reachable"] == []  # no e-mail, no robot
    assert {"kind": "test", "label": "测试", "channels": ["email"]} in prefs["kinds"]
    changed = api.put("/notifications/preferences", {"choices": {"reminder": ["dingtalk", "email"]}})
    assert changed.status_code == 200
    assert {"kind": "reminder", "label": "提醒", "channels": ["email", "dingtalk"]} in changed.json()["kinds"]
    bad = api.put("/notifications/preferences", {"choices": {"reminder": ["fax"]}})
    assert bad.status_code == 422 and "fax" in bad.json()["errors"]["reminder"][0]
    unknown = api.put("/notifications/preferences", {"choices": {"nonsense": []}})
    assert unknown.status_code == 422 and "nonsense" in unknown.json()["errors"]
    assert ApiClient(city.county).get("/notifications/preferences").json()["kinds"][1]["channels"] == []


@pytest.mark.django_db
def test_preferences_page_saves_each_persons_choice(client, city, kinds_registered):
    client.force_login(city.county)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'name="kind-test" value="email" id="pref-test-email" checked' in page
    assert "账号未填写邮箱" in page
    response = client.post(reverse("notifications:preferences"), {"kind-reminder": ["wecom"]})
    assert response.status_code == 302
    assert ChannelPreference.objects.get(user=city.county, kind="reminder").channels == ["wecom"]
    assert ChannelPreference.objects.get(user=city.county, kind="test").channels == []
    assert not ChannelPreference.objects.filter(user=city.owner).exists()
    bad = client.post(reverse("notifications:preferences"), {"kind-reminder": ["fax"]})
    assert bad.status_code == 422 and "fax" in bad.content.decode()


@pytest.mark.django_db
def test_a_notification_is_of_its_recipients_city_and_the_province_has_none(city, other_city):
    mine = notify(recipient=city.owner, kind="test", title="a")
    theirs = notify(recipient=other_city.owner, kind="test", title="b")
    province = notify(recipient=city.province_officer, kind="test", title="c", dedup_key="k")
    assert (mine.city_id, theirs.city_id, province.city_id) == (city.liaocheng.pk, other_city.dezhou.pk, None)
    assert notify(recipient=city.province_officer, kind="test", title="c", dedup_key="k") is None
    assert ApiClient(city.province_officer).get("/notifications").json()["count"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "api", "pinned"),
    [("/notifications/", False, 5), ("/notifications/bell/", False, 3), ("/notifications", True, 3)],
    ids=["page", "bell", "api"],
)
def test_the_list_and_the_bell_take_the_same_queries_for_3_and_30(city, path, api, pinned):
    client = ApiClient(city.owner) if api else Client()
    if not api:
        client.force_login(city.owner)
    client.get(path)
    counts = []
    for n in (3, 27):
        send(city.owner, n)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured))
    assert counts == [pinned, pinned]


@pytest.mark.django_db
def test_preferences_and_robots_pages_in_english(client, city):
    client.force_login(city.county)
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "en"
        prefs = client.get(reverse("notifications:preferences")).content.decode()
        robots = client.get(reverse("notifications:channels")).content.decode()
    assert "Notification channels" in prefs and "Monthly report returned" in prefs and "Node overdue" in prefs
    assert "DingTalk group robot" in robots and "Recent deliveries" in robots
