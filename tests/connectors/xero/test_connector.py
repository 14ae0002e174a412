"""The Xero connector against the sandbox with the real xero-python library over HTTP: the
kit's contract, and the contacts it makes for leads and customers: once per lead, however
the create is retried (a lost answer, after Xero's 24-hour idempotency window, two at once),
with Xero's unique-name rule respected."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest

from connectors.kit import ConnectionContext, Record
from connectors.kit.testing import ConnectorContract
from connectors.xero.connector import XeroConnector
from connectors.xero.sandbox import SandboxConfig, create_sandbox
from tests.connectors.xero.conftest import XeroSandbox, consent_tokens
from tests.support.live_server import serve_asgi

XERO = XeroConnector()


@dataclass
class Clock:
    """The sandbox's clock, moved by the test (Xero's 24-hour idempotency window)."""

    now: float = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Org:
    sandbox: XeroSandbox
    context: ConnectionContext
    clock: Clock

    async def renew(self) -> None:
        """Fresh tokens after the clock moved past the access token's 30 minutes."""
        tokens = await consent_tokens(self.sandbox.url)
        self.context = self.context.with_credentials(access_token=tokens["access_token"])


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def served(clock: Clock) -> Iterator[XeroSandbox]:
    with serve_asgi(create_sandbox(SandboxConfig(clock=clock))) as url:
        yield XeroSandbox(url)


async def _context(url: str) -> ConnectionContext:
    tokens = await consent_tokens(url)
    bare = ConnectionContext("conn_xero", "ws_xero", {"access_token": tokens["access_token"]}, url)
    checked = await XERO.check(bare)
    assert checked.ok, checked.detail
    return ConnectionContext(
        "conn_xero",
        "ws_xero",
        {"access_token": tokens["access_token"]},
        url,
        settings={"tenantId": checked.account},
    )


@pytest.fixture
async def org(served: XeroSandbox, clock: Clock) -> Org:
    return Org(served, await _context(served.url), clock)


def _lead(lead_id: str, name: str = "Ada Lovelace", **fields: Any) -> Record:
    return Record(
        "contact",
        {"name": name, "email": "ada@example.com", "status": "new", **fields},
        hubwire_id=lead_id,
    )


def _payment(payment_id: str, contact: str | None = None, name: str = "Ada Lovelace") -> Record:
    fields = {"amount": 4900, "currency": "GBP", "status": "succeeded", "customer_name": name}
    related = {"lead": contact} if contact else {}
    return Record("invoice", fields, hubwire_id=payment_id, related=related)


async def _push(org: Org, object_type: str, record: Record) -> str:
    [outcome] = (await XERO.push(org.context, object_type, [record])).outcomes
    assert outcome.ok, outcome.error
    assert outcome.external_id
    return outcome.external_id


class TestXero(ConnectorContract):
    connector = XERO
    bad_credentials: ClassVar[dict[str, str]] = {"access_token": "xero-at-not-issued"}

    @pytest.fixture
    async def connection(self, xero: XeroSandbox) -> ConnectionContext:
        return await _context(xero.url)


async def test_a_lead_contact_carries_the_lead_id_as_its_contact_number(org: Org) -> None:
    contact_id = await _push(org, "contact", _lead("lead_a1", first_name="Ada"))
    [contact] = org.sandbox.state()["contacts"]
    assert contact["ContactID"] == contact_id
    assert (contact["Name"], contact["ContactNumber"], contact["FirstName"]) == (
        "Ada Lovelace",
        "lead_a1",
        "Ada",
    )


async def test_a_lost_answer_retried_gets_the_same_contact(org: Org) -> None:
    org.sandbox.lose("Contacts")
    [lost] = (await XERO.push(org.context, "contact", [_lead("lead_a1")])).outcomes
    assert not lost.ok and "504" in str(lost.error)
    again = await _push(org, "contact", _lead("lead_a1"))
    [contact] = org.sandbox.state()["contacts"]
    assert contact["ContactID"] == again


async def test_a_retry_after_the_idempotency_window_finds_the_contact(org: Org) -> None:
    org.sandbox.lose("Contacts")
    await XERO.push(org.context, "contact", [_lead("lead_a1")])
    org.clock.now += 25 * 3600  # Xero forgets the key after 24 hours
    await org.renew()
    again = await _push(org, "contact", _lead("lead_a1"))
    [contact] = org.sandbox.state()["contacts"]
    assert contact["ContactID"] == again


async def test_two_creates_of_one_lead_at_once_make_one_contact(org: Org) -> None:
    results = await asyncio.gather(
        *(XERO.push(org.context, "contact", [_lead("lead_a1")]) for _ in range(2))
    )
    ids = {r.outcomes[0].external_id for r in results}
    assert all(r.outcomes[0].ok for r in results), results
    [contact] = org.sandbox.state()["contacts"]
    assert ids == {contact["ContactID"]}


async def test_two_leads_with_one_name_get_two_contacts(org: Org) -> None:
    first = await _push(org, "contact", _lead("lead_a1"))
    second = await _push(org, "contact", _lead("lead_b2"))
    assert first != second
    names = sorted(c["Name"] for c in org.sandbox.state()["contacts"])
    assert names == ["Ada Lovelace", "Ada Lovelace (lead_b2)"]


async def test_a_customer_without_a_lead_who_pays_twice_is_one_contact(org: Org) -> None:
    await _push(org, "invoice", _payment("pay_1"))
    await _push(org, "invoice", _payment("pay_2"))
    state = org.sandbox.state()
    [contact] = state["contacts"]
    assert [i["Contact"]["ContactID"] for i in state["invoices"]] == [contact["ContactID"]] * 2
    assert {i["Status"] for i in state["invoices"]} == {"PAID"}


async def test_a_payment_goes_on_its_lead_contact(org: Org) -> None:
    contact_id = await _push(org, "contact", _lead("lead_a1"))
    await _push(org, "invoice", _payment("pay_1", contact_id, name="Someone Else"))
    state = org.sandbox.state()
    [invoice] = state["invoices"]
    assert invoice["Contact"]["ContactID"] == contact_id
    assert len(state["contacts"]) == 1
