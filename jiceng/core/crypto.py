"""Encryption of personal fields at rest, the keyed blind index for exact lookup, and the
digest of the audit chain, each under a selectable scheme.

``JICENG_CRYPTO_SCHEME`` picks the algorithms for new values: ``standard`` (Fernet, i.e.
AES-128-CBC with HMAC-SHA256, and SHA-256 for the audit chain) or ``guomi`` (国密: SM4-GCM
for fields and SM3 for the audit chain, as a 密评 under GB/T 39786-2021 asks). Stored values
carry their scheme, so values written under either are read under both: an SM4 value is
``sm4:`` followed by the URL-safe base64 of nonce, ciphertext and tag; a value without a
prefix is a Fernet token (the format before the option existed).

All keys are derived from ``JICENG_FIELD_KEY`` with HKDF under different labels, so the
index reveals nothing about the ciphertext keys and vice versa. The blind index stays
HMAC-SHA256 under either scheme, so switching schemes never re-keys lookups.
"""

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

STANDARD = "standard"
GUOMI = "guomi"
SCHEMES = (STANDARD, GUOMI)

FERNET = "fernet"
SM4 = "sm4"
_SM4_PREFIX = "sm4:"
_SM4_NONCE = 12
_SM4_TAG = 16

SHA256 = "sha256"
SM3 = "sm3"
HASH_ALGORITHMS = (SHA256, SM3)


class DecryptionFailed(ValueError):
    """A stored value that no key or scheme of this installation opens."""


def scheme() -> str:
    value = getattr(settings, "JICENG_CRYPTO_SCHEME", STANDARD)
    if value not in SCHEMES:
        raise ImproperlyConfigured(f"JICENG_CRYPTO_SCHEME must be one of {SCHEMES}, not {value!r}")
    return value


def field_cipher() -> str:
    """The cipher new field values are written with."""
    return SM4 if scheme() == GUOMI else FERNET


def chain_hash_algorithm() -> str:
    """The digest new audit rows are chained with."""
    return SM3 if scheme() == GUOMI else SHA256


def _derive(field_key: str, label: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=b"jiceng", info=label).derive(
        field_key.encode()
    )


@cache
def _fernet(field_key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(field_key, b"field-encryption")))


@cache
def _sm4_key(field_key: str) -> bytes:
    return _derive(field_key, b"field-encryption-sm4", 16)


@cache
def _index_key(field_key: str) -> bytes:
    return _derive(field_key, b"blind-index")


@cache
def _mac_key(field_key: str, label: bytes) -> bytes:
    return _derive(field_key, b"mac:" + label)


def cipher_of(token: str) -> str:
    """The cipher a stored value was written with."""
    return SM4 if token.startswith(_SM4_PREFIX) else FERNET


def _sm4_encrypt(value: bytes) -> str:
    nonce = os.urandom(_SM4_NONCE)
    encryptor = Cipher(algorithms.SM4(_sm4_key(settings.JICENG_FIELD_KEY)), modes.GCM(nonce))
    encryptor = encryptor.encryptor()
    body = encryptor.update(value) + encryptor.finalize()
    return _SM4_PREFIX + base64.urlsafe_b64encode(nonce + body + encryptor.tag).decode()


def _sm4_decrypt(token: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(token[len(_SM4_PREFIX) :].encode())
    except ValueError as e:
        raise DecryptionFailed("SM4 value is not base64") from e
    if len(raw) < _SM4_NONCE + _SM4_TAG:
        raise DecryptionFailed("SM4 value too short")
    nonce, body, tag = raw[:_SM4_NONCE], raw[_SM4_NONCE:-_SM4_TAG], raw[-_SM4_TAG:]
    cipher = Cipher(algorithms.SM4(_sm4_key(settings.JICENG_FIELD_KEY)), modes.GCM(nonce, tag))
    decryptor = cipher.decryptor()
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag as e:
        raise DecryptionFailed("SM4 value fails its tag") from e


def encrypt(value: str, *, cipher: str | None = None) -> str:
    cipher = cipher or field_cipher()
    if cipher == SM4:
        return _sm4_encrypt(value.encode())
    if cipher == FERNET:
        return _fernet(settings.JICENG_FIELD_KEY).encrypt(value.encode()).decode()
    raise ValueError(f"unknown cipher {cipher!r}")


def decrypt(token: str) -> str:
    if cipher_of(token) == SM4:
        return _sm4_decrypt(token).decode()
    try:
        return _fernet(settings.JICENG_FIELD_KEY).decrypt(token.encode()).decode()
    except InvalidToken as e:
        raise DecryptionFailed("Fernet value fails its key") from e


def blind_index(value: str) -> str:
    normalized = value.strip().upper()
    key = _index_key(settings.JICENG_FIELD_KEY)
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def digest(data: bytes, algorithm: str) -> str:
    """Hex digest of ``data`` (64 characters under both algorithms)."""
    if algorithm == SHA256:
        return hashlib.sha256(data).hexdigest()
    if algorithm == SM3:
        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize().hex()
    raise ValueError(f"unknown hash algorithm {algorithm!r}")


def mac(label: bytes, data: bytes) -> str:
    """A keyed tag over ``data`` (HMAC-SHA256 under a key of its own per label): what an
    attacker holding only the database cannot forge."""
    return hmac.new(_mac_key(settings.JICENG_FIELD_KEY, label), data, hashlib.sha256).hexdigest()
