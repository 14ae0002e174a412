"""The fan-out reads an event's stored JSON text and decodes it with orjson where that reads
it as ``json.loads`` does (sync.pipeline.repository.load_stored_json): the webhook body must
stay byte for byte what it was when the driver decoded ``data`` with ``json.loads``."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from core.container import Services
from core.events.models import Event
from core.events.service import emit, envelope
from core.webhooks.models import Delivery
from sync.pipeline.fanout import fan_out_pending
from sync.pipeline.repository import FanOutEvent, load_stored_json
from tests.conftest import Api, Tenant
from tests.core.webhooks.receiver import Receiver, eventually

# What the events table holds: SQLAlchemy's JSON type writes json.dumps(data) (", " and
# ": " separators, non-ASCII as \u escapes) on PostgreSQL (a ``json`` column, kept as
# written) and SQLite alike; plus texts written some other way.
DATA: list[Any] = [
    {"id": "lead_1", "name": "Lead 1", "email": "l1@example.com"},
    {"name": "Zoë Ångström", "city": "東京", "note": "emoji 🎉 and \u2028 separator"},
    {"nested": {"list": [1, 2.5, -0.0, None, True, {"deep": [[], {}, ""]}]}, "empty": {}},
    {"escapes": 'quote " backslash \\ tab \t newline \n nul \x00 del \x7f'},
    {"floats": [0.1, 1e-7, 1.5e300, 5e-324, 1.7976931348623157e308, 123456.789, 1.0]},
    {"ints": [0, -1, 2**53 + 1, 2**63 - 1, -(2**63), 2**64 - 1]},
    {"digits": "12345678901234567890123", "phone": "+49 30 1234567"},
    {"a": 1, "b": [{"c": {"d": {"e": {"f": "g"}}}}]},
    [1, "two", {"three": 3}],
    "just a string",
    None,
]
TEXTS = [
    *(json.dumps(d) for d in DATA),
    *(json.dumps(d, ensure_ascii=False, separators=(",", ":")) for d in DATA),
    '{"a": 1, "a": 2, "b": 3}',  # duplicate keys: the last value wins, in the first place
    '{"big": 123456789012345678901234567890}',  # beyond 64 bits: orjson would give a float
    '{"nan": NaN, "inf": Infinity, "ninf": -Infinity}',
    '{"huge": 1e400, "tiny": 1e-400}',
    '{"surrogate": "\\ud83c\\udf89", "lone": "\\ud800"}',
    '{"unicode": "\\u00e9\\u4e1c"}',
    ' {\n "spaced" :\t[ 1 , 2 ] } ',
]


def _event(data: Any) -> FanOutEvent:
    occurred = datetime(2026, 12, 6, 22, 0, 0, 123456, tzinfo=UTC)
    return FanOutEvent("evt_1", "ws_1", "lead.created", "1", data, occurred)


def _body(data: Any) -> bytes | str:
    """The webhook body for this data, or the error that building it raises."""
    try:
        return orjson.dumps(envelope(_event(data)))
    except TypeError as exc:
        return f"TypeError: {exc}"


@pytest.mark.parametrize("text", TEXTS)
def test_stored_json_gives_the_same_body_as_json_loads(text: str) -> None:
    assert _body(load_stored_json(text)) == _body(json.loads(text))


def test_what_orjson_reads_differently_is_read_by_json_loads() -> None:
    assert load_stored_json('{"big": 123456789012345678901234567890}') == {
        "big": 123456789012345678901234567890
    }
    assert math.isnan(load_stored_json('{"nan": NaN}')["nan"])
    assert load_stored_json('{"huge": 1e400}') == {"huge": math.inf}
    assert load_stored_json('{"lone": "\\ud800"}') == {"lone": "\ud800"}


async def test_fanned_out_payloads_are_the_envelope_of_the_stored_event(
    services: Services, api: Api, tenant: Tenant, receiver: Receiver
) -> None:
    """Through the database (PostgreSQL's json column and SQLite's text): every payload is
    byte for byte orjson.dumps(envelope(event)) of the event as the ORM loads it."""
    response = await api.post("/v1/webhooks", json={"url": receiver.url(), "events": ["lead.*"]})
    assert response.status_code == 201, response.text
    storable = [d for d in DATA if d is not None]
    async with services.db.session() as session:
        events = [
            emit(session, workspace_id=tenant.id, type="lead.updated", data=data)
            for data in storable
        ]
        await session.flush()
        ids = [e.id for e in events]
    # The app's embedded worker may be fanning them out too: wait for its commit.
    await fan_out_pending(services.db)
    hook_id = response.json()["id"]
    payloads: dict[str, str] = {}

    async def all_fanned_out() -> bool:
        async with services.db.session() as session:
            rows = await session.execute(
                select(Delivery.event_id, Delivery.payload).where(Delivery.webhook_id == hook_id)
            )
            payloads.update({event_id: payload for event_id, payload in rows})
        return len(payloads) == len(ids)

    await eventually(all_fanned_out, 20, "a delivery per event")
    async with services.db.session() as session:
        for event_id in ids:
            event = await session.get(Event, event_id)
            assert event is not None
            assert payloads[event_id] == orjson.dumps(envelope(event)).decode()
    assert [json.loads(payloads[i])["data"] for i in ids] == storable
