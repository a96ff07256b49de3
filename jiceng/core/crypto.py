"""Encryption of personal fields at rest, and the keyed blind index for exact lookup.

Both keys are derived from ``JICENG_FIELD_KEY`` with HKDF under different labels, so the
index reveals nothing about the ciphertext key and vice versa.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"jiceng", info=label).derive(
        settings.JICENG_FIELD_KEY.encode()
    )


@cache
def _fernet(field_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"field-encryption")))


@cache
def _index_key(field_key: str) -> bytes:
    return _derive(b"blind-index")


def encrypt(value: str) -> str:
    return _fernet(settings.JICENG_FIELD_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.JICENG_FIELD_KEY).decrypt(token.encode()).decode()


def blind_index(value: str) -> str:
    normalized = value.strip().upper()
    key = _index_key(settings.JICENG_FIELD_KEY)
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()
