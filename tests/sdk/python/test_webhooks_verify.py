"""hubwire.webhooks interoperates with the reference Standard Webhooks library."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime

import pytest
from hubwire import WebhookVerificationError, webhooks
from standardwebhooks import Webhook

SECRET = "whsec_" + base64.b64encode(b"a" * 32).decode()
BODY = json.dumps({"id": "evt_1", "type": "lead.created", "data": {"id": "lead_1"}})


def _signed(at: datetime, msg_id: str = "msg_1") -> dict[str, str]:
    signature = Webhook(SECRET).sign(msg_id, at, BODY)
    return {
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(int(at.timestamp())),
        "Webhook-Signature": signature,
    }


def test_verifies_what_the_reference_library_signs() -> None:
    event = webhooks.verify(BODY, _signed(datetime.now(UTC)), SECRET)
    assert event["type"] == "lead.created"


def test_the_reference_library_verifies_what_sign_makes() -> None:
    now = int(time.time())
    headers = {
        "webhook-id": "msg_2",
        "webhook-timestamp": str(now),
        "webhook-signature": webhooks.sign("msg_2", now, BODY, SECRET),
    }
    assert Webhook(SECRET).verify(BODY, headers)["id"] == "evt_1"


def test_any_of_several_signatures_may_match() -> None:
    headers = _signed(datetime.now(UTC))
    headers["Webhook-Signature"] = "v1,bm9wZQ== " + headers["Webhook-Signature"]
    assert webhooks.verify(BODY.encode(), headers, SECRET)["id"] == "evt_1"


@pytest.mark.parametrize(
    "tamper",
    ["body", "id", "secret", "old", "future", "missing"],
)
def test_refuses_what_does_not_verify(tamper: str) -> None:
    now = datetime.now(UTC)
    headers = _signed(now)
    body, secret = BODY, SECRET
    if tamper == "body":
        body = BODY.replace("lead_1", "lead_2")
    elif tamper == "id":
        headers["Webhook-Id"] = "msg_other"
    elif tamper == "secret":
        secret = "whsec_" + base64.b64encode(b"b" * 32).decode()
    elif tamper == "old":
        headers = _signed(datetime.fromtimestamp(now.timestamp() - 301, UTC))
    elif tamper == "future":
        headers = _signed(datetime.fromtimestamp(now.timestamp() + 301, UTC))
    else:
        del headers["Webhook-Signature"]
    with pytest.raises(WebhookVerificationError):
        webhooks.verify(body, headers, secret)
