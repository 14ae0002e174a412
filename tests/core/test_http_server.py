"""A request the HTTP parser refuses (a control character in a header) is answered by the
server itself, before the app runs: still in the error envelope, with a request id."""

from __future__ import annotations

import asyncio
from urllib.parse import urlsplit

import orjson

from core.settings import Settings
from tests.support.live_server import live_server


async def _raw(base: str, request: bytes) -> tuple[str, dict[str, str], bytes]:
    url = urlsplit(base)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    writer.write(request)
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), timeout=10)  # the server closes
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines)}
    return status, headers, body


async def test_a_control_character_in_a_header_gets_the_envelope(settings: Settings) -> None:
    body = b'{"name": "Ada"}'
    with live_server(settings) as base:
        status, headers, raw = await _raw(
            base,
            b"POST /v1/leads HTTP/1.1\r\nHost: hubwire.test\r\n"
            b"Authorization: Bearer hw_test_x_y\r\n"
            b"Content-Type: application/json\r\n"
            b"Idempotency-Key: key\x01with-a-control-character\r\n"
            b"Content-Length: %d\r\n\r\n%s" % (len(body), body),
        )
    assert status == "HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/json"
    error = orjson.loads(raw)["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert "control character" in error["message"]
    assert error["requestId"] == headers["x-request-id"]
    assert error["requestId"].startswith("req_")
