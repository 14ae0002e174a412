"""Secrets that must be read back (webhook signing secrets, provider tokens) are stored
encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the operator's ``HUBWIRE_SECRET_KEY``.

Embedded mode generates a key once into the data directory so ``make run`` needs no setup;
production sets the variable (``hubwire secret-key`` prints a new one)."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from core.errors import HubwireError


class SecretKeyMissing(HubwireError):
    code, status, default_message = "INTERNAL_ERROR", 500, "The server has no secret key."


class SecretBox:
    def __init__(self, key: str) -> None:
        self._fernet = Fernet(key.encode())

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyMissing(
                "A stored secret cannot be decrypted: HUBWIRE_SECRET_KEY changed."
            ) from exc


def new_secret_key() -> str:
    return Fernet.generate_key().decode()


def load_or_create_key_file(path: Path) -> str:
    """The embedded key: read from ``path`` or created there (mode 0600) on first start."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = new_secret_key()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key
