"""One message over real HTTP: Standard Webhooks headers and signatures, SSRF at send time."""

from __future__ import annotations

import pytest
from standardwebhooks.webhooks import Webhook as Verifier
from standardwebhooks.webhooks import WebhookVerificationError

from core.webhooks.addresses import AddressPolicy
from core.webhooks.sender import (
    RESPONSE_EXCERPT_BYTES,
    Message,
    WebhookSender,
    new_signing_secret,
    response_excerpt,
)
from tests.core.webhooks.receiver import Receiver


def _message(url: str, secrets: list[str], timeout: float = 5) -> Message:
    return Message(
        "msg_test1",
        url,
        '{"id":"evt_1","type":"lead.created"}',
        "lead.created",
        2,
        secrets,
        timeout,
    )


async def test_message_carries_verifiable_standard_webhooks_headers(receiver: Receiver) -> None:
    secret = new_signing_secret()
    sender = WebhookSender(policy=AddressPolicy(allow_private=True), concurrency=4)
    try:
        outcome = await sender.send(_message(receiver.url(), [secret]))
    finally:
        await sender.close()
    assert outcome.success and outcome.status_code == 200 and outcome.error is None
    assert outcome.response_body == "ok"
    (request,) = receiver.received
    assert request.headers["webhook-id"] == "msg_test1"
    assert request.headers["X-Hubwire-Event"] == "lead.created"
    assert request.headers["X-Webhook-Attempt"] == "2"
    assert request.headers["User-Agent"] == "Hubwire-Webhooks/1"
    assert request.headers["Content-Type"] == "application/json"
    assert Verifier(secret).verify(request.body, request.headers) == {
        "id": "evt_1",
        "type": "lead.created",
    }
    with pytest.raises(WebhookVerificationError):
        Verifier(new_signing_secret()).verify(request.body, request.headers)


async def test_two_secrets_give_two_signatures_each_verifying(receiver: Receiver) -> None:
    old, new = new_signing_secret(), new_signing_secret()
    sender = WebhookSender(policy=AddressPolicy(allow_private=True), concurrency=1)
    try:
        await sender.send(_message(receiver.url(), [new, old]))
    finally:
        await sender.close()
    (request,) = receiver.received
    signatures = request.headers["webhook-signature"].split(" ")
    assert len(signatures) == 2 and all(s.startswith("v1,") for s in signatures)
    for secret in (old, new):
        Verifier(secret).verify(request.body, request.headers)


async def test_send_time_guard_refuses_private_targets_by_name_and_literal(
    receiver: Receiver,
) -> None:
    port = receiver.base_url.rsplit(":", 1)[1]
    sender = WebhookSender(policy=AddressPolicy(allow_private=False), concurrency=2)
    try:
        by_name = await sender.send(
            _message(f"http://localhost:{port}/hook", [new_signing_secret()])
        )
        by_literal = await sender.send(_message(receiver.url(), [new_signing_secret()]))
    finally:
        await sender.close()
    assert by_name.status_code is None and "resolves to" in (by_name.error or "")
    assert by_literal.status_code is None and "resolves to 127.0.0.1" in (by_literal.error or "")
    assert receiver.received == []
    allowed = WebhookSender(
        policy=AddressPolicy(allow_private=False, allowed_networks=["127.0.0.0/8", "::1/128"]),
        concurrency=1,
    )
    try:
        outcome = await allowed.send(
            _message(f"http://localhost:{port}/hook", [new_signing_secret()])
        )
    finally:
        await allowed.close()
    assert outcome.success


async def test_timeouts_and_refused_connections_are_outcomes_not_exceptions(
    receiver: Receiver,
) -> None:
    import asyncio

    from aiohttp import web

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.Response()

    app = web.Application()
    app.router.add_post("/slow", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    sender = WebhookSender(policy=AddressPolicy(allow_private=True), concurrency=2)
    try:
        timed_out = await sender.send(
            _message(f"http://127.0.0.1:{port}/slow", [new_signing_secret()], timeout=0.3)
        )
        refused = await sender.send(_message("http://127.0.0.1:9/hook", [new_signing_secret()]))
    finally:
        await sender.close()
        await runner.cleanup()
    assert timed_out.status_code is None and "Timed out after 0.3 s" in (timed_out.error or "")
    assert timed_out.latency_ms < 1500
    assert refused.status_code is None and refused.error


def test_the_kept_answer_is_the_first_kilobyte_as_text() -> None:
    assert response_excerpt(b'{"ok":true}') == '{"ok":true}'
    assert response_excerpt(b"bad \xff byte") == "bad \ufffd byte"
    assert response_excerpt(b"nul\x00byte") == "nul\ufffdbyte"  # PostgreSQL text refuses NUL
    long = b"a" * (RESPONSE_EXCERPT_BYTES - 1) + "é".encode() + b"tail"
    # "é" is two bytes and the limit falls between them: the half is dropped, "…" says more.
    assert response_excerpt(long) == "a" * (RESPONSE_EXCERPT_BYTES - 1) + "…"


def test_cached_signing_keys_sign_exactly_as_the_standard_webhooks_library() -> None:
    """The sender keeps each secret's keyed HMAC state; every signature must still be the
    library's own, byte for byte (non-ASCII bodies, unpadded and unprefixed secrets,
    two secrets during a rotation, the same secret again from the cache)."""
    from datetime import UTC, datetime

    from standardwebhooks.webhooks import Webhook as Library

    from core.webhooks.sender import Signatures

    stamp = datetime(2026, 12, 6, 22, 0, 1, 900000, tzinfo=UTC)
    secrets = [
        new_signing_secret(),
        new_signing_secret(),
        new_signing_secret().removeprefix("whsec_"),
        "whsec_" + new_signing_secret().removeprefix("whsec_").rstrip("="),
    ]
    bodies = [
        '{"id":"evt_1","data":{"name":"Zoë Ångström","city":"東京","emoji":"🎉"}}',
        '{"nested":{"a":[1,2.5,{"b":null,"c":"\\u0000"}]}}',
        "",
    ]
    signatures = Signatures()
    for _ in range(2):  # the second round signs from the cache
        for body in bodies:
            for keys in ([secrets[0]], secrets[:2], secrets[2:]):
                expected = " ".join(Library(k).sign("msg_x", stamp, body) for k in keys)
                got = signatures.header("msg_x", int(stamp.timestamp()), body.encode(), keys)
                assert got == expected
    with pytest.raises(Exception, match="may not be empty"):
        signatures.header("msg_x", 1, b"{}", ["whsec_"])
