"""The outbound channels against a local receiver: the payloads as the robots get them (DingTalk's
signature checked by the receiver), e-mail through Django's locmem backend, the digest of one message a
minute per person and channel (with the clock pinned), retries with backoff, and the in-app
notification kept whatever the channels do."""

import base64
import datetime
import hashlib
import hmac
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keyprojects.notifications import kinds
from keyprojects.notifications.models import Channel, Delivery, GroupRobot, Notification
from keyprojects.notifications.services import group_robot_update, notify, preferences_update
from keyprojects.notifications.tasks import send_due_deliveries

from .receiver import robot_receiver

NOON = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
SECRET = "SEC0123456789abcdef0123456789abcdef"


@pytest.fixture(autouse=True)
def kind(settings):
    settings.KEYPROJECTS_SITE_URL = "https://kp.example.gov.cn"
    kinds.register_kind(kinds.NotificationKind("test_kind", "测试通知", default_channels=(Channel.EMAIL,)))
    yield "test_kind"
    kinds._kinds.pop("test_kind")


@pytest.fixture
def pinned():
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the queued sending) as each block ends."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def send(committed, user, title="月报被退回", **kwargs):
    with committed():
        return notify(
            recipient=user,
            kind="test_kind",
            title=title,
            body="请修改后重新提交",
            url="/progress/reports/7/",
            **kwargs,
        )


def expected_sign(secret: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@pytest.mark.django_db
def test_dingtalk_robot_gets_a_signed_markdown_message(city, committed, pinned):
    city.owner.phone = "13800000000"
    city.owner.save()
    with robot_receiver() as robot:
        group_robot_update(
            user=city.owner,
            channel=Channel.DINGTALK,
            webhook_url=f"{robot.url}/robot/send?access_token=abc",
            secret=SECRET,
        )
        preferences_update(user=city.owner, choices={"test_kind": [Channel.DINGTALK]})
        send(committed, city.owner)
    assert len(robot.received) == 1
    got = robot.received[0]
    assert got.path == "/robot/send" and got.query["access_token"] == "abc"
    timestamp = got.query["timestamp"]
    assert int(timestamp) == int(NOON.timestamp() * 1000)
    assert hmac.compare_digest(got.query["sign"], expected_sign(SECRET, timestamp))
    assert got.body == {
        "msgtype": "markdown",
        "markdown": {
            "title": "月报被退回",
            "text": "**月报被退回**\n请修改后重新提交\n[查看](https://kp.example.gov.cn/progress/reports/7/)\n\n@13800000000",
        },
        "at": {"atMobiles": ["13800000000"], "isAtAll": False},
    }
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 1, "")


@pytest.mark.django_db
def test_dingtalk_robot_without_a_secret_is_not_signed(city, committed, pinned):
    with robot_receiver() as robot:
        group_robot_update(user=city.owner, channel=Channel.DINGTALK, webhook_url=f"{robot.url}/robot/send")
        preferences_update(user=city.owner, choices={"test_kind": [Channel.DINGTALK]})
        send(committed, city.owner)
    assert set(robot.received[0].query) == set()


@pytest.mark.django_db
def test_wecom_robot_gets_a_markdown_message(city, committed, pinned):
    with robot_receiver() as robot:
        group_robot_update(
            user=city.county, channel=Channel.WECOM, webhook_url=f"{robot.url}/cgi-bin/webhook/send?key=k1"
        )
        preferences_update(user=city.county, choices={"test_kind": [Channel.WECOM]})
        send(committed, city.county, title="冠州国际陆港月报待审核")
    assert [(r.path, r.query, r.body) for r in robot.received] == [
        (
            "/cgi-bin/webhook/send",
            {"key": "k1"},
            {
                "msgtype": "markdown",
                "markdown": {
                    "content": "**冠州国际陆港月报待审核**\n请修改后重新提交\n[查看](https://kp.example.gov.cn/progress/reports/7/)"
                },
            },
        )
    ]


@pytest.mark.django_db
def test_email_goes_to_the_persons_address_by_the_kinds_default(city, committed, pinned):
    city.owner.email = "lugang@example.com"
    city.owner.save()
    send(committed, city.owner)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lugang@example.com"]
    assert message.subject == "[重点项目平台] 月报被退回"
    assert "https://kp.example.gov.cn/progress/reports/7/" in message.body


