"""Signed webhooks: a change made "as a HubSpot user" reaches a local receiver, v3-signed."""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from hubspot.crm.contacts import SimplePublicObjectInputForCreate
from hubspot.utils.signature import Signature

from connectors.hubspot.sandbox import DEFAULT_CLIENT_SECRET, sign_v3, verify_v3
from tests.connectors.hubspot.sandbox.conftest import Running
from tests.support.live_server import serve_asgi


def _receiver() -> tuple[FastAPI, queue.Queue[dict[str, Any]]]:
    received: queue.Queue[dict[str, Any]] = queue.Queue()
    app = FastAPI()

    @app.post("/hooks/hubspot")
    async def hook(request: Request) -> dict[str, str]:
        received.put(
            {"url": str(request.url), "body": await request.body(), "headers": request.headers}
        )
        return {"ok": "yes"}

    return app, received


def test_user_change_fires_signed_webhook(make_sandbox: Callable[..., Running]) -> None:
    app, received = _receiver()
    with serve_asgi(app) as receiver:
        target = f"{receiver}/hooks/hubspot"
        hs = make_sandbox()
        with httpx.Client() as http:
            assert http.put(f"{hs.base}/_sandbox/webhooks", json={"targetUrl": target}).is_success
            contact = hs.client().crm.contacts.basic_api.create(
                SimplePublicObjectInputForCreate(properties={"email": "hook@example.com"})
            )
            created = received.get(timeout=5)
            events = json.loads(created["body"])
            assert [e["subscriptionType"] for e in events] == [
                "contact.creation",
                "contact.propertyChange",
            ]
            assert events[0]["objectId"] == int(contact.id)
            assert events[0]["changeSource"] == "INTEGRATION"

            # Only subscribed properties are reported: "website" is not one of them.
            changed = http.patch(
                f"{hs.base}/_sandbox/objects/contacts/{contact.id}",
                json={"properties": {"firstname": "Grace", "website": "grace.example"}},
            )
            assert changed.status_code == 200
            delivery = received.get(timeout=5)
    body, headers = delivery["body"], delivery["headers"]
    [event] = json.loads(body)
    assert event["subscriptionType"] == "contact.propertyChange"
    assert (event["propertyName"], event["propertyValue"]) == ("firstname", "Grace")
    assert event["changeSource"] == "CRM_UI"
    assert event["sourceId"] == "userId:1"
    assert events[0]["sourceId"] == "1000001"  # the app's integration made the contact
    # The v1 signature beside the v3 one, as HubSpot sends both (checked with the SDK).
    assert headers["x-hubspot-signature-version"] == "v1"
    assert Signature.is_valid(
        signature=headers["x-hubspot-signature"],
        client_secret=DEFAULT_CLIENT_SECRET,
        request_body=body.decode(),
        signature_version="v1",
    )
    signature = headers["x-hubspot-signature-v3"]
    timestamp = headers["x-hubspot-request-timestamp"]
    assert abs(int(timestamp) - time.time() * 1000) < 60_000
    assert verify_v3(DEFAULT_CLIENT_SECRET, "POST", target, body, signature, timestamp)
    tampered = body.replace(b"Grace", b"Mallory")
    assert not verify_v3(DEFAULT_CLIENT_SECRET, "POST", target, tampered, signature, timestamp)
    assert not verify_v3("other-secret", "POST", target, body, signature, timestamp)
    assert [d.status for d in hs.sandbox.webhooks.deliveries] == [200, 200]


def test_signature_rejects_stale_timestamps() -> None:
    body = '[{"eventId":1}]'
    ts = "1700000000000"
    sig = sign_v3("s", "POST", "https://x.test/h?a=1", body, ts)
    assert verify_v3("s", "POST", "https://x.test/h?a=1", body, sig, ts, now_ms=1700000000000)
    late = 1700000000000 + 5 * 60 * 1000 + 1
    assert not verify_v3("s", "POST", "https://x.test/h?a=1", body, sig, ts, now_ms=late)


