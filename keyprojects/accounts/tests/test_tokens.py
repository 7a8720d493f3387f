"""API tokens end: after `KEYPROJECTS_API_TOKEN_DAYS`, when revoked by their holder (page or API), and when
the holder's password changes or the account is disabled."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from keyprojects.accounts.models import ApiToken
from keyprojects.accounts.tests.api_client import API, ApiClient

START = datetime.datetime(2026, 3, 2, 12, 0, tzinfo=datetime.UTC)


def me(client, raw: str):
    return client.get(f"{API}/me", headers={"Authorization": f"Bearer {raw}"})


def test_a_token_expires_after_the_set_days(client, city, settings):
    settings.KEYPROJECTS_API_TOKEN_DAYS = 90
    with time_machine.travel(START, tick=False) as traveller:
        token, raw = ApiToken.issue(user=city.county, name="同步")
        assert token.expires_at == START + datetime.timedelta(days=90)
        traveller.shift(datetime.timedelta(days=90) - datetime.timedelta(seconds=1))
        assert me(client, raw).status_code == 200
        traveller.shift(datetime.timedelta(seconds=1))
        expired = me(client, raw)
        assert expired.status_code == 401


def test_the_days_are_a_setting(client, city, settings):
    settings.KEYPROJECTS_API_TOKEN_DAYS = 7
    with time_machine.travel(START, tick=False):
        token, _raw = ApiToken.issue(user=city.county)
    assert token.expires_at == START + datetime.timedelta(days=7)


def test_a_password_change_revokes_every_token(client, city):
    _token, raw = ApiToken.issue(user=city.county)
    _other, other_raw = ApiToken.issue(user=city.other_county)
    client.force_login(city.county)
    changed = client.post(
        reverse("accounts:password"),
        {
            "old_password": "Secret-pass-1",
            "new_password1": "Another-pass-22",
            "new_password2": "Another-pass-22",
        },
    )
    assert changed.status_code == 302
    assert me(Client(), raw).status_code == 401
    assert ApiToken.objects.get(user=city.county).revoked_at is not None
    assert me(Client(), other_raw).status_code == 200


def test_a_password_set_anywhere_revokes_the_tokens(city):
    _token, _raw = ApiToken.issue(user=city.county)
    city.county.set_password("Set-by-command-9")
    city.county.save()
    assert ApiToken.objects.get(user=city.county).revoked_at is not None


def test_disabling_an_account_revokes_its_tokens(client, city):
    _token, raw = ApiToken.issue(user=city.county)
    city.county.is_active = False
    city.county.save(update_fields=["is_active"])
    assert ApiToken.objects.get(user=city.county).revoked_at is not None
    city.county.is_active = True
    city.county.save()
    assert me(client, raw).status_code == 401  # enabling again brings no token back


def test_other_saves_keep_the_tokens(city):
    _token, _raw = ApiToken.issue(user=city.county)
    city.county.phone = "0635-1234567"
    city.county.save()
    city.county.save(update_fields=["last_login"])
    assert ApiToken.objects.get(user=city.county).revoked_at is None


def test_the_api_lists_each_token_with_its_times(city):
    with time_machine.travel(START, tick=False):
        ApiToken.issue(user=city.county, name="报表同步")
        api = ApiClient(city.county)
        listed = api.get("/auth/tokens").json()["items"]
    first = next(item for item in listed if item["name"] == "报表同步")
    assert first["created_at"] == "2026-03-02T12:00:00Z"
    assert first["expires_at"] == "2026-05-31T12:00:00Z"
    assert first["last_used_at"] is None and first["revoked_at"] is None


def test_the_tokens_page_lists_and_revokes(client, city):
    mine, _raw = ApiToken.issue(user=city.county, name="报表同步")
    theirs, _raw = ApiToken.issue(user=city.other_county, name="别人的")
    client.force_login(city.county)
    page = client.get(reverse("accounts:tokens"))
    html = page.content.decode()
    assert page.status_code == 200 and "报表同步" in html and "别人的" not in html and "有效" in html
    assert reverse("accounts:tokens") in client.get(reverse("accounts:profile")).content.decode()
    assert client.post(reverse("accounts:token_revoke", args=[theirs.pk])).status_code == 404
    done = client.post(reverse("accounts:token_revoke", args=[mine.pk]), follow=True)
    assert "已吊销" in done.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert client.post(reverse("accounts:token_revoke", args=[mine.pk])).status_code == 404


@pytest.mark.parametrize("query_tokens", [1, 5])
def test_the_tokens_page_reads_in_fixed_queries(client, city, django_assert_max_num_queries, query_tokens):
    for n in range(query_tokens):
        ApiToken.issue(user=city.county, name=f"令牌{n}")
    client.force_login(city.county)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("accounts:tokens")).status_code == 200
