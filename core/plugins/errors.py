"""Errors a connector raises; the sync engine maps them to retries, re-auth or failures."""

from __future__ import annotations


class ConnectorError(Exception):
    """A provider call failed in a way a retry may fix."""


class AuthFailed(ConnectorError):
    """The credentials were refused (revoked token, wrong key): the user must reconnect."""


class ProviderRateLimited(ConnectorError):
    """The provider answered 429; ``retry_after`` is in seconds when it said."""

    def __init__(self, message: str = "rate limited", retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unsupported(ConnectorError):
    """The connector does not implement this operation (see its manifest)."""
