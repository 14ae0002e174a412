"""Salesforce end to end, as a newcomer meets it: `hubwire serve --demo` with the sandboxes
mounted (what `make run` starts: the Salesforce sandbox is plain HTTP under
/sandbox/salesforce), the OAuth consent through the sandbox's page, leads upserted as Salesforce
Leads, a Lead edited "in Salesforce" coming back as one `lead.updated` and not pushed back,
a Lead deleted in Salesforce deleted in Hubwire, a rejected lead logged with Salesforce's
message, and a revoked grant marking the connection for reauthorization."""

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
        return f"{self.base}/sandbox/salesforce"

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.key}", **kwargs.pop("headers", {})}
        return httpx.request(method, f"{self.base}{path}", headers=headers, timeout=30, **kwargs)

    def leads_at_salesforce(self) -> dict[str, dict[str, Any]]:
        rows = httpx.get(f"{self.sandbox}/_sandbox/records/Lead", timeout=10).json()
        return {r["Email"]: r for r in rows if not r["IsDeleted"] and r["Email"]}

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

    def full_sync(self, connection_id: str) -> dict[str, Any]:
        job = self.api("POST", f"/v1/connections/{connection_id}/sync").json()
        done: dict[str, Any] = self.wait_for(
            "the sync job",
            lambda: (
                (j := self.api("GET", f"/v1/jobs/{job['jobId']}").json())["status"]
                in ("succeeded", "failed")
                and j
            ),
        )
        return done


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with demo_server(tmp_path_factory.mktemp("sf-e2e")) as server:
        match = re.search(r"Demo key:\s+(\S+)", server.log.read_text())
        assert match, server.log.read_text()
        yield Demo(server.base, match.group(1), server.log)


@pytest.fixture(scope="module")
def connection(demo: Demo) -> dict[str, Any]:
    created = demo.api("POST", "/v1/connections", json={"connector": "salesforce"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["authorizeUrl"].startswith(f"{demo.sandbox}/services/oauth2/authorize")
    assert parse_qs(urlsplit(body["authorizeUrl"]).query)["code_challenge_method"] == ["S256"]
    with httpx.Client(timeout=30) as browser:
        page = browser.get(body["authorizeUrl"])
        form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
        action = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert action, page.text
        approved = browser.post(action.group(1), data={**form, "decision": "approve"})
        assert approved.status_code == 302, approved.text
        landed = browser.get(approved.headers["location"])
        assert landed.status_code < 400, landed.text
    active = demo.api("GET", f"/v1/connections/{body['id']}").json()
    assert active["status"] == "active", active
    return dict(active)


def _lead(demo: Demo, lead_id: str) -> dict[str, Any]:
    body: dict[str, Any] = demo.api("GET", f"/v1/leads/{lead_id}").json()
    return body


def test_leads_become_salesforce_leads(demo: Demo, connection: dict[str, Any]) -> None:
    made = demo.api(
        "POST",
        "/v1/leads",
        json={"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"},
    )
    assert made.status_code == 201, made.text
    row = demo.wait_for(
        "Ada at Salesforce", lambda: demo.leads_at_salesforce().get("ada@example.com")
    )
    assert (row["FirstName"], row["LastName"], row["Company"]) == (
        "Ada",
        "Lovelace",
        "[not provided]",
    )
    assert row["Hubwire_Id__c"] == made.json()["id"]
    metrics = demo.api("GET", f"/v1/connections/{connection['id']}/metrics").json()
    # Against Salesforce's 15,000 requests a day: the consent's check and this push.
    assert 0 < metrics["dailyAllowanceUsed"] < 0.01


def test_an_edit_in_salesforce_comes_back_once_and_is_not_echoed(
    demo: Demo, connection: dict[str, Any]
) -> None:
    made = demo.api(
        "POST", "/v1/leads", json={"name": "Grace Hopper", "email": "grace@example.com"}
    )
    lead_id = made.json()["id"]
    row = demo.wait_for(
        "Grace at Salesforce", lambda: demo.leads_at_salesforce().get("grace@example.com")
    )
    demo.full_sync(connection["id"])  # settle: the push's own echo is pulled and ignored
    upserts_before = demo.stats()["upsert_calls"]
    updates_before = demo.api("GET", "/v1/events", params={"type": "lead.updated"}).json()
    edited = httpx.patch(
        f"{demo.sandbox}/_sandbox/records/Lead/{row['Id']}", json={"Company": "US Navy"}, timeout=10
    )
    assert edited.status_code == 200, edited.text
    assert demo.full_sync(connection["id"])["status"] == "succeeded"
    assert _lead(demo, lead_id)["company"] == "US Navy"
    demo.full_sync(connection["id"])
    updates = demo.api("GET", "/v1/events", params={"type": "lead.updated"}).json()
    mine = [e for e in updates["data"] if e["data"]["id"] == lead_id]
    before = [e for e in updates_before["data"] if e["data"]["id"] == lead_id]
    assert len(mine) - len(before) == 1
    assert demo.stats()["upsert_calls"] == upserts_before, "the pulled change was pushed back"


def test_a_lead_deleted_in_salesforce_is_deleted_in_hubwire(
    demo: Demo, connection: dict[str, Any]
) -> None:
    made = demo.api("POST", "/v1/leads", json={"name": "Alan Turing", "email": "alan@example.com"})
    lead_id = made.json()["id"]
    row = demo.wait_for(
        "Alan at Salesforce", lambda: demo.leads_at_salesforce().get("alan@example.com")
    )
    demo.full_sync(connection["id"])
    gone = httpx.delete(f"{demo.sandbox}/_sandbox/records/Lead/{row['Id']}", timeout=10)
    assert gone.status_code == 204
    demo.full_sync(connection["id"])
    assert demo.api("GET", f"/v1/leads/{lead_id}").status_code == 404


def test_a_lead_salesforce_rejects_is_logged_with_its_message(
    demo: Demo, connection: dict[str, Any]
) -> None:
    made = demo.api("POST", "/v1/leads", json={"firstName": "Madonna", "email": "m@example.com"})
    lead_id = made.json()["id"]
    logs = demo.wait_for(
        "the rejection in the sync log",
        lambda: [
            entry
            for entry in demo.api("GET", f"/v1/connections/{connection['id']}/logs").json()["data"]
            if "REQUIRED_FIELD_MISSING" in (entry.get("message") or "")
        ],
    )
    assert lead_id in logs[0]["message"]
    assert "Required fields are missing: [LastName]" in logs[0]["message"]


def test_a_revoked_grant_asks_for_reauthorization(demo: Demo, connection: dict[str, Any]) -> None:
    # Last in this module: it takes the connection down.
    with httpx.Client(base_url=f"{demo.sandbox}/_sandbox", timeout=10) as admin:
        assert admin.post("/revoke-all").status_code == 200
        assert admin.post("/expire-sessions").status_code == 200
    # Each sync tries one refresh; Hubwire gives a connection up after a few refused ones
    # (core/connections/credentials.py), then the user must reconnect.
    for _ in range(5):
        state = demo.api("GET", f"/v1/connections/{connection['id']}").json()
        status = state["status"]
        if status != "active":
            break
        demo.full_sync(connection["id"])
    assert status == "reauthorization_required", state
    assert "invalid_grant" in (state.get("lastError") or ""), state
