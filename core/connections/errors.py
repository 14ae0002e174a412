"""The errors of the connections domain (each a clear 4xx, or 503 when a provider is down)."""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import Conflict, InvalidRequest, NotFound, ServiceUnavailable, ValidationFailed

_UNAVAILABLE_HINTS = {
    "pending": "it is waiting for the provider's consent: open its authorizeUrl first",
    "error": "its credentials stopped working: delete it and connect again",
    "reauthorization_required": "the provider revoked its grant: delete it and connect again",
    "paused": "it is paused: resume it with PATCH status=active first",
}


class ConnectionNotFound(NotFound):
    def __init__(self, connection_id: str) -> None:
        super().__init__(
            f"Connection {connection_id} does not exist.", details={"id": connection_id}
        )


class ConnectionUnavailable(Conflict):
    """The connection is not in a state that can reach the provider."""

    def __init__(self, connection_id: str, status: str, reason: str | None = None) -> None:
        hint = reason or _UNAVAILABLE_HINTS.get(status, f"its status is {status}")
        super().__init__(
            f"Connection {connection_id} cannot be used: {hint}.",
            details={"id": connection_id, "status": status},
        )
        self.connection_id = connection_id
        self.connection_status = status


class ConnectorNotInstalled(ValidationFailed):
    def __init__(self, slug: str, installed: Iterable[str]) -> None:
        names = sorted(installed)
        super().__init__(
            f"No connector {slug!r} is installed"
            + (f"; installed: {', '.join(names)}." if names else "; none is installed."),
            details={"field": "connector", "installed": names},
        )


class NoOAuthClient(ValidationFailed):
    def __init__(self, slug: str) -> None:
        super().__init__(
            f"Connector {slug} has no OAuth client configured: set HUBWIRE_CONNECTOR_CLIENTS "
            f"(client_id and client_secret of Hubwire's app at the provider) or turn on "
            f"HUBWIRE_SANDBOXES.",
            details={"field": "connector", "connector": slug},
        )


class ApiKeyRefused(ValidationFailed):
    def __init__(self, slug: str, detail: str) -> None:
        super().__init__(
            f"The provider refused the key ({slug}): {detail or 'check it and try again'}.",
            details={"field": "apiKey", "detail": detail},
        )


class ProviderUnreachable(ServiceUnavailable):
    def __init__(self, slug: str, detail: str) -> None:
        super().__init__(
            f"Could not reach the provider of {slug}: {detail}. Try again shortly.",
            details={"connector": slug, "detail": detail},
            headers={"Retry-After": "5"},
        )


class InvalidState(InvalidRequest):
    def __init__(self) -> None:
        super().__init__(
            "This consent callback's `state` is unknown or was already used: start again "
            "with POST /v1/connections.",
            details={"param": "state"},
        )
