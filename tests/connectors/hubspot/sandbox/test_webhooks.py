"""Signed webhooks: a change made "as a HubSpot user" reaches a local receiver, v3-signed."""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI, Request
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
