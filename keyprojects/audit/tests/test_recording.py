"""Each kind of record, with its actor, address, object and values."""

import datetime
import zoneinfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.accounts.models import (
    AdministratorSession,
    Lockout,
    Organization,
    PasswordHistory,
    Role,
    RoleGrant,
)
from keyprojects.accounts.policy import security_policy_update
from keyprojects.accounts.tests.api_client import ApiClient
from keyprojects.alerts.models import WarningRules
from keyprojects.audit.context import audit_context, audit_reason, request_context
from keyprojects.audit.models import AuditKind, AuditRecord
from keyprojects.progress.tests.report_helpers import make_project, open_round, submit
from keyprojects.projects.models import DictionaryEntry
from keyprojects.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
LOCKED_AT = datetime.datetime(2026, 6, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


def latest(kind: str) -> AuditRecord:
    return AuditRecord.objects.filter(kind=kind).order_by("-seq").first()


def test_a_sign_in_its_failure_with_the_reason_and_the_sign_out(client, city, committed):
    with committed():
        client.post(
            reverse("accounts:login"), {"username": "guanxian", "password": "wrong"}, REMOTE_ADDR="10.1.2.3"
        )
        client.post(reverse("accounts:login"), {"username": "nobody", "password": "x"})
        client.post(
            reverse("accounts:login"),
            {"username": "guanxian", "password": "Secret-pass-1"},
            REMOTE_ADDR="10.1.2.4",
        )
        client.post(reverse("accounts:logout"))
    failed = list(AuditRecord.objects.filter(kind=AuditKind.SIGN_IN_FAILED).order_by("seq"))
    assert [(r.username, r.reason, r.actor_id) for r in failed] == [
        ("guanxian", "密码错误", None),
        ("nobody", "用户名不存在", None),
    ]
    assert failed[0].ip == "10.1.2.3"
    signed_in = latest(AuditKind.SIGN_IN)
    assert (signed_in.actor_id, signed_in.username, signed_in.ip) == (city.county.pk, "guanxian", "10.1.2.4")
    assert latest(AuditKind.SIGN_OUT).actor_id == city.county.pk
    assert "Secret-pass-1" not in str(list(AuditRecord.objects.values()))


def test_a_lock_that_expires_is_no_unlock_whoever_signs_in_next(client, city, committed):
    def lock_and_wait() -> None:
        for _ in range(5):
            client.post(reverse("accounts:login"), {"username": "guanxian", "password": "wrong"})
        assert AccessAttempt.objects.filter(username="guanxian").exists()
        traveller.shift(datetime.timedelta(minutes=16))

    with time_machine.travel(LOCKED_AT, tick=False) as traveller, committed():
        lock_and_wait()
        client.post(reverse("accounts:login"), {"username": "gaotang", "password": "Secret-pass-1"})
        lock_and_wait()
        issued = ApiClient().post("/auth/token", {"username": "gaotang", "password": "Secret-pass-1"})
        assert issued.status_code == 200
    assert latest(AuditKind.LOCKOUT).username == "guanxian"
    assert not AccessAttempt.objects.filter(username="guanxian").exists()  # expired, cleaned by axes
    assert not AuditRecord.objects.filter(kind=AuditKind.UNLOCK).exists()


def test_the_security_administrators_unlock_is_one_record_naming_both(client, city, committed):
    with committed():
        for _ in range(5):
            client.post(reverse("accounts:login"), {"username": "guanxian", "password": "wrong"})
    client.force_login(city.security_admin)
    with committed():
        client.post(
            reverse("admin:accounts_lockout_changelist"),
            {"action": "unlock", "_selected_action": list(Lockout.objects.values_list("pk", flat=True))},
        )
    unlocks = list(AuditRecord.objects.filter(kind=AuditKind.UNLOCK))
    assert [(r.actor_id, r.username, r.object_text, r.old) for r in unlocks] == [
        (city.security_admin.pk, "security-liaocheng", "guanxian", {"failures": {"t": "int", "v": 5}})
    ]


def test_signing_in_clears_ones_own_failures_without_an_unlock(client, city, committed):
    with committed():
        client.post(reverse("accounts:login"), {"username": "guanxian", "password": "wrong"})
        client.post(reverse("accounts:login"), {"username": "guanxian", "password": "Secret-pass-1"})
    assert not AccessAttempt.objects.filter(username="guanxian").exists()
    assert not AuditRecord.objects.filter(kind=AuditKind.UNLOCK).exists()


def test_a_request_on_an_expired_session_is_a_timeout_of_its_person(client, city, committed):
    client.force_login(city.county)
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(minutes=1))
    with committed():
        client.get("/todo/")
        client.get("/todo/")
    timeouts = list(AuditRecord.objects.filter(kind=AuditKind.SESSION_TIMEOUT))
    assert [(r.actor_id, r.username) for r in timeouts] == [(city.county.pk, "guanxian")]


