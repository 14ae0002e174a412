"""The connector against a real Slack workspace, to check the sandbox against the real
thing: skipped unless ``SLACK_TEST_BOT_TOKEN`` (a bot token with chat:write and
channels:read) and ``SLACK_TEST_CHANNEL`` (a channel id the bot is in) are set."""

from __future__ import annotations

import os

import pytest

from connectors.kit import ConnectionContext, Record
from connectors.slack.connector import LEAD_CARD, SlackConnector

TOKEN = os.environ.get("SLACK_TEST_BOT_TOKEN", "")
CHANNEL = os.environ.get("SLACK_TEST_CHANNEL", "")

pytestmark = pytest.mark.skipif(
    not (TOKEN and CHANNEL), reason="SLACK_TEST_BOT_TOKEN and SLACK_TEST_CHANNEL are not set"
)


def _connection() -> ConnectionContext:
    rules = [{"events": ["lead.*"], "channel": CHANNEL}]
    return ConnectionContext(
        "conn_real", "ws_real", {"access_token": TOKEN}, settings={"rules": rules}
    )


async def test_check_and_channels_on_real_slack() -> None:
    connector = SlackConnector()
    checked = await connector.check(_connection())
    assert checked.ok and checked.account and checked.account.startswith("T")
    channels = await connector.channels(_connection())
    assert any(c["id"] == CHANNEL and c["isMember"] for c in channels)


async def test_a_card_is_posted_then_updated_on_real_slack() -> None:
    connector = SlackConnector()
    fields = {
        "name": "Hubwire test lead",
        "email": "test@example.com",
        "phone": None,
        "company": None,
        "status": "new",
        "source": "test",
        "url": None,
    }
    (posted,) = (
        await connector.push(
            _connection(),
            LEAD_CARD,
            [Record(LEAD_CARD, fields, hubwire_id="lead_real", events=("lead.created",))],
        )
    ).outcomes
    assert posted.ok and f"{CHANNEL}=" in (posted.external_id or "")
    (updated,) = (
        await connector.push(
            _connection(),
            LEAD_CARD,
            [
                Record(
                    LEAD_CARD,
                    {**fields, "status": "contacted"},
                    hubwire_id="lead_real",
                    external_id=posted.external_id,
                    events=("lead.updated",),
                )
            ],
        )
    ).outcomes
    assert updated.ok and updated.external_id == posted.external_id
