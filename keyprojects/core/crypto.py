"""Personal data encrypted at rest (GB/T 39786, 商用密码): SM4 in GCM mode (GB/T 32907 block cipher,
authenticated), through `cryptography` (OpenSSL's SM4). The 128-bit key is `KEYPROJECTS_FIELD_KEY`
(32 hex digits) from the environment; production refuses to start without it (settings/production.py).

A value is stored as ``sm4gcm:`` + base64(12-byte nonce ‖ ciphertext ‖ 16-byte tag), with the table
and column as associated data, so a value moved to another column no longer decrypts. A stored value
without the prefix is plaintext from before the field was encrypted (the data migrations encrypt it);
an empty value stays empty.

The key is parsed once (again when a test changes the setting), and each stored value is decrypted once per
process: the same rows (the signed-in user on every page, the lists read again and again) cost a lookup.
"""

import base64
import os
from functools import cache, lru_cache
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.db import migrations, models

PREFIX = "sm4gcm:"
NONCE, TAG = 12, 16


@cache
def _key() -> bytes:
    try:
        key = bytes.fromhex(settings.KEYPROJECTS_FIELD_KEY)
    except ValueError:
        key = b""
    if len(key) != 16:
        raise ImproperlyConfigured("KEYPROJECTS_FIELD_KEY must be 32 hexadecimal digits (a 128-bit SM4 key).")
    return key


def encrypt(plain: str, *, context: str) -> str:
    nonce = os.urandom(NONCE)
    encryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    sealed = encryptor.update(plain.encode()) + encryptor.finalize()
    return PREFIX + base64.b64encode(nonce + sealed + encryptor.tag).decode()


def decrypt(stored: str, *, context: str) -> str:
    if not stored.startswith(PREFIX):
        return stored
    return _decrypted(stored, context)


@lru_cache(maxsize=20_000)
def _decrypted(stored: str, context: str) -> str:
    raw = base64.b64decode(stored[len(PREFIX) :])
    nonce, sealed, tag = raw[:NONCE], raw[NONCE:-TAG], raw[-TAG:]
    decryptor = Cipher(algorithms.SM4(_key()), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    return (decryptor.update(sealed) + decryptor.finalize()).decode()


def _forget_key(*, setting: str, **kwargs: Any) -> None:
    if setting == "KEYPROJECTS_FIELD_KEY":
        _key.cache_clear()
        _decrypted.cache_clear()


setting_changed.connect(_forget_key, dispatch_uid="crypto:key")


class EncryptedCharField(models.TextField):
    """A short text kept encrypted in the database and plain in Python; forms and schemas still see a
    `max_length` text. Not searchable or sortable in the database (each value has its own nonce)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)

    @property
    def context(self) -> str:
        return f"{self.model._meta.db_table}.{self.column}"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else decrypt(value, context=self.context)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return encrypt(value, context=self.context) if value else value

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"widget": forms.TextInput, **kwargs})


def encrypt_column(model: str, field: str) -> migrations.RunPython:
    """A data migration encrypting the existing values of `model.field` (an `EncryptedCharField` by now),
    and, backwards, writing them back in plain text."""

    def rows(apps: Any) -> tuple[Any, list[tuple[Any, str]]]:
        Model = apps.get_model(model)
        return Model, list(Model.objects.exclude(**{field: ""}).values_list("pk", field))

    def forward(apps: Any, schema_editor: Any) -> None:
        Model, values = rows(apps)
        for pk, value in values:
            Model.objects.filter(pk=pk).update(**{field: value})

    def backward(apps: Any, schema_editor: Any) -> None:
        Model, values = rows(apps)
        for pk, value in values:
            Model.objects.filter(pk=pk).update(
                **{field: models.Value(value, output_field=models.TextField())}
            )

    return migrations.RunPython(forward, backward, elidable=False)