def test_a_write_keeps_the_changed_fields_old_and_new_with_the_object_and_its_city(city, committed):
    office = Organization.objects.get(pk=city.guan_office.pk)
    with committed(), audit_context(request_context(_request_of(city.admin))), audit_reason("更名"):
        office.name = "冠县发展改革局"
        office.save()
    record = latest(AuditKind.WRITE)
    assert (record.object_model, record.object_pk, record.city_id) == (
        "accounts.organization",
        str(office.pk),
        city.liaocheng.pk,
    )
    assert record.old == {"name": {"t": "text", "v": "冠县发展和改革局"}}
    assert record.new == {"name": {"t": "text", "v": "冠县发展改革局"}}
    assert (record.actor_id, record.reason, record.ip) == (city.admin.pk, "更名", "127.0.0.1")


@pytest.mark.django_db(
    transaction=True
)  # the service's transaction commits inside the request, as it does live
def test_a_write_through_a_page_carries_the_reason_the_person_gave(client, city):
    project = make_project(city, name="冠州国际陆港")
    open_round(city, [project])
    report = submit(city.owner, project)
    client.force_login(city.county)
    client.post(f"/progress/reports/{report.pk}/review/", {"decision": "return", "reason": "照片不清晰"})
    returned = AuditRecord.objects.filter(object_model="progress.monthlyreport").latest("seq")
    assert (returned.actor_id, returned.new["status"]["v"], returned.reason) == (
        city.county.pk,
        "returned",
        "照片不清晰",
    )


def test_a_creation_and_a_deletion_are_writes_and_an_unchanged_save_is_none(city, committed):
    with committed():
        office = Organization.objects.create(
            name="临时机构", kind=Organization.Kind.DEPARTMENT, region=city.guanxian
        )
        office.save()
        office.delete()
    writes = list(AuditRecord.objects.filter(object_model="accounts.organization").order_by("seq"))
    assert len(writes) == 2
    assert writes[0].old is None and writes[0].new["name"] == {"t": "text", "v": "临时机构"}
    assert writes[1].new is None and writes[1].old["name"] == {"t": "text", "v": "临时机构"}


def test_a_rolled_back_write_is_not_recorded(city, committed):
    from django.db import transaction

    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        Organization.objects.create(name="未提交", kind=Organization.Kind.DEPARTMENT, region=city.guanxian)
        raise RuntimeError
    assert not AuditRecord.objects.filter(object_text="未提交").exists()


def test_rights_and_settings_are_their_own_kinds(city, committed):
    with committed():
        city.county.role = Role.CITY_ADMIN
        city.county.save()
        RoleGrant.objects.create(user=city.county, old_role=Role.COUNTY_OFFICER, new_role=Role.CITY_ADMIN)
        WarningRules.objects.create(city=city.liaocheng, start_red_months=4)
    rights = list(AuditRecord.objects.filter(kind=AuditKind.RIGHTS).order_by("seq"))
    assert rights[0].new == {"role": {"t": "choice", "v": "city_admin"}}
    assert rights[0].old == {"role": {"t": "choice", "v": "county_officer"}}
    assert rights[1].object_model == "accounts.rolegrant"
    settings_change = latest(AuditKind.SETTINGS)
    assert settings_change.object_model == "alerts.warningrules"
    assert settings_change.new["start_red_months"] == {"t": "int", "v": 4}


