"""Secrets that must be read back (webhook signing secrets, provider tokens) are stored
encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the operator's ``HUBWIRE_SECRET_KEY``.

Embedded mode generates a key once into the data directory so ``make run`` needs no setup;
production sets the variable (``hubwire secrets new-key`` prints a new one).

**Rotation.** ``HUBWIRE_SECRET_KEY`` may hold several comma-separated keys
(cryptography's ``MultiFernet``): the first seals everything new, every one of them opens.
To rotate, put a new key first and keep the old ones after it, restart, run
``hubwire secrets rotate`` (re-seals every stored secret with the first key), then drop the
old keys."""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.errors import HubwireError
from core.settings import Settings


class SecretKeyMissing(HubwireError):
    code, status, default_message = "INTERNAL_ERROR", 500, "The server has no secret key."


def parse_keys(value: str) -> list[str]:
    """The keys of a ``HUBWIRE_SECRET_KEY`` value, in order (comma-separated, blanks ignored)."""
    return [part.strip() for part in value.split(",") if part.strip()]


def _fernet(key: str, position: int, count: int) -> Fernet:
    try:
        return Fernet(key.encode())
    except ValueError:
        # The key itself is never echoed: error messages end up in logs.
        raise ValueError(
            f"HUBWIRE_SECRET_KEY: key {position} of {count} is not a Fernet key "
            "(32 url-safe base64-encoded bytes; `hubwire secrets new-key` prints one)"
        ) from None


class SecretBox:
    """Seals with the first key; opens with any of them."""

    def __init__(self, keys: str) -> None:
        parts = parse_keys(keys)
        if not parts:
            raise ValueError("HUBWIRE_SECRET_KEY holds no key")
        fernets = [_fernet(key, i, len(parts)) for i, key in enumerate(parts, start=1)]
        self._primary = fernets[0]
        self._fernet = MultiFernet(fernets)
        self.key_count = len(fernets)

    def seal(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyMissing(
                "A stored secret cannot be decrypted with any key of HUBWIRE_SECRET_KEY "
                "(was a key removed before `hubwire secrets rotate` re-sealed it?)."
            ) from exc

    def is_current(self, sealed: str) -> bool:
        """Whether ``sealed`` was sealed with the first key (nothing to rotate)."""
        try:
            self._primary.decrypt(sealed.encode())
        except InvalidToken:
            return False
        return True

    def reseal(self, sealed: str) -> str:
        """The same secret sealed with the first key (its original timestamp kept)."""
        try:
            return self._fernet.rotate(sealed.encode()).decode()
        except InvalidToken as exc:
            raise SecretKeyMissing(
                "A stored secret cannot be decrypted with any key of HUBWIRE_SECRET_KEY."
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


def build_secret_box(settings: Settings) -> SecretBox:
    """The box that seals this deployment's stored secrets: ``HUBWIRE_SECRET_KEY``, else the
    key file (made on first use in embedded mode)."""
    return SecretBox(settings.secret_key or load_or_create_key_file(settings.secret_key_file))
