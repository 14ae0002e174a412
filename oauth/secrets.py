"""Opaque, prefixed secrets and their digests.

Tokens, codes and client secrets carry 256 bits of randomness, so a SHA-256 digest is safe
to store and cheap to check; passwords are low-entropy and use Argon2 instead."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ACCESS_PREFIX = "hwo_at_"
REFRESH_PREFIX = "hwo_rt_"
USER_ACCESS_PREFIX = "hwu_at_"
USER_REFRESH_PREFIX = "hwu_rt_"
SESSION_PREFIX = "hwu_ss_"
CLIENT_SECRET_PREFIX = "hwcs_"  # noqa: S105 (a prefix, not a secret)

_hasher = PasswordHasher()
# Verified against when the account does not exist, so timing does not reveal it.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def new_token(prefix: str = "") -> str:
    return f"{prefix}{secrets.token_urlsafe(32)}"


def digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def digest_matches(value: str, stored: str | None) -> bool:
    return stored is not None and hmac.compare_digest(digest(value), stored)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, stored: str | None) -> bool:
    try:
        return _hasher.verify(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(15)
