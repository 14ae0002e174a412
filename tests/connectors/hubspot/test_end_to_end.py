"""HubSpot end to end, the way a newcomer meets it: `hubwire serve --demo` with the sandboxes
mounted (what `make run` starts), the OAuth consent through the sandbox's page, leads synced
as contacts, a contact edited "in HubSpot" coming back without an echo, and conflicting edits
settled by the last write.

Everything runs in one real server process over loopback: SQLite, the in-process Celery
worker, the mounted sandbox sending signed webhooks back to Hubwire. That sandbox's search
index lags writes as HubSpot's does, so an edit made "in HubSpot" just before a push is not
in search results yet when the push runs (the last-write test)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support.processes import demo_server

WAIT = 60.0


@dataclass
class Demo:
    base: str
    key: str
    log: Path

    @property
    def sandbox(self) -> str:
        return f"{self.base}/sandbox/hubspot"

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.key}", **kwargs.pop("headers", {})}
        return httpx.request(method, f"{self.base}{path}", headers=headers, timeout=30, **kwargs)

    def contacts(self) -> dict[str, dict[str, Any]]:
        """The sandbox's contacts by email, as a HubSpot user sees them."""
        found = httpx.get(f"{self.sandbox}/_sandbox/objects/contacts", timeout=10).json()
        return {c["properties"].get("email"): c for c in found["results"]}

    def stats(self) -> dict[str, int]:
        body: dict[str, int] = httpx.get(f"{self.sandbox}/_sandbox/stats", timeout=10).json()
        return body

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


def _consent(demo: Demo, authorize_url: str) -> httpx.Response:
    """What the user's browser does: open the consent page, press Approve, follow the
    redirect back to Hubwire's callback."""
    with httpx.Client(timeout=30) as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200 and "Approve" in page.text
        form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action
        approved = browser.post(
            action.group(1).replace("&amp;", "&"), data={**form, "decision": "approve"}
        )
        assert approved.status_code == 302, approved.text
        callback = approved.headers["location"]
        assert callback.startswith(f"{demo.base}/v1/connections/callback")
        return browser.get(callback)


