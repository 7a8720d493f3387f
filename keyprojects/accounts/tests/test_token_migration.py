"""Tokens issued before tokens expired end 90 days after they were issued."""

import datetime

import pytest


@pytest.mark.django_db(transaction=True)
def test_issued_tokens_expire_ninety_days_after_their_issue(migrator):
    old = migrator.apply_initial_migration([("accounts", "0010_encrypted_phones")])
    user = old.apps.get_model("accounts", "User").objects.create(username="guanxian", role="county_officer")
    ApiToken = old.apps.get_model("accounts", "ApiToken")
    token = ApiToken.objects.create(user=user, key_hash="a" * 64, prefix="abcdefgh")
    issued = datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)
    ApiToken.objects.filter(pk=token.pk).update(created_at=issued)

    new = migrator.apply_tested_migration([("accounts", "0011_api_token_expiry")])
    migrated = new.apps.get_model("accounts", "ApiToken").objects.get(pk=token.pk)
    assert migrated.expires_at == issued + datetime.timedelta(days=90)
