"""The field key is parsed once and each stored value decrypted once, until the key setting changes."""

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from keyprojects.core.crypto import decrypt, encrypt

CONTEXT = "projects_project.contact_phone"


def test_a_changed_key_is_used_at_once():
    stored = encrypt("13812345678", context=CONTEXT)
    assert decrypt(stored, context=CONTEXT) == "13812345678"
    with (
        override_settings(KEYPROJECTS_FIELD_KEY="00112233445566778899aabbccddeeff"),
        pytest.raises(InvalidTag),
    ):
        decrypt(stored, context=CONTEXT)
    with override_settings(KEYPROJECTS_FIELD_KEY="not hex"), pytest.raises(ImproperlyConfigured):
        encrypt("13812345678", context=CONTEXT)
    assert decrypt(stored, context=CONTEXT) == "13812345678"


def test_a_value_moved_to_another_column_does_not_decrypt():
    stored = encrypt("13812345678", context=CONTEXT)
    assert decrypt(stored, context=CONTEXT) == "13812345678"
    with pytest.raises(InvalidTag):
        decrypt(stored, context="accounts_user.phone")