@pytest.mark.django_db
def test_no_address_no_delivery_and_the_choice_of_none_sends_nothing(city, committed, pinned):
    send(committed, city.owner)  # no e-mail address
    city.county.email = "guanxian@example.com"
    city.county.save()
    preferences_update(user=city.county, choices={"test_kind": []})
    send(committed, city.county)
    assert Notification.objects.count() == 2
    assert not Delivery.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_one_message_a_minute_later_ones_folded_into_the_next(city, committed, pinned):
    with robot_receiver() as robot:
        group_robot_update(user=city.owner, channel=Channel.WECOM, webhook_url=f"{robot.url}/send")
        preferences_update(user=city.owner, choices={"test_kind": [Channel.WECOM]})
        send(committed, city.owner, title="第一条")
        pinned.shift(datetime.timedelta(seconds=10))
        send(committed, city.owner, title="第二条")
        send(committed, city.owner, title="第三条")
        assert len(robot.received) == 1
        pinned.shift(datetime.timedelta(seconds=40))
        assert send_due_deliveries.call() == 0  # 50 s after the first: not yet
        pinned.shift(datetime.timedelta(seconds=10))
        assert send_due_deliveries.call() == 1
        assert send_due_deliveries.call() == 0
    assert len(robot.received) == 2
    digest = robot.received[1].body["markdown"]["content"]
    assert digest.startswith("### 您有2条新通知\n**第二条**")
    assert "**第三条**" in digest and "第一条" not in digest
    assert list(Delivery.objects.order_by("id").values_list("status", flat=True)) == ["sent", "sent"]


@pytest.mark.django_db
def test_a_failing_robot_is_retried_with_backoff_and_never_loses_the_notification(
    city, client, committed, pinned
):
    with robot_receiver() as robot:
        robot.answers = [(500, {}), (200, {"errcode": 310000, "errmsg": "sign not match"})]
        group_robot_update(
            user=city.owner, channel=Channel.DINGTALK, webhook_url=f"{robot.url}/send", secret=SECRET
        )
        preferences_update(user=city.owner, choices={"test_kind": [Channel.DINGTALK]})
        send(committed, city.owner)
        assert Notification.objects.filter(recipient=city.owner).count() == 1
        delivery = Delivery.objects.get()
        assert (delivery.status, delivery.attempts, delivery.last_error) == ("pending", 1, "HTTP 500")
        assert delivery.due_at == NOON + datetime.timedelta(seconds=30)
        pinned.shift(datetime.timedelta(seconds=30))
        send_due_deliveries.call()
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.due_at) == (2, timezone.now() + datetime.timedelta(seconds=60))
        assert "sign not match" in delivery.last_error
        pinned.shift(datetime.timedelta(seconds=59))
        assert send_due_deliveries.call() == 0  # the wait doubles
        pinned.shift(datetime.timedelta(seconds=1))
        send_due_deliveries.call()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(robot.received) == 3


@pytest.mark.django_db
def test_after_the_last_attempt_the_delivery_fails_and_the_office_sees_why(city, client, committed, pinned):
    with robot_receiver() as robot:
        robot.answers = [(502, {})] * 5
        group_robot_update(user=city.owner, channel=Channel.WECOM, webhook_url=f"{robot.url}/send")
        preferences_update(user=city.owner, choices={"test_kind": [Channel.WECOM]})
        send(committed, city.owner)
        for _ in range(5):
            pinned.shift(datetime.timedelta(minutes=10))
            send_due_deliveries.call()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 5, "HTTP 502")
    assert len(robot.received) == 5
    client.force_login(city.owner)
    page = client.get("/notifications/channels/").content.decode()
    assert 'data-status="failed"' in page and "HTTP 502" in page


@pytest.mark.django_db
def test_an_unreachable_robot_is_an_error_kept_on_the_delivery(city, committed, pinned):
    with robot_receiver() as robot:
        closed = robot.url
    group_robot_update(user=city.owner, channel=Channel.WECOM, webhook_url=f"{closed}/send")
    preferences_update(user=city.owner, choices={"test_kind": [Channel.WECOM]})
    send(committed, city.owner)
    delivery = Delivery.objects.get()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_error


