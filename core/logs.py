"""What the server's logs must never hold: credentials sent in a URL.

Hubwire takes credentials only in the ``Authorization`` header, but a client may still put
one in the query (``?api_key=hw_live_…``); the request is refused, and the access log would
keep the key in clear. The filter below rewrites the logged URL of every access-log line."""

from __future__ import annotations

import logging
import re

# Query parameters whose values are credentials, whatever their case.
CREDENTIAL_PARAMETERS = (
    "api_key",
    "apikey",
    "key",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "client_secret",
    "password",
    "code",
    "code_verifier",
)
_CREDENTIAL = re.compile(r"(?i)([?&](?:" + "|".join(CREDENTIAL_PARAMETERS) + r")=)[^&#\s]*")
REDACTED = "[redacted]"


def redact_url(url: str) -> str:
    """``url`` with the value of every credential parameter replaced."""
    return _CREDENTIAL.sub(lambda m: m.group(1) + REDACTED, url)


class RedactCredentials(logging.Filter):
    """For uvicorn's access log, whose arguments are (client, method, path with query,
    HTTP version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_url(args[2]), *args[3:])
        return True


def install_log_redaction() -> None:
    """Adds the filter to uvicorn's access logger once per process."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactCredentials) for f in access.filters):
        access.addFilter(RedactCredentials())