class _Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _answering(statuses: list[int]) -> tuple[FastAPI, list[dict[str, Any]]]:
    """A receiver answering each POST with the next of ``statuses`` (then 200)."""
    seen: list[dict[str, Any]] = []
    app = FastAPI()

    @app.post("/hooks/hubspot")
    async def hook(request: Request) -> Response:
        seen.append({"body": json.loads(await request.body()), "headers": request.headers})
        status = statuses.pop(0) if statuses else 200
        headers = {"Retry-After": "30"} if status == 429 else {}
        return Response(status_code=status, headers=headers)

    return app, seen


def test_a_failed_batch_is_retried_with_the_next_attempt_number(
    make_sandbox: Callable[..., Running],
) -> None:
    clock = _Clock()
    app, seen = _answering([500, 429, 503])
    with serve_asgi(app) as receiver:
        hs = make_sandbox(webhook_target_url=f"{receiver}/hooks/hubspot", clock=clock)
        hs.client().crm.contacts.basic_api.create(
            SimplePublicObjectInputForCreate(properties={"email": "retry@example.com"})
        )
        with httpx.Client() as http:
            retry = f"{hs.base}/_sandbox/webhooks/retry"
            _wait_for(lambda: len(seen) == 1)
            # Not due before its backoff: the first retry comes 2 minutes after the failure.
            assert http.post(retry, json={}).json() == {"sent": []}
            clock.now += 120
            assert http.post(retry, json={}).json() == {
                "sent": [{"status": 429, "attemptNumber": 1}]
            }
            # A 429's Retry-After (30 s) replaces the backoff.
            clock.now += 30
            assert http.post(retry, json={}).json()["sent"] == [{"status": 503, "attemptNumber": 2}]
            clock.now += 60 * 2**3
            assert http.post(retry, json={}).json()["sent"] == [{"status": 200, "attemptNumber": 3}]
            assert (
                http.get(f"{hs.base}/_sandbox/webhooks/deliveries").json()["pendingRetries"] == []
            )
    ids = [[e["eventId"] for e in s["body"]] for s in seen]
    assert len(seen) == 4 and all(i == ids[0] for i in ids)  # the same events each time
    assert [s["body"][0]["attemptNumber"] for s in seen] == [0, 1, 2, 3]
    # Each attempt is signed afresh (a new timestamp), so the receiver can verify it then.
    stamps = [int(s["headers"]["x-hubspot-request-timestamp"]) for s in seen]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    for s, stamp in zip(seen, stamps, strict=True):
        body = json.dumps(s["body"], separators=(",", ":"))
        signature = s["headers"]["x-hubspot-signature-v3"]
        target = f"{receiver}/hooks/hubspot"
        assert verify_v3(
            DEFAULT_CLIENT_SECRET, "POST", target, body, signature, str(stamp), now_ms=stamp
        )


def test_refusals_are_not_retried_and_retries_stop_after_ten(
    make_sandbox: Callable[..., Running],
) -> None:
    clock = _Clock()
    app, seen = _answering([404] + [500] * 20)
    with serve_asgi(app) as receiver:
        hs = make_sandbox(webhook_target_url=f"{receiver}/hooks/hubspot", clock=clock)
        contacts = hs.client().crm.contacts.basic_api
        contacts.create(SimplePublicObjectInputForCreate(properties={"email": "a@example.com"}))
        _wait_for(lambda: len(seen) == 1)
        assert hs.sandbox.webhooks.pending == []  # a 404 says "not wanted": no retry
        contacts.create(SimplePublicObjectInputForCreate(properties={"email": "b@example.com"}))
        _wait_for(lambda: len(seen) == 2)
        with httpx.Client() as http:
            for _ in range(12):
                http.post(f"{hs.base}/_sandbox/webhooks/retry", json={"all": True})
    assert [s["body"][0]["attemptNumber"] for s in seen[1:]] == list(range(11))
    assert hs.sandbox.webhooks.pending == []


def _wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the sandbox sent nothing"
        time.sleep(0.02)
