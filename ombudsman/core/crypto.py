"""Encryption at rest of identity data (Fernet, with several keys for rotation).

IDENTITY_KEYS holds Fernet keys, newest first: new data is encrypted with the first key,
and data under any listed key can be read, so keys rotate without downtime
(`manage.py rotate_identity_keys` re-encrypts everything with the newest)."""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder


class IdentityDecryptionError(Exception):
    """No configured key opens this data (a key was removed too early)."""


MISSING_KEYS = (
    "IDENTITY_KEYS is empty: set one or more Fernet keys (newest first), e.g. the output of "
    "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`."
)


def identity_cipher() -> MultiFernet:
    keys = [key.encode() for key in settings.IDENTITY_KEYS]
    if not keys:
        raise ImproperlyConfigured(MISSING_KEYS)
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(f"IDENTITY_KEYS holds an invalid Fernet key: {exc}") from exc


def encrypt_json(value: Any) -> str:
    return identity_cipher().encrypt(json.dumps(value, cls=DjangoJSONEncoder).encode()).decode()


def decrypt_json(token: str) -> Any:
    try:
        return json.loads(identity_cipher().decrypt(token.encode()))
    except InvalidToken:
        raise IdentityDecryptionError("no configured identity key opens this data") from None


def rotate(token: str) -> str:
    """The same data encrypted under the newest key."""
    try:
        return identity_cipher().rotate(token.encode()).decode()
    except InvalidToken:
        raise IdentityDecryptionError("no configured identity key opens this data") from None