def test_the_security_policy_and_the_dictionaries_are_settings(city, committed):
    with committed():
        security_policy_update(actor=city.security_admin, values={"lockout_minutes": 30})
        DictionaryEntry.objects.create(city=city.liaocheng, kind="industry", code="X9", label="新兴产业")
    kinds = dict(
        AuditRecord.objects.filter(object_model__in=["accounts.securitypolicy", "projects.dictionaryentry"])
        .values_list("object_model", "kind")
        .distinct()
    )
    assert kinds == {
        "accounts.securitypolicy": AuditKind.SETTINGS,
        "projects.dictionaryentry": AuditKind.SETTINGS,
    }


def test_a_password_change_is_recorded_without_the_password(city, committed):
    with committed():
        city.county.set_password("Another-pass-2")
        city.county.save()
    record = AuditRecord.objects.filter(kind=AuditKind.WRITE, object_model="accounts.user").latest("seq")
    assert record.new == {"password": {"t": "text", "v": "******"}}
    kept = AuditRecord.objects.filter(object_model="accounts.passwordhistory").latest("seq")
    assert kept.new["encoded"] == {"t": "text", "v": "******"}


def test_secrets_and_personal_data_are_recorded_masked(city, committed):
    with committed():
        device = TOTPDevice.objects.create(
            user=city.county, name="手机", key="3132333435363738393031323334353637383930"
        )
        StaticToken.objects.create(device=StaticDevice.objects.create(user=city.county), token="recover1")
        PasswordHistory.objects.create(user=city.county, encoded="argon2$secret-hash")
        AdministratorSession.objects.create(user=city.admin, session_key="sessionkey0123456789")
        project = ProjectFactory(region=city.guanxian, owner=city.enterprise, contact_phone="13812345678")
        project.contact_phone = "13987654321"
        project.save()
    trail = str(list(AuditRecord.objects.values("old", "new")))
    for secret in (
        device.key,
        "recover1",
        "argon2$secret-hash",
        "sessionkey0123456789",
        "13812345678",
        "13987654321",
    ):
        assert secret not in trail
    change = AuditRecord.objects.filter(object_model="projects.project", kind=AuditKind.WRITE).order_by(
        "-seq"
    )[0]
    assert (change.old["contact_phone"]["v"], change.new["contact_phone"]["v"]) == (
        "138****5678",
        "139****4321",
    )


def test_a_refusal_and_a_hidden_record_are_denied_attempts(client, city, committed):
    client.force_login(city.county)
    with committed():
        assert client.get("/audit/").status_code == 403
        assert client.get("/projects/999999/").status_code == 404
        assert client.get("/no-such-page/").status_code == 404
    denied = list(AuditRecord.objects.filter(kind=AuditKind.DENIED).order_by("seq"))
    assert [(r.actor_id, r.path, r.object_text) for r in denied] == [
        (city.county.pk, "/audit/", "403"),
        (city.county.pk, "/projects/999999/", "404"),
    ]


def test_an_api_request_counts_as_its_tokens_user(city, committed):
    api = ApiClient(city.city_admin)
    with committed():
        assert api.request("get", "/audit").status_code == 403
    record = latest(AuditKind.DENIED)
    assert (record.actor_id, record.method, record.path) == (city.city_admin.pk, "GET", "/api/v1/audit")


def test_an_export_is_recorded(client, city, committed):
    client.force_login(city.city_admin)
    with committed():
        answer = client.get("/sheets/export/projects.xlsx")
    assert answer.status_code == 200
    record = latest(AuditKind.EXPORT)
    assert record.actor_id == city.city_admin.pk and ".xlsx" in record.object_text


def test_the_address_comes_from_the_proxys_header_only_when_it_is_trusted(client, city, committed, settings):
    client.force_login(city.county)
    with committed():
        client.get("/audit/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert latest(AuditKind.DENIED).ip == "10.0.0.9"
    settings.AUDIT_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    with committed():
        client.get("/audit/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR="1.2.3.4, 172.16.0.5")
    assert latest(AuditKind.DENIED).ip == "172.16.0.5"


def _request_of(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request