@pytest.mark.django_db
def test_a_rolled_back_write_notifies_no_one(city, committed, pinned):
    city.owner.email = "lugang@example.com"
    city.owner.save()
    with committed():
        try:
            with transaction.atomic():
                notify(recipient=city.owner, kind="test_kind", title="撤回的操作")
                raise RuntimeError("the caller's write failed")
        except RuntimeError:
            pass
    assert not Notification.objects.exists() and not Delivery.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_the_secret_and_the_token_are_never_shown_back_and_blanks_keep_them(city, client):
    token = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
    url = f"https://oapi.dingtalk.com/robot/send?access_token={token}"
    group_robot_update(user=city.county, channel=Channel.DINGTALK, webhook_url=url, secret=SECRET)
    client.force_login(city.county)
    page = client.get("/notifications/channels/").content.decode()
    assert SECRET not in page and token not in page
    assert SECRET[-4:] in page and f"access_token=••••••{token[-4:]}" in page
    kept = client.post(
        "/notifications/channels/",
        {"channel": "dingtalk", "dingtalk-webhook_url": "", "dingtalk-secret": "", "dingtalk-enabled": ""},
    )
    assert kept.status_code == 302
    robot = GroupRobot.objects.get(organization=city.guan_office)
    assert (robot.webhook_url, robot.secret, robot.enabled) == (url, SECRET, False)
    client.post("/notifications/channels/", {"channel": "dingtalk", "dingtalk-clear_secret": "on"})
    assert GroupRobot.objects.get().secret == ""
    bad = client.post("/notifications/channels/", {"channel": "wecom", "wecom-webhook_url": "ftp://x/y"})
    assert bad.status_code == 422 and "http://" in bad.content.decode()
    none = client.post("/notifications/channels/", {"channel": "wecom", "wecom-webhook_url": ""})
    assert none.status_code == 422 and "请填写 Webhook 地址" in none.content.decode()
    client.post("/notifications/channels/", {"channel": "dingtalk", "dingtalk-remove": "on"})
    assert not GroupRobot.objects.exists()


@pytest.mark.django_db
def test_only_office_roles_set_their_own_organisations_robots(city, client):
    client.force_login(city.leader)
    assert client.get("/notifications/channels/").status_code == 403
    client.force_login(city.department_officer)
    client.post(
        "/notifications/channels/",
        {
            "channel": "wecom",
            "wecom-webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=d",
            "wecom-enabled": "on",
        },
    )
    assert list(GroupRobot.objects.values_list("organization", flat=True)) == [city.department.pk]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
def test_a_notification_folded_while_its_message_is_being_claimed_goes_out_with_it(city, pinned):
    """The sender claims a pending message while a caller's transaction is folding a notification into
    it: the sender waits for the caller, and sends the notification with the rest."""
    with robot_receiver() as robot:
        group_robot_update(user=city.owner, channel=Channel.WECOM, webhook_url=f"{robot.url}/send")
        preferences_update(user=city.owner, choices={"test_kind": [Channel.WECOM]})
        notify(recipient=city.owner, kind="test_kind", title="第一条")
        notify(recipient=city.owner, kind="test_kind", title="第二条")
        pinned.shift(datetime.timedelta(minutes=1))
        folded, release = threading.Event(), threading.Event()

        def caller():
            try:
                with transaction.atomic():
                    notify(recipient=city.owner, kind="test_kind", title="第三条")
                    folded.set()
                    release.wait(5)
            finally:
                connection.close()

        def sender():
            try:
                send_due_deliveries.call()
            finally:
                connection.close()

        threads = [threading.Thread(target=caller), threading.Thread(target=sender)]
        threads[0].start()
        assert folded.wait(5)
        threads[1].start()
        threads[1].join(0.5)  # the sender is waiting for the caller's transaction
        release.set()
        for thread in threads:
            thread.join(10)
    contents = [r.body["markdown"]["content"] for r in robot.received]
    assert len(contents) == 2 and "第一条" in contents[0]
    assert "**第二条**" in contents[1] and "**第三条**" in contents[1]


@pytest.mark.django_db
def test_the_robots_page_takes_the_same_queries_for_3_and_30_deliveries(city, client, committed, pinned):
    group_robot_update(user=city.county, channel=Channel.WECOM, webhook_url="http://127.0.0.1:9/closed")
    preferences_update(user=city.county, choices={"test_kind": [Channel.WECOM]})
    counts = []
    for n in (3, 27):
        for _ in range(n):
            send(committed, city.county)
            pinned.shift(datetime.timedelta(minutes=20))
            Delivery.objects.filter(status="pending").update(status="failed")
        client.force_login(city.county)
        client.get("/notifications/channels/")
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/notifications/channels/").status_code == 200
        counts.append(len(captured))
    assert Delivery.objects.count() == 30
    assert counts == [4, 4]  # session, user with its organisation, robots, deliveries with their recipients
