"""API key strings: ``hw_<env>_<publicId>_<secret>``. Only a digest of the secret is kept."""

from __future__ import annotations

import hashlib
import hmac
import string
from dataclasses import dataclass

from core.ids import random_token

PUBLIC_ID_LENGTH = 16
SECRET_LENGTH = 40
_PUBLIC_ALPHABET = string.ascii_lowercase + string.digits
_SECRET_ALPHABET = string.ascii_letters + string.digits
ENVIRONMENTS = ("live", "test")
# `hw_…`: a workspace's API key; `hwp_…`: a partner's key (core/partners).
BRANDS = ("hw", "hwp")


@dataclass(frozen=True, slots=True)
class ParsedKey:
    brand: str
    environment: str
    public_id: str
    secret: str

    @property
    def key_id(self) -> str:
        return f"{'pkey' if self.brand == 'hwp' else 'key'}_{self.public_id}"


@dataclass(frozen=True, slots=True)
class NewKey:
    key_id: str
    prefix: str
    secret_hash: str
    plaintext: str


def hash_secret(secret: str) -> str:
    # The secret carries ~238 bits of entropy, so a fast digest is safe and keeps auth cheap.
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, digest: str | None) -> bool:
    return digest is not None and hmac.compare_digest(hash_secret(secret), digest)


def new_secret() -> str:
    return random_token(SECRET_LENGTH, _SECRET_ALPHABET)


def generate_key(environment: str, public_id: str | None = None, *, brand: str = "hw") -> NewKey:
    public_id = public_id or random_token(PUBLIC_ID_LENGTH, _PUBLIC_ALPHABET)
    secret = new_secret()
    prefix = f"{brand}_{environment}_{public_id}"
    return NewKey(
        key_id=f"{'pkey' if brand == 'hwp' else 'key'}_{public_id}",
        prefix=prefix,
        secret_hash=hash_secret(secret),
        plaintext=f"{prefix}_{secret}",
    )


def parse_key(token: str) -> ParsedKey | None:
    parts = token.split("_")
    if len(parts) != 4 or parts[0] not in BRANDS or parts[1] not in ENVIRONMENTS:
        return None
    brand, environment, public_id, secret = parts
    if len(public_id) != PUBLIC_ID_LENGTH or len(secret) != SECRET_LENGTH:
        return None
    return ParsedKey(brand=brand, environment=environment, public_id=public_id, secret=secret)


def mask(prefix: str) -> str:
    return f"{prefix}_{'*' * 8}"
