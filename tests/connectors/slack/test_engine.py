"""The sync engine drives the Slack connector (real slack-sdk, the sandbox over loopback),
on both backends: leads and their events become cards in the channels the connection's
rules name, a later change updates the card in place, and a burst of 500 new leads for one
channel lands whole (cards up to the threshold, digests for the rest) with the channel's
429s waited out and no push item failed."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import timedelta
from typing import Any

import pytest

from connectors.slack.connector import LEAD_CARD
from core.calls.schemas import CallCreate
from core.calls.service import calls
from core.connections.credentials import seal_credentials
from core.connections.models import Connection
from core.connections.service import push_routes
from core.database import utcnow
from core.events.catalog import load_event_catalog
from core.jobs.models import Job
from core.plugins.manager import connector_registry
from sync.engine import push_connection
from tests.connectors.slack.conftest import TOKEN, Running
from tests.sync.engine_kit import Env, sync_env


@pytest.fixture(scope="module", params=["embedded", "postgres"])
async def env(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Env]:
    async with sync_env(request.param, tmp_path_factory.mktemp("slack")) as made:
        yield made


async def _connect(env: Env, workspace: str, slack: Running, **settings: Any) -> str:
    connector = connector_registry()["slack"]
    async with env.db.session() as session:
        connection = Connection(
            workspace_id=workspace,
            connector="slack",
            status="active",
            auth_type="oauth2",
            account_id="T0SANDBOX",
            base_url=slack.base,
            credentials_sealed=seal_credentials(env.secrets, {"access_token": TOKEN}),
            push_routes=push_routes(connector, load_event_catalog()),
            settings=settings,
            activated_at=utcnow(),
        )
        session.add(connection)
        await session.flush()
        return connection.id


def _text(message: dict[str, Any]) -> str:
    parts = [message["text"]]
    for block in message["blocks"]:
        if isinstance(block.get("text"), dict):
            parts.append(block["text"]["text"])
        parts.extend(f["text"] for f in block.get("fields", []))
    return "\n".join(parts)


async def test_lead_events_become_cards_updated_in_place(env: Env, slack: Running) -> None:
    workspace = await env.workspace()
    connection = await _connect(
        env,
        workspace,
        slack,
        rules=[
            {"events": ["lead.created"], "channel": "C0LEADS"},
            {"events": ["lead.qualified"], "channel": "C0VIP"},
        ],
    )
    (ada,) = await env.create_leads(
        workspace, {"name": "Ada Lovelace", "email": "ada@example.com", "source": "website"}
    )
    await env.fan_out()
    first = await push_connection(env.deps, connection)
    assert (first.pushed, first.failed) == (1, 0)
    (card,) = slack.messages("C0LEADS")
    assert "Ada Lovelace" in _text(card) and "website" in _text(card)
    assert f"/dashboard/leads/{ada}" in _text(card)
    assert slack.messages("C0VIP") == []

    await env.update_lead(workspace, ada, status="qualified", phone="+1 555 0100")
    await env.fan_out()
    second = await push_connection(env.deps, connection)
    assert second.failed == 0
    (card,) = slack.messages("C0LEADS")  # the same message, edited
    assert card["edited"] and "qualified" in _text(card) and "+1 555 0100" in _text(card)
    (vip,) = slack.messages("C0VIP")  # the qualified rule posts its own card
    assert "Ada Lovelace" in _text(vip)
    links = await env.id_map(connection, LEAD_CARD)
    assert f"C0LEADS={card['ts']}" in links[ada] and f"C0VIP={vip['ts']}" in links[ada]


async def test_a_burst_of_500_new_leads_lands_whole_under_the_rate(
    env: Env, make_slack: Callable[..., Running]
) -> None:
    slack = make_slack(channel_rate=4.0, channel_burst=2)
    workspace = await env.workspace()
    connection = await _connect(
        env,
        workspace,
        slack,
        rules=[{"events": ["lead.created"], "channel": "C0LEADS"}],
        digestAfter=10,
    )
    await env.create_leads(
        workspace, *({"name": f"Person {n}", "email": f"p{n}@example.com"} for n in range(500))
    )
    await env.fan_out()
    stats = await push_connection(env.deps, connection)
    assert (stats.pushed, stats.failed, stats.stopped) == (500, 0, None)
    assert {item.state for item in await env.items(connection)} == {"done"}
    messages = slack.messages("C0LEADS")
    named = {int(n) for m in messages for n in re.findall(r"Person (\d+)\b", _text(m))}
    assert named == set(range(500))
    # At most the threshold as cards; the rest as digests, a handful of messages in all.
    cards = [m for m in messages if any(b["type"] == "actions" for b in m["blocks"])]
    assert len(cards) == 10
    assert len(messages) <= 10 + 500 // 100 + 1


async def test_a_finished_call_gets_a_card_with_its_analysis_score(
    env: Env, slack: Running
) -> None:
    workspace = await env.workspace()
    connection = await _connect(
        env,
        workspace,
        slack,
        rules=[
            {"events": ["call.ended"], "channel": "C0CALLS", "filter": {"outcome": ["connected"]}}
        ],
    )
    (lead_id,) = await env.create_leads(workspace, {"name": "Grace Hopper"})
    async with env.db.session() as session:
        call = await calls.create(
            session,
            workspace_id=workspace,
            data=CallCreate(
                lead_id=lead_id,
                direction="inbound",
                from_number="+1 555 0100",
                duration_seconds=95,
                outcome="connected",
                started_at=utcnow() - timedelta(seconds=95),
                ended_at=utcnow(),
                summary="Asked for a quote.",
            ),
        )
        session.add(
            Job(
                workspace_id=workspace,
                type="call.analysis",
                status="succeeded",
                input={"callId": call.id},
                result={"callId": call.id, "score": 7.9},
                finished_at=utcnow(),
            )
        )
    await env.fan_out()
    stats = await push_connection(env.deps, connection)
    assert stats.failed == 0
    (card,) = slack.messages("C0CALLS")
    text = _text(card)
    for shown in (
        "1m 35s",
        "connected",
        "Asked for a quote.",
        "7.9/10",
        f"/dashboard/leads/{lead_id}",
    ):
        assert shown in text