@pytest.fixture(scope="module")
def connection(demo: Demo) -> dict[str, Any]:
    created = demo.api("POST", "/v1/connections", json={"connector": "hubspot"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "pending"
    query = parse_qs(urlsplit(body["authorizeUrl"]).query)
    assert body["authorizeUrl"].startswith(f"{demo.sandbox}/oauth/authorize")
    assert query["state"] and query["code_challenge_method"] == ["S256"]
    landed = _consent(demo, body["authorizeUrl"])
    assert landed.status_code < 400, landed.text
    active = demo.api("GET", f"/v1/connections/{body['id']}").json()
    assert active["status"] == "active", active
    assert active["accountId"]
    assert "accessToken" not in str(active) and "access_token" not in str(active)
    return dict(active)


def _lead(demo: Demo, lead_id: str) -> dict[str, Any]:
    body: dict[str, Any] = demo.api("GET", f"/v1/leads/{lead_id}").json()
    return body


def _full_sync(demo: Demo, connection_id: str) -> None:
    """Runs a sync job (pull, then push of everything pending) and waits for its success."""
    job = demo.api("POST", f"/v1/connections/{connection_id}/sync").json()
    done = demo.wait_for(
        "the sync job",
        lambda: (
            (j := demo.api("GET", f"/v1/jobs/{job['jobId']}").json())["status"]
            in ("succeeded", "failed")
            and j
        ),
    )
    assert done["status"] == "succeeded", done


def test_leads_created_in_hubwire_become_contacts(demo: Demo, connection: dict[str, Any]) -> None:
    emails = [f"ada{i}@example.com" for i in range(3)]
    for i, email in enumerate(emails):
        made = demo.api(
            "POST", "/v1/leads", json={"name": f"Ada Lovelace{i}", "email": email, "company": "AE"}
        )
        assert made.status_code == 201, made.text
    contacts = demo.wait_for(
        "the leads as HubSpot contacts",
        lambda: (c := demo.contacts()) and set(emails) <= set(c) and c,
    )
    assert contacts["ada1@example.com"]["properties"]["firstname"] == "Ada"
    assert contacts["ada1@example.com"]["properties"]["lastname"] == "Lovelace1"
    assert contacts["ada1@example.com"]["properties"]["company"] == "AE"


def test_a_contact_changed_in_hubspot_updates_the_lead_without_an_echo(
    demo: Demo, connection: dict[str, Any]
) -> None:
    made = demo.api(
        "POST", "/v1/leads", json={"name": "Grace Hopper", "email": "grace@example.com"}
    )
    lead_id = made.json()["id"]
    contact = demo.wait_for("Grace as a contact", lambda: demo.contacts().get("grace@example.com"))
    writes_before = demo.stats()["batch_writes"]
    edited = httpx.patch(
        f"{demo.sandbox}/_sandbox/objects/contacts/{contact['id']}",
        json={"properties": {"company": "US Navy"}},
        timeout=10,
    )
    assert edited.status_code == 200
    demo.wait_for(
        "the lead updated from HubSpot", lambda: _lead(demo, lead_id).get("company") == "US Navy"
    )
    # A full sync after the change has settled: nothing to send back to HubSpot.
    _full_sync(demo, connection["id"])
    assert demo.stats()["batch_writes"] == writes_before, "the pulled change was echoed back"


def test_conflicting_edits_go_to_the_last_write(demo: Demo, connection: dict[str, Any]) -> None:
    made = demo.api("POST", "/v1/leads", json={"name": "Alan Turing", "email": "alan@example.com"})
    lead_id = made.json()["id"]
    contact = demo.wait_for("Alan as a contact", lambda: demo.contacts().get("alan@example.com"))
    path = f"/v1/connections/{connection['id']}"
    assert demo.api("PATCH", path, json={"status": "paused"}).status_code == 200

    # Hubwire first, HubSpot last: HubSpot's edit wins on both sides.
    assert demo.api("PATCH", f"/v1/leads/{lead_id}", json={"company": "Bletchley"}).is_success
    time.sleep(0.05)
    httpx.patch(
        f"{demo.sandbox}/_sandbox/objects/contacts/{contact['id']}",
        json={"properties": {"company": "Manchester"}},
        timeout=10,
    ).raise_for_status()
    assert demo.api("PATCH", path, json={"status": "active"}).status_code == 200
    demo.wait_for(
        "HubSpot's later edit in Hubwire",
        lambda: _lead(demo, lead_id).get("company") == "Manchester",
    )
    # Whatever Hubwire still had to push has gone out once a full sync has run: the older
    # "Bletchley" must not have overwritten HubSpot's later edit.
    _full_sync(demo, connection["id"])
    assert demo.contacts()["alan@example.com"]["properties"]["company"] == "Manchester"
    assert _lead(demo, lead_id)["company"] == "Manchester"

    # HubSpot first, Hubwire last: Hubwire's edit wins on both sides.
    assert demo.api("PATCH", path, json={"status": "paused"}).status_code == 200
    httpx.patch(
        f"{demo.sandbox}/_sandbox/objects/contacts/{contact['id']}",
        json={"properties": {"company": "Princeton"}},
        timeout=10,
    ).raise_for_status()
    time.sleep(0.05)
    assert demo.api("PATCH", f"/v1/leads/{lead_id}", json={"company": "NPL"}).is_success
    assert demo.api("PATCH", path, json={"status": "active"}).status_code == 200
    demo.wait_for(
        "Hubwire's later edit in HubSpot",
        lambda: demo.contacts()["alan@example.com"]["properties"].get("company") == "NPL",
    )
    assert _lead(demo, lead_id)["company"] == "NPL"
