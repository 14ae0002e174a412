"""Slack end to end, as a newcomer meets it with `make run`: `hubwire serve --demo` with the
Slack sandbox mounted, the app installed through the sandbox's OAuth v2 consent page, rules
set through the connections API, a new lead's card in the channel, a button pressed "in
Slack" (the sandbox sends Slack's signed request) changing the lead, the card updated to
show who acted, a forged press refused, and `/hubwire lead …` answering with the card."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.connectors.hubspot.test_end_to_end import Demo, _consent
from tests.support.processes import demo_server


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with demo_server(tmp_path_factory.mktemp("slack-e2e")) as server:
        match = re.search(r"Demo key:\s+(\S+)", server.log.read_text())
        assert match, server.log.read_text()
        yield Demo(server.base, match.group(1), server.log)


def _slack(demo: Demo) -> str:
    return f"{demo.base}/sandbox/slack"


def _messages(demo: Demo, channel: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = httpx.get(
        f"{_slack(demo)}/_sandbox/channels/{channel}/messages", timeout=10
    ).json()["messages"]
    return found


def _card_of(demo: Demo, channel: str, lead_id: str) -> dict[str, Any] | None:
    for message in _messages(demo, channel):
        if lead_id in str(message["blocks"]):
            return message
    return None


@pytest.fixture(scope="module")
def connection(demo: Demo) -> dict[str, Any]:
    created = demo.api("POST", "/v1/connections", json={"connector": "slack"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["authorizeUrl"].startswith(f"{_slack(demo)}/oauth/v2/authorize")
    landed = _consent(demo, body["authorizeUrl"])
    assert landed.status_code < 400, landed.text
    active = demo.api("GET", f"/v1/connections/{body['id']}").json()
    assert (active["status"], active["accountId"]) == ("active", "T0SANDBOX"), active
    assert "xoxb-" not in str(active)
    rules = {"rules": [{"events": ["lead.*"], "channel": "C0LEADS"}]}
    saved = demo.api("PATCH", f"/v1/connections/{body['id']}", json={"settings": rules})
    assert saved.status_code == 200, saved.text
    return dict(active)


def test_a_new_lead_gets_a_card_and_a_press_changes_it(
    demo: Demo, connection: dict[str, Any]
) -> None:
    made = demo.api(
        "POST",
        "/v1/leads",
        json={"name": "Grace Hopper", "email": "grace@example.com", "source": "referral"},
    )
    lead_id = made.json()["id"]
    card = demo.wait_for("the lead's card", lambda: _card_of(demo, "C0LEADS", lead_id))
    assert "Grace Hopper" in str(card["blocks"]) and "referral" in str(card["blocks"])

    forged = httpx.post(
        f"{_slack(demo)}/_sandbox/click",
        json={
            "channel": "C0LEADS",
            "ts": card["ts"],
            "actionId": "hubwire_reject",
            "user": "U0EVE",
            "signingSecret": "guessed",
        },
        timeout=30,
    ).json()
    assert forged["status"] == 401
    assert demo.api("GET", f"/v1/leads/{lead_id}").json()["status"] == "new"

    pressed = httpx.post(
        f"{_slack(demo)}/_sandbox/click",
        json={
            "channel": "C0LEADS",
            "ts": card["ts"],
            "actionId": "hubwire_mark_contacted",
            "user": "U0ADA",
        },
        timeout=30,
    ).json()
    assert pressed["status"] == 200, pressed
    assert demo.api("GET", f"/v1/leads/{lead_id}").json()["status"] == "contacted"
    events = demo.api("GET", "/v1/events", params={"type": "lead.updated", "limit": 50}).json()
    assert any(e["data"]["id"] == lead_id for e in events["data"])
    updated = demo.wait_for(
        "the card showing who acted",
        lambda: (c := _card_of(demo, "C0LEADS", lead_id)) and "<@U0ADA>" in str(c) and c,
    )
    assert updated["ts"] == card["ts"] and updated["edited"]
    assert "Marked contacted by <@U0ADA>" in str(updated["blocks"])
    assert len([m for m in _messages(demo, "C0LEADS") if lead_id in str(m["blocks"])]) == 1


def test_the_slash_command_answers_with_the_card(demo: Demo, connection: dict[str, Any]) -> None:
    made = demo.api("POST", "/v1/leads", json={"name": "Alan Turing", "phone": "+44 161 555 0100"})
    assert made.status_code == 201
    answered = httpx.post(
        f"{_slack(demo)}/_sandbox/command", json={"text": "lead +441615550100"}, timeout=30
    ).json()
    assert answered["status"] == 200, answered
    assert "Alan Turing" in str(answered["body"]["blocks"])


def test_the_channel_page_lists_the_messages(demo: Demo, connection: dict[str, Any]) -> None:
    # Its own lead: the tests of this module may run in different processes (pytest-xdist).
    made = demo.api("POST", "/v1/leads", json={"name": "Katherine Johnson"})
    lead_id = made.json()["id"]
    demo.wait_for("the lead's card", lambda: _card_of(demo, "C0LEADS", lead_id))
    page = httpx.get(f"{_slack(demo)}/_sandbox/channels/C0LEADS", timeout=10)
    assert page.status_code == 200 and "Katherine Johnson" in page.text
