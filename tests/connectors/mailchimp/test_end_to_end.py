"""Mailchimp end to end, the way a newcomer meets it: `hubwire serve --demo` with the
sandboxes mounted (what `make run` starts), the OAuth consent through the sandbox's page,
leads pushed by the worker into the audience as their consent allows, an unsubscribe "at
Mailchimp" coming back through the registered webhook as revoked consent (and a
`lead.updated` event), never undone by a later push; an address changed at Mailchimp moves
the lead's email (no second lead, consent kept); a webhook without the connection's key is
refused and changes nothing."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.processes import demo_server

WAIT = 60.0
LIST_ID = "a1b2c3d4e5"


@dataclass
class Demo:
    base: str
    key: str
    log: Path

    @property
    def sandbox(self) -> str:
        return f"{self.base}/sandbox/mailchimp"

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.key}", **kwargs.pop("headers", {})}
        return httpx.request(method, f"{self.base}{path}", headers=headers, timeout=30, **kwargs)

    def wait_for(self, what: str, condition: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + WAIT
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}; server log:\n{self.log.read_text()}")
            time.sleep(0.1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with demo_server(tmp_path_factory.mktemp("e2e")) as server:
        match = re.search(r"Demo key:\s+(\S+)", server.log.read_text())
        assert match, server.log.read_text()
        yield Demo(server.base, match.group(1), server.log)


@pytest.fixture(scope="module")
def connection(demo: Demo) -> dict[str, Any]:
    created = demo.api(
        "POST",
        "/v1/connections",
        json={"connector": "mailchimp", "settings": {"listId": LIST_ID}},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["authorizeUrl"].startswith(f"{demo.sandbox}/oauth2/authorize")
    with httpx.Client(timeout=30) as browser:
        page = browser.get(body["authorizeUrl"])
        assert page.status_code == 200 and "Approve" in page.text
        form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action
        approved = browser.post(
            action.group(1).replace("&amp;", "&"), data={**form, "decision": "approve"}
        )
        assert approved.status_code == 303, approved.text
        callback = approved.headers["location"]
        assert callback.startswith(f"{demo.base}/v1/connections/callback")
        code = dict(re.findall(r"([a-z_]+)=([^&]+)", urlsplit(callback).query))["code"]
        assert code
        landed = browser.get(callback)
        assert landed.status_code < 400, landed.text
    active: dict[str, Any] = demo.api("GET", f"/v1/connections/{body['id']}").json()
    assert active["status"] == "active", active
    assert active["settings"]["dc"] == "us21" and active["settings"]["webhookId"]
    assert "access_token" not in str(active)
    state = httpx.get(f"{demo.sandbox}/_sandbox/stats").json()
    assert state["members"] == 0
    return active


def _lead(demo: Demo, lead_id: str) -> dict[str, Any]:
    body: dict[str, Any] = demo.api("GET", f"/v1/leads/{lead_id}").json()
    return body


def _member_status(demo: Demo, email: str) -> str | None:
    member = httpx.get(f"{demo.sandbox}/_sandbox/members/{email}", timeout=10)
    return None if member.status_code == 404 else str(member.json()["status"])


def test_consent_decides_who_is_subscribed(demo: Demo, connection: dict[str, Any]) -> None:
    made = {}
    for email, consent in [
        ("granted@example.com", "granted"),
        ("unknown@example.com", "unknown"),
        ("revoked@example.com", "revoked"),
    ]:
        response = demo.api(
            "POST",
            "/v1/leads",
            json={"name": "Ada Lovelace", "email": email, "emailConsent": consent},
        )
        assert response.status_code == 201, response.text
        made[email] = response.json()
    assert made["granted@example.com"]["emailConsentAt"] is not None
    assert made["unknown@example.com"]["emailConsentAt"] is None
    demo.wait_for(
        "the consenting lead subscribed",
        lambda: (
            _member_status(demo, "granted@example.com") == "subscribed"
            and _member_status(demo, "revoked@example.com") == "unsubscribed"
        ),
    )
    assert _member_status(demo, "unknown@example.com") is None


def test_an_unsubscribe_revokes_consent_and_is_never_undone(
    demo: Demo, connection: dict[str, Any]
) -> None:
    made = demo.api(
        "POST",
        "/v1/leads",
        json={"name": "Grace Hopper", "email": "grace@example.com", "emailConsent": "granted"},
    ).json()
    demo.wait_for(
        "Grace subscribed", lambda: _member_status(demo, "grace@example.com") == "subscribed"
    )
    unsubscribed = httpx.post(
        f"{demo.sandbox}/_sandbox/unsubscribe", json={"email": "grace@example.com"}, timeout=10
    )
    assert unsubscribed.status_code == 200, unsubscribed.text
    lead = demo.wait_for(
        "the consent revoked in Hubwire",
        lambda: (lead := _lead(demo, made["id"]))["emailConsent"] == "revoked" and lead,
    )
    assert lead["emailConsentSource"] == "mailchimp:unsubscribed"
    events = demo.api("GET", "/v1/events", params={"type": "lead.updated", "limit": 100}).json()
    assert any(
        e["data"]["id"] == made["id"] and e["data"]["emailConsent"] == "revoked"
        for e in events["data"]
    )
    # A later change in Hubwire pushes again: the address stays unsubscribed.
    changed = demo.api("PATCH", f"/v1/leads/{made['id']}", json={"company": "US Navy"})
    assert changed.status_code == 200
    demo.wait_for(
        "the change pushed",
        lambda: (
            httpx.get(f"{demo.sandbox}/_sandbox/members/grace@example.com", timeout=10)
            .json()["merge_fields"]
            .get("COMPANY")
            == "US Navy"
        ),
    )
    assert _member_status(demo, "grace@example.com") == "unsubscribed"


def test_a_webhook_without_the_connection_key_is_refused(
    demo: Demo, connection: dict[str, Any]
) -> None:
    made = demo.api(
        "POST",
        "/v1/leads",
        json={"name": "Alan Turing", "email": "alan@example.com", "emailConsent": "granted"},
    ).json()
    demo.wait_for("Alan subscribed", lambda: _member_status(demo, "alan@example.com"))
    body = "type=unsubscribe&fired_at=2026-12-07+01%3A00%3A00&data%5Bemail%5D=alan%40example.com"
    headers = {"content-type": "application/x-www-form-urlencoded"}
    for query in ("", f"?connection={connection['id']}", f"?connection={connection['id']}&key=x"):
        refused = httpx.post(
            f"{demo.base}/v1/connectors/mailchimp/webhooks{query}", content=body, headers=headers
        )
        assert refused.status_code == 401, refused.text
        assert refused.json()["error"]["code"] == "UNAUTHORIZED"
    time.sleep(0.5)
    assert _lead(demo, made["id"])["emailConsent"] == "granted"


def test_an_address_changed_at_mailchimp_moves_the_leads_email(
    demo: Demo, connection: dict[str, Any]
) -> None:
    made = demo.api(
        "POST",
        "/v1/leads",
        json={
            "name": "Katherine Johnson",
            "email": "katherine@old.example",
            "emailConsent": "granted",
            "emailConsentSource": "website signup form",
        },
    ).json()
    demo.wait_for(
        "Katherine subscribed",
        lambda: _member_status(demo, "katherine@old.example") == "subscribed",
    )
    changed = httpx.post(
        f"{demo.sandbox}/_sandbox/change-email",
        json={"old_email": "katherine@old.example", "new_email": "katherine@nasa.example"},
        timeout=10,
    )
    assert changed.status_code == 200, changed.text
    lead = demo.wait_for(
        "the lead's email moved",
        lambda: (lead := _lead(demo, made["id"]))["email"] == "katherine@nasa.example" and lead,
    )
    assert (lead["emailConsent"], lead["emailConsentSource"]) == ("granted", "website signup form")
    assert lead["emailConsentAt"] == made["emailConsentAt"]
    found = demo.api("GET", "/v1/leads", params={"search": "katherine"}).json()["data"]
    assert [row["id"] for row in found] == [made["id"]], "no second lead"
    assert _member_status(demo, "katherine@nasa.example") == "subscribed"
    assert _member_status(demo, "katherine@old.example") is None
