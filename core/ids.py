"""Prefixed, URL-safe identifiers such as ``lead_4x2k…``."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
# Byte -> alphabet letter; bytes >= 252 (7 * 36) are dropped first, so letters stay uniform.
_TABLE = bytes(ord(_ALPHABET[b % len(_ALPHABET)]) for b in range(256))
_DROP = bytes(range(7 * len(_ALPHABET), 256))


def random_token(length: int, alphabet: str = _ALPHABET) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_id(prefix: str, length: int = 20) -> str:
    """One read of the system CSPRNG per id: every request mints one (its request id), and
    a read per character (``secrets.choice``) was 20 ``getrandom`` calls a request."""
    return new_ids(prefix, 1, length)[0]


def new_ids(prefix: str, count: int, length: int = 20) -> list[str]:
    """``count`` ids shaped like :func:`new_id` from one read of the system CSPRNG instead
    of one per character (the fan-out makes hundreds per batch)."""
    need = count * length
    letters = b""
    while len(letters) < need:
        chunk = secrets.token_bytes(need - len(letters) + 16 + need // 32)
        letters += chunk.translate(_TABLE, _DROP)
    text = letters.decode("ascii")
    head = prefix + "_"
    return [head + text[i : i + length] for i in range(0, need, length)]
