"""The audit administrator's page, its export and `GET /api/v1/audit`: filters, access, query counts."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.audit.models import AuditKind, AuditRecord

from .conftest import make

pytestmark = pytest.mark.django_db


def test_only_the_audit_administrator_reads_the_page_the_export_and_the_api(client, city, auditor):
    for user in (city.admin, city.city_admin, city.county, city.owner, city.province_officer):
        client.force_login(user)
        assert client.get("/audit/").status_code == 403
        assert client.get("/audit/export.xlsx").status_code == 403
        assert ApiClient(user).request("get", "/audit").status_code == 403
    client.force_login(auditor)
    assert client.get("/audit/").status_code == 200
    assert ApiClient(auditor).request("get", "/audit").status_code == 200
    assert ApiClient(auditor).request("post", "/audit", {}).status_code == 405


def test_the_navigation_and_the_todo_page_lead_the_auditor_to_the_trail(client, auditor):
    client.force_login(auditor)
    page = client.get("/todo/").content.decode()
    assert 'href="/audit/"' in page and "今日登录失败" in page


def test_the_page_searches_by_person_kind_time_and_object(client, city, auditor):
    now = timezone.now()
    make(2, kind=AuditKind.SIGN_IN_FAILED, username="guanxian", at=now - datetime.timedelta(days=3))
    make(1, kind=AuditKind.WRITE, username="city", object_text="冠县陆港物流园", actor_id=city.city_admin.pk)
    client.force_login(auditor)

    def seqs(**query):
        page = client.get("/audit/", query)
        return [row.record.seq for row in page.context["rows"]]

    assert len(seqs()) == 3
    assert len(seqs(person="guanxian")) == 2
    assert len(seqs(person=city.city_admin.full_name or "city")) == 1
    assert len(seqs(kind="write")) == 1
    assert len(seqs(object="陆港")) == 1
    today = timezone.localdate()
    assert len(seqs(since=today.isoformat())) == 1
    assert len(seqs(until=(today - datetime.timedelta(days=1)).isoformat())) == 2


def test_the_export_is_the_filtered_records_and_is_itself_audited(
    client, auditor, django_capture_on_commit_callbacks
):
    make(2, kind=AuditKind.SIGN_IN_FAILED, username="guanxian", object_text="=cmd")
    make(1, kind=AuditKind.WRITE, username="city")
    client.force_login(auditor)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.get("/audit/export.xlsx", {"kind": "sign_in_failed"})
    sheet = load_workbook(io.BytesIO(answer.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [row[3] for row in rows] == ["guanxian", "guanxian"]
    assert rows[0][2] == "登录失败" and rows[0][6] == "=cmd"
    export = AuditRecord.objects.filter(kind=AuditKind.EXPORT).get()
    assert (export.actor_id, export.path) == (auditor.pk, "/audit/export.xlsx?kind=sign_in_failed")


def test_the_api_filters_by_user_kind_and_dates(city, auditor):
    now = timezone.now()
    make(2, kind=AuditKind.SIGN_IN_FAILED, username="guanxian", at=now - datetime.timedelta(days=3))
    make(1, kind=AuditKind.WRITE, username="city", old={"name": {"t": "text", "v": "甲"}})
    api = ApiClient(auditor)
    body = api.request("get", "/audit").json()
    assert body["count"] == 3 and body["items"][0]["old"] == {"name": {"t": "text", "v": "甲"}}
    assert api.request("get", "/audit", {"user": "guanxian"}).json()["count"] == 2
    assert api.request("get", "/audit", {"kind": "write"}).json()["count"] == 1
    today = timezone.localdate()
    assert api.request("get", "/audit", {"since": today.isoformat()}).json()["count"] == 1
    assert (
        api.request("get", "/audit", {"until": (today - datetime.timedelta(days=1)).isoformat()}).json()[
            "count"
        ]
        == 2
    )
    assert api.request("get", "/audit", {"kind": "nonsense"}).status_code == 422


@pytest.mark.parametrize("size", [5, 60])
def test_the_page_and_the_api_read_in_a_fixed_number_of_queries(
    client, city, auditor, size, django_assert_num_queries
):
    make(size, actor_id=city.county.pk, username="guanxian", old={"name": {"t": "text", "v": "甲"}})
    client.force_login(auditor)
    client.get("/audit/")
    # session, user, count, the page of records with their actors
    with django_assert_num_queries(4):
        assert client.get("/audit/").status_code == 200
    api = ApiClient(auditor)
    api.request("get", "/audit")
    # token, count, the page of records
    with django_assert_num_queries(3):
        assert api.request("get", "/audit", {"limit": 50}).status_code == 200
