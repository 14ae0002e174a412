"""Prefixed, URL-safe identifiers such as ``lead_4x2k…``."""

from __future__ import annotations

import secrets

_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def random_token(length: int, alphabet: str = _ALPHABET) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


def new_id(prefix: str, length: int = 20) -> str:
    return f"{prefix}_{random_token(length)}"
