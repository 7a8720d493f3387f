"""In-app notifications: sending once per key, the bell, the list page, marking read, the API."""

import pytest
from django.urls import reverse
from django.utils import translation

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.notifications.models import Notification
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
