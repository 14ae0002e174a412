"""The Slack connector with the real slack-sdk over HTTP against the sandbox: the check,
the channel list, rules and filters choosing channels, the cards' content, updates in
place, and a burst of 500 new leads for one channel."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from connectors.kit import ConnectionContext, Record
from connectors.kit.testing import ConnectorContract
from connectors.slack.connector import CALL_CARD, LEAD_CARD, SlackConnector
from tests.connectors.slack.conftest import Running

LEADS_TO_CHANNEL = {"rules": [{"events": ["lead.*"], "channel": "C0LEADS"}]}


class TestSlack(ConnectorContract):
    connector = SlackConnector()
    bad_credentials = {"access_token": "xoxb-revoked"}

    @pytest.fixture
    def connection(self, slack: Running) -> ConnectionContext:
        return slack.connection()


def _lead(n: int, *, events: tuple[str, ...] = ("lead.created",), **fields: Any) -> Record:
    base = {
        "name": f"Person {n}",
        "email": f"p{n}@example.com",
        "phone": f"+1 555 000 {n:04d}",
        "company": None,
        "status": "new",
        "source": "website",
        "url": f"http://hubwire.test/dashboard/leads/lead_{n}",
    }
    return Record(LEAD_CARD, {**base, **fields}, hubwire_id=f"lead_{n}", events=events)


def _texts(message: dict[str, Any]) -> str:
    parts = [message["text"]]
    for block in message["blocks"]:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(f["text"] for f in block.get("fields", []))
        parts.extend(
            e.get("text", "")
            for e in block.get("elements", [])
            if "text" in e and isinstance(e["text"], str)
        )
    return "\n".join(parts)


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    return {
        e["text"]["text"]: e["value"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for e in block["elements"]
    }


def _leads_in(messages: list[dict[str, Any]]) -> list[str]:
    return [_buttons(m)["Reject"] for m in messages]


async def test_check_names_the_slack_team(slack: Running) -> None:
    result = await SlackConnector().check(slack.connection())
    assert (result.ok, result.account) == (True, "T0SANDBOX")


async def test_channels_list_every_page(make_slack: Callable[..., Running]) -> None:
    slack = make_slack(channels=tuple((f"C0X{i:03d}", f"team-{i}", i % 2 == 0) for i in range(450)))
    found = await SlackConnector().channels(slack.connection())
    assert len(found) == 450
    assert found[1] == {"id": "C0X001", "name": "team-1", "isMember": False}


async def test_a_lead_card_shows_the_lead_and_its_buttons(slack: Running) -> None:
    result = await SlackConnector().push(
        slack.connection(**LEADS_TO_CHANNEL), LEAD_CARD, [_lead(1)]
    )
    (outcome,) = result.outcomes
    assert outcome.ok and outcome.external_id
    (card,) = slack.messages("C0LEADS")
    text = _texts(card)
    for shown in (
        "Person 1",
        "+1 555 000 0001",
        "p1@example.com",
        "website",
        "new",
        "http://hubwire.test/dashboard/leads/lead_1",
    ):
        assert shown in text
    assert _buttons(card) == {"Mark contacted": "lead_1", "Qualify": "lead_1", "Reject": "lead_1"}


async def test_rules_choose_channels_by_event_and_filter(slack: Running) -> None:
    connection = slack.connection(
        rules=[
            {"events": ["lead.created"], "channel": "C0LEADS"},
            {"events": ["lead.*"], "channel": "C0VIP", "filter": {"source": ["referral"]}},
            {"events": ["call.ended"], "channel": "C0CALLS"},
        ]
    )
    connector = SlackConnector()
    await connector.push(
        connection,
        LEAD_CARD,
        [_lead(1), _lead(2, source="referral"), _lead(3, events=("lead.updated",))],
    )
    assert _leads_in(slack.messages("C0LEADS")) == ["lead_1", "lead_2"]
    assert _leads_in(slack.messages("C0VIP")) == ["lead_2"]
    assert slack.messages("C0CALLS") == []


async def test_a_later_change_updates_the_card_in_place(slack: Running) -> None:
    connector, connection = SlackConnector(), slack.connection(**LEADS_TO_CHANNEL)
    (first,) = (await connector.push(connection, LEAD_CARD, [_lead(1)])).outcomes
    changed = Record(
        LEAD_CARD,
        {**_lead(1).fields, "status": "qualified", "phone": "+1 555 999 9999"},
        hubwire_id="lead_1",
        external_id=first.external_id,
        events=("lead.updated", "lead.qualified"),
    )
    (second,) = (await connector.push(connection, LEAD_CARD, [changed])).outcomes
    assert second.ok
    (card,) = slack.messages("C0LEADS")
    assert card["edited"] is True
    assert "qualified" in _texts(card) and "+1 555 999 9999" in _texts(card)
    assert "Qualify" not in _buttons(card)


async def test_a_call_card_shows_duration_outcome_and_summary(slack: Running) -> None:
    connection = slack.connection(
        rules=[
            {"events": ["call.ended"], "channel": "C0CALLS", "filter": {"outcome": ["connected"]}}
        ]
    )
    call = {
        "direction": "inbound",
        "status": "ended",
        "from_number": "+1 555 0100",
        "to_number": "+1 555 0199",
        "duration_seconds": 125,
        "outcome": "connected",
        "summary": "Wants a quote for 40 seats.",
        "lead_id": "lead_1",
        "lead_url": "http://hubwire.test/dashboard/leads/lead_1",
    }
    missed = {**call, "outcome": "no_answer", "summary": None}
    result = await SlackConnector().push(
        connection,
        CALL_CARD,
        [
            Record(CALL_CARD, call, hubwire_id="call_1", events=("call.ended",)),
            Record(CALL_CARD, missed, hubwire_id="call_2", events=("call.ended",)),
        ],
    )
    assert all(o.ok for o in result.outcomes)
    (card,) = slack.messages("C0CALLS")
    text = _texts(card)
    for shown in (
        "2m 05s",
        "connected",
        "Wants a quote for 40 seats.",
        "+1 555 0100",
        "http://hubwire.test/dashboard/leads/lead_1",
    ):
        assert shown in text


async def test_a_channel_the_bot_is_not_in_fails_that_record(slack: Running) -> None:
    connection = slack.connection(rules=[{"events": ["lead.*"], "channel": "C0RANDOM"}])
    (outcome,) = (await SlackConnector().push(connection, LEAD_CARD, [_lead(1)])).outcomes
    assert outcome.error is not None and "not_in_channel" in outcome.error


async def test_a_burst_past_the_threshold_becomes_digests(
    make_slack: Callable[..., Running],
) -> None:
    slack = make_slack(channel_rate=5.0, channel_burst=2)
    connector = SlackConnector()
    connection = slack.connection(**LEADS_TO_CHANNEL, digestAfter=10)
    outcomes = []
    for start in range(0, 500, 100):  # the engine's batches of 100
        result = await connector.push(
            connection, LEAD_CARD, [_lead(n) for n in range(start, start + 100)]
        )
        outcomes.extend(result.outcomes)
    assert all(o.ok for o in outcomes)
    messages = slack.messages("C0LEADS")
    cards = [m for m in messages if _buttons(m)]
    digests = [m for m in messages if not _buttons(m)]
    assert (len(cards), len(digests)) == (10, 5)
    named = {int(n) for m in messages for n in re.findall(r"Person (\d+)\b", _texts(m))}
    assert named == set(range(500))
    # The channel's rate was hit and waited out: no record failed for it.
    assert slack.stats()["rate_limited"] > 0


async def test_an_overdue_lead_card_says_so(slack: Running) -> None:
    connection = slack.connection(
        rules=[{"events": ["lead.response_overdue"], "channel": "C0GENERAL"}]
    )
    await SlackConnector().push(
        connection, LEAD_CARD, [_lead(1), _lead(2, events=("lead.response_overdue",))]
    )
    (card,) = slack.messages("C0GENERAL")
    assert _buttons(card)["Reject"] == "lead_2"
    assert "Not answered within the response target" in str(card["blocks"])
