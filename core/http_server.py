"""The HTTP server under the app: uvicorn, with its own refusals in the error envelope.

uvicorn answers a request it cannot parse (a header value with a control character, such
as an ``Idempotency-Key`` holding one) itself, before the app or any middleware runs, and
in plain text. ``EnvelopeHttpProtocol`` answers the same ``400`` in the envelope every
other error uses, with a request id. ``hubwire serve`` runs it (``uvicorn_options``).
"""

from __future__ import annotations

from typing import Any

import orjson
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

from core.errors import InvalidRequest, error_body
from core.ids import new_id

MALFORMED_MESSAGE = (
    "The request is not valid HTTP: a header name or value holds a character HTTP does not "
    "allow (a control character, for example), or a line is malformed. Nothing was done."
)


def malformed_request_response() -> bytes:
    """The raw ``400`` for a request the HTTP parser refused."""
    request_id = new_id("req")
    error = InvalidRequest(MALFORMED_MESSAGE)
    body = orjson.dumps(error_body(error.code, error.message, error.details, request_id))
    head = (
        b"content-type: application/json\r\n"
        + b"content-length: %d\r\n" % len(body)
        + b"x-request-id: %s\r\n" % request_id.encode()
        + b"connection: close\r\n\r\n"
    )
    return head + body


class EnvelopeHttpProtocol(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        # ``msg`` is uvicorn's plain-text "Invalid HTTP request received."
        content = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.append(malformed_request_response())
        self.transport.write(b"".join(content))
        self.transport.close()


def uvicorn_options() -> dict[str, Any]:
    """What every uvicorn that serves Hubwire is given, the tests' included."""
    return {"http": EnvelopeHttpProtocol}
