"""The HubSpot connector: the kit's contract, then HubSpot specifics, all through the real
``hubspot-api-client`` against the sandbox served over loopback."""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi import FastAPI, Request

from connectors.hubspot import mapping
from connectors.hubspot.connector import (
    REQUEST_URI_HEADER,
    SCOPES,
    SEARCH_SETTLE_SECONDS,
    HubSpotConnector,
)
from connectors.hubspot.sandbox import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    Sandbox,
    SandboxConfig,
    create_sandbox,
    sign_v3,
)
from connectors.hubspot.sandbox.store import Change
from connectors.hubspot.sandbox.webhooks import WebhookSender
from connectors.kit import (
    AuthFailed,
    ConnectionContext,
    ConnectorError,
    ProviderRateLimited,
    PullPage,
    Record,
    Unsupported,
)
from connectors.kit.testing import ConnectorContract
from sync.budget import Budgets
from tests.support.live_server import free_port, serve_asgi

PREFIX = "/sandbox/hubspot"
REDIRECT = "http://127.0.0.1:9/callback"
PORTAL = "62515"
T0 = 1_700_000_000.0
# Hubwire's app at HubSpot: the vault adds it to an OAuth connection's credentials.
APP = {"client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET}
connector = HubSpotConnector()


@dataclass
class Hub:
    """A running sandbox and an OAuth access token it issued (through the consent flow)."""

    base: str
    sandbox: Sandbox
    token: str

    def connection(self, **overrides: Any) -> ConnectionContext:
        return ConnectionContext(
            "conn_test",
            "ws_test",
            {**APP, "access_token": self.token},
            base_url=self.base,
            **overrides,
        )

    def stats(self) -> dict[str, int]:
        body: dict[str, int] = httpx.get(f"{self.base}/_sandbox/stats").json()
        return body

    def user_creates(self, count: int, *, tick: Callable[[], None] = lambda: None) -> list[str]:
        """Contacts made "as a HubSpot user" (no token, no rate limit); ``tick`` runs after
        each one (to move a fake clock)."""
        ids = []
        with httpx.Client() as http:
            for _ in range(count):
                n = len(self.sandbox.store.objects)
                made = http.post(
                    f"{self.base}/_sandbox/objects/contacts",
                    json={"properties": {"email": f"user{n}@example.com", "firstname": f"U{n}"}},
                )
                ids.append(made.json()["id"])
                tick()
        return ids


def _oauth_token(base: str) -> str:
    """Approve the consent form, then exchange the code, as a user connecting would."""
    scope = " ".join(SCOPES)
    with httpx.Client() as http:
        approved = http.post(
            f"{base}/oauth/authorize",
            data={
                "client_id": DEFAULT_CLIENT_ID,
                "redirect_uri": REDIRECT,
                "scope": scope,
                "decision": "approve",
            },
        )
        code = parse_qs(urlsplit(approved.headers["location"]).query)["code"][0]
        tokens = http.post(
            f"{base}/oauth/2026-03/token",
            data={
                "grant_type": "authorization_code",
                "client_id": DEFAULT_CLIENT_ID,
                "client_secret": DEFAULT_CLIENT_SECRET,
                "redirect_uri": REDIRECT,
                "code": code,
            },
        ).json()
    token: str = tokens["access_token"]
    return token


@contextmanager
def running_hub(**overrides: Any) -> Iterator[Hub]:
    # Searches see writes at once here; a test of the index's lag sets it.
    app = create_sandbox(SandboxConfig(**{"search_index_lag": 0, **overrides}))
    host = FastAPI()
    host.mount(PREFIX, app)
    with serve_asgi(host) as url:
        base = url + PREFIX
        yield Hub(base, app.state.sandbox, _oauth_token(base))


@pytest.fixture
def make_hub() -> Iterator[Callable[..., Hub]]:
    with ExitStack() as stack:
        yield lambda **overrides: stack.enter_context(running_hub(**overrides))


@pytest.fixture
def hub(make_hub: Callable[..., Hub]) -> Hub:
    return make_hub()


def lead(n: int, **fields: Any) -> Record:
    base = {
        "name": f"Lead {n}",
        "email": f"lead{n}@example.com",
        "phone": f"+44 20 7946 {n:04d}",
        "company": f"Company {n}",
        "status": "new",
    }
    return Record("contact", {**base, **fields}, hubwire_id=f"lead_{n}")


class CountingBudget:
    def __init__(self) -> None:
        self.acquired = 0

    async def acquire(self) -> None:
        self.acquired += 1


# --- the contract ---------------------------------------------------------------------------


class TestHubSpot(ConnectorContract):
    connector = connector
    samples = {
        "contact": [
            Record(
                "contact",
                {
                    "name": "Ada King Lovelace",
                    "email": "ada@example.com",
                    "phone": "+44 20 7946 0000",
                    "company": "Analytical Engines Ltd",
                    "status": "qualified",
                },
                hubwire_id="lead_ada",
            ),
            Record(
                "contact",
                {"name": "Alan", "email": "alan@example.com", "status": "contacted"},
                hubwire_id="lead_alan",
            ),
            Record(
                "contact",
                {"name": "Grace Hopper", "email": None, "phone": "+1 555 0100", "company": None},
                hubwire_id="lead_grace",
            ),
        ]
    }
    bad_credentials = {"access_token": "nope"}

    @pytest.fixture
    def connection(self, hub: Hub) -> ConnectionContext:
        return hub.connection()

    def signed_webhook(self) -> tuple[Mapping[str, str], bytes, str]:
        # Made by the sandbox's own sender; the URL has an encoded ":" HubSpot signs decoded.
        url = "https://hubwire.example/v1/hooks/hubspot?connection=conn%3Atest"
        sender = WebhookSender(SandboxConfig(webhook_target_url=url))
        change = Change("contacts", "1001", True, {"email": "ada@example.com"}, time.time())
        body = json.dumps(sender.events(change, "CRM_UI"), separators=(",", ":"))
        headers = sender.signed_request(body, int(time.time() * 1000))
        return {**headers, REQUEST_URI_HEADER: url}, body.encode(), DEFAULT_CLIENT_SECRET


# The same contract against a real HubSpot account, when its credentials are given: an
# OAuth app installed in a test account (docs/connectors/hubspot.md, "Against a real
# account"). Skipped otherwise. It creates contacts there and reads every contact back.
LIVE = {
    "access_token": os.environ.get("HUBWIRE_HUBSPOT_ACCESS_TOKEN", ""),
    "client_id": os.environ.get("HUBWIRE_HUBSPOT_CLIENT_ID", ""),
    "client_secret": os.environ.get("HUBWIRE_HUBSPOT_CLIENT_SECRET", ""),
}
RUN = secrets.token_hex(4)


@pytest.mark.skipif(
    not all(LIVE.values()),
    reason="set HUBWIRE_HUBSPOT_ACCESS_TOKEN, _CLIENT_ID and _CLIENT_SECRET to run the "
    "contract against a real HubSpot account",
)
class TestHubSpotLive(ConnectorContract):
    connector = connector
    samples = {
        "contact": [
            Record(
                "contact",
                {"name": f"Hubwire Test {RUN}", "email": f"hubwire-test-{RUN}@example.com"},
                hubwire_id=f"lead_live_{RUN}",
            )
        ]
    }
    bad_credentials = {"access_token": "nope"}
    pull_delay_seconds = 15.0  # HubSpot's search index lags writes by seconds

    @pytest.fixture
    def connection(self) -> ConnectionContext:
        return ConnectionContext("conn_live", "ws_live", LIVE)


# --- check ----------------------------------------------------------------------------------


async def test_check_names_the_portal(hub: Hub) -> None:
    result = await connector.check(hub.connection())
    assert result.ok and result.account == PORTAL


async def test_check_introspects_with_the_app_credentials(hub: Hub) -> None:
    """The dated introspection endpoint authenticates the app: a wrong secret is HubSpot's
    RFC 6749 refusal, not a passing check; v1's metadata endpoint is never called."""
    result = await connector.check(hub.connection().with_credentials(client_secret="nope"))
    assert not result.ok
    assert result.detail == "HubSpot refused the app: missing or invalid client_secret"
    assert (await connector.check(hub.connection())).ok


async def test_check_refuses_a_token_without_the_scopes(hub: Hub) -> None:
    tokens = hub.sandbox.store.issue_tokens(DEFAULT_CLIENT_ID, ("crm.objects.contacts.read",), 60)
    result = await connector.check(hub.connection().with_credentials(access_token=tokens[0]))
    assert not result.ok
    assert "crm.objects.contacts.write" in result.detail and result.account == PORTAL


async def test_a_missing_scope_fails_auth_naming_the_scope(hub: Hub) -> None:
    """HubSpot answers 403 MISSING_SCOPES naming the scopes a call needs; the connection's
    error (what its log shows) says which."""
    contacts_only = ("crm.objects.contacts.read", "crm.objects.contacts.write")
    token, _ = hub.sandbox.store.issue_tokens(DEFAULT_CLIENT_ID, contacts_only, 600)
    connection = hub.connection().with_credentials(access_token=token)
    [contact] = (await connector.push(connection, "contact", [lead(1)])).outcomes
    assert contact.ok  # the scopes it has are enough for contacts
    deal = Record("deal", lead(1).fields, related={"lead": str(contact.external_id)})
    with pytest.raises(AuthFailed) as refused:
        await connector.push(connection, "deal", [deal])
    assert "hasn't been granted all required scopes" in str(refused.value)
    assert "(required scopes: crm.objects.deals.write)" in str(refused.value)
    assert hub.sandbox.store.all("deals") == []


async def test_expired_or_invalid_tokens_fail_auth(make_hub: Callable[..., Hub]) -> None:
    now = [T0]
    hub = make_hub(clock=lambda: now[0])
    await connector.pull(hub.connection(), "contact", None)
    now[0] += 1801  # access tokens live 30 minutes
    with pytest.raises(AuthFailed):
        await connector.pull(hub.connection(), "contact", None)
    with pytest.raises(AuthFailed):
        await connector.push(hub.connection(), "contact", [lead(1)])
    assert not (await connector.check(hub.connection())).ok
    bad = hub.connection().with_credentials(access_token="nope")
    with pytest.raises(AuthFailed):
        await connector.push(bad, "note", [Record("note", {"summary": "hi"})])


async def test_a_connection_without_a_token_fails_auth(hub: Hub) -> None:
    bare = ConnectionContext("conn_test", "ws_test", {}, base_url=hub.base)
    with pytest.raises(AuthFailed):
        await connector.pull(bare, "contact", None)


async def test_an_unreachable_hubspot_is_a_retryable_error() -> None:
    gone = ConnectionContext(
        "c", "w", {"access_token": "t"}, base_url=f"http://127.0.0.1:{free_port()}", timeout=2
    )
    with pytest.raises(ConnectorError) as raised:
        await connector.pull(gone, "contact", None)
    assert not isinstance(raised.value, AuthFailed | ProviderRateLimited)


# --- push -----------------------------------------------------------------------------------


async def test_150_leads_in_two_pushes_are_two_batch_calls(hub: Hub) -> None:
    records = [lead(n) for n in range(150)]
    first = await connector.push(hub.connection(), "contact", records[:100])
    second = await connector.push(hub.connection(), "contact", records[100:])
    outcomes = first.outcomes + second.outcomes
    assert not first.failed and not second.failed
    stats = hub.stats()
    assert (stats["batch_writes"], stats["batch_records"], stats["requests"]) == (2, 150, 2)
    assert len({o.external_id for o in outcomes}) == 150
    for record, outcome in zip(records, outcomes, strict=True):
        assert outcome.hubwire_id == record.hubwire_id
        stored = hub.sandbox.store.get("contacts", str(outcome.external_id))
        assert stored is not None and stored.properties["email"] == record.fields["email"]


async def test_a_push_bigger_than_a_batch_is_split(hub: Hub) -> None:
    pushed = await connector.push(hub.connection(), "contact", [lead(n) for n in range(101)])
    assert len(pushed.succeeded) == 101
    assert hub.stats()["batch_writes"] == 2


async def test_records_with_an_external_id_are_updated(hub: Hub) -> None:
    [made] = (await connector.push(hub.connection(), "contact", [lead(1)])).outcomes
    changed = Record(
        "contact",
        {"name": "Ada Lovelace", "status": "converted", "phone": None},
        hubwire_id="lead_1",
        external_id=made.external_id,
    )
    [updated] = (await connector.push(hub.connection(), "contact", [changed])).outcomes
    assert updated.ok and updated.external_id == made.external_id
    [contact] = hub.sandbox.store.all("contacts")
    props = contact.properties
    assert (props["firstname"], props["lastname"], props["hs_lead_status"]) == (
        "Ada",
        "Lovelace",
        "OPEN_DEAL",
    )
    assert props["phone"] == ""  # None clears the property
    assert props["email"] == "lead1@example.com"  # absent fields are left alone
    assert hub.stats()["batch_writes"] == 2


async def test_a_repush_after_a_lost_id_updates_instead_of_duplicating(hub: Hub) -> None:
    # The engine pushed, HubSpot created, then the id map was lost: the same leads come again.
    first = await connector.push(hub.connection(), "contact", [lead(1), lead(2)])
    again = [lead(2, phone="+44 1"), lead(3), lead(1, company="Renamed", email="LEAD1@example.com")]
    second = await connector.push(hub.connection(), "contact", again)
    assert not second.failed
    ids = {o.hubwire_id: o.external_id for o in first.outcomes}
    assert second.outcomes[0].external_id == ids["lead_2"]
    assert second.outcomes[2].external_id == ids["lead_1"]
    assert second.outcomes[1].external_id not in ids.values()
    contacts = {c.id: c.properties for c in hub.sandbox.store.all("contacts")}
    assert len(contacts) == 3
    assert contacts[str(ids["lead_1"])]["company"] == "Renamed"
    assert contacts[str(ids["lead_2"])]["phone"] == "+44 1"
    # One batch create (207: lead 3 created, the two others refused naming the existing
    # contacts), then one batch update of those two: no search.
    assert hub.stats()["requests"] == 1 + 2


async def test_a_207_batch_creates_the_rest_updates_the_duplicate_and_fails_the_invalid(
    hub: Hub,
) -> None:
    [existing] = (await connector.push(hub.connection(), "contact", [lead(1)])).outcomes
    records = [lead(2), lead(1, company="Moved"), lead(3, email="not-an-email"), lead(4)]
    pushed = await connector.push(hub.connection(), "contact", records)
    created, duplicate, invalid, other = pushed.outcomes
    assert created.ok and other.ok and created.external_id != other.external_id
    assert duplicate.ok and duplicate.external_id == existing.external_id
    assert not invalid.ok and invalid.external_id is None
    assert invalid.error is not None
    assert "Email address not-an-email is invalid" in invalid.error  # HubSpot's message
    contacts = {c.properties["email"]: c for c in hub.sandbox.store.all("contacts")}
    assert sorted(contacts) == ["lead1@example.com", "lead2@example.com", "lead4@example.com"]
    assert contacts["lead1@example.com"].properties["company"] == "Moved"
    assert contacts["lead2@example.com"].id == created.external_id
    assert contacts["lead4@example.com"].id == other.external_id


async def test_the_same_email_twice_in_one_batch_is_one_contact(hub: Hub) -> None:
    pushed = await connector.push(
        hub.connection(), "contact", [lead(1), lead(9, email="lead1@example.com")]
    )
    assert not pushed.failed
    assert pushed.outcomes[0].external_id == pushed.outcomes[1].external_id
    assert len(hub.sandbox.store.all("contacts")) == 1


async def test_a_failed_update_fails_alone(hub: Hub) -> None:
    [made] = (await connector.push(hub.connection(), "contact", [lead(1)])).outcomes
    records = [
        Record("contact", {"company": "Kept"}, hubwire_id="lead_1", external_id=made.external_id),
        Record("contact", {"company": "Lost"}, hubwire_id="lead_x", external_id="999999"),
    ]
    pushed = await connector.push(hub.connection(), "contact", records)
    assert pushed.outcomes[0].ok
    assert pushed.outcomes[1].error and "not found" in pushed.outcomes[1].error
    stored = hub.sandbox.store.get("contacts", str(made.external_id))
    assert stored is not None and stored.properties["company"] == "Kept"


def _call(**fields: Any) -> dict[str, Any]:
    """A call record's fields as the sync engine sends them."""
    return {
        "direction": "inbound",
        "status": "completed",
        "from_number": "+44 20 7946 0001",
        "to_number": "+44 20 7946 0999",
        "started_at": "2024-05-01T09:30:00Z",
        "ended_at": "2024-05-01T09:32:05Z",
        "duration_seconds": 125,
        "outcome": "meeting_booked",
        "summary": "Wants a demo <soon>.",
        "transcript_text": "Hello.\nHi, I'd like a demo.",
        **fields,
    }


async def test_a_call_becomes_a_note_on_the_contact(hub: Hub) -> None:
    [contact] = (await connector.push(hub.connection(), "contact", [lead(1)])).outcomes
    calls = [
        Record("note", _call(), hubwire_id="call_1", related={"lead": str(contact.external_id)}),
        Record("note", _call(summary="No lead yet."), hubwire_id="call_2"),
    ]
    pushed = await connector.push(hub.connection(), "note", calls)
    assert not pushed.failed
    note_id = str(pushed.outcomes[0].external_id)
    note = hub.sandbox.store.get("notes", note_id)
    assert note is not None
    body = note.properties["hs_note_body"]
    headline = "Inbound call · 2m 05s · from +44 20 7946 0001 · to +44 20 7946 0999"
    assert f"{headline} · meeting booked" in body
    assert "Wants a demo &lt;soon&gt;." in body and "Hi, I&#x27;d like a demo." in body
    assert note.properties["hs_timestamp"] == str(
        mapping.epoch_ms(datetime(2024, 5, 1, 9, 30, tzinfo=UTC))
    )
    [link] = hub.sandbox.store.associated("notes", note_id, "contacts")
    assert (link.to_id, link.type_id) == (contact.external_id, 202)
    # The contact's timeline shows it (HubSpot's v4 associations endpoint).
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {hub.token}"}) as http:
        path = f"/crm/v4/objects/contacts/{contact.external_id}/associations/notes"
        linked = (await http.get(hub.base + path)).json()["results"]
    assert [str(r["toObjectId"]) for r in linked] == [note_id]
    lonely = str(pushed.outcomes[1].external_id)
    assert hub.sandbox.store.associated("notes", lonely, "contacts") == []

    transcribed = Record(
        "note",
        _call(summary="Demo booked."),
        hubwire_id="call_1",
        external_id=note_id,
        related={"lead": str(contact.external_id)},
    )
    [updated] = (await connector.push(hub.connection(), "note", [transcribed])).outcomes
    assert updated.ok and updated.external_id == note_id
    refreshed = hub.sandbox.store.get("notes", note_id)
    assert refreshed is not None and "Demo booked." in refreshed.properties["hs_note_body"]
    assert len(hub.sandbox.store.all("notes")) == 2


async def test_a_call_without_a_start_time_is_a_note_all_the_same(hub: Hub) -> None:
    """HubSpot requires hs_timestamp on a note: the call's end stands in for its start, and
    without either, when Hubwire last changed the call."""
    changed = datetime(2024, 6, 2, 8, 0, tzinfo=UTC)
    calls = [
        Record("note", _call(started_at=None), hubwire_id="call_1", updated_at=changed),
        Record(
            "note",
            _call(started_at=None, ended_at=None),
            hubwire_id="call_2",
            updated_at=changed,
        ),
    ]
    pushed = await connector.push(hub.connection(), "note", calls)
    assert not pushed.failed, pushed.failed
    ended, unknown = (hub.sandbox.store.get("notes", str(o.external_id)) for o in pushed.outcomes)
    assert ended is not None and unknown is not None
    when = datetime(2024, 5, 1, 9, 32, 5, tzinfo=UTC)
    assert ended.properties["hs_timestamp"] == str(mapping.epoch_ms(when))
    assert unknown.properties["hs_timestamp"] == str(mapping.epoch_ms(changed))


async def test_a_transcript_too_long_for_hubspot_is_cut_with_a_link_to_hubwire(
    hub: Hub,
) -> None:
    lines = [f"Line {n:05d}: " + "words & more " * 5 for n in range(1000)]
    transcript = "\n".join(lines)
    assert len(transcript) > 70_000
    connection = hub.connection(hubwire_url="https://hubwire.example/")
    call = Record("note", _call(transcript_text=transcript), hubwire_id="call_long")
    [outcome] = (await connector.push(connection, "note", [call])).outcomes
    assert outcome.ok, outcome.error
    note = hub.sandbox.store.get("notes", str(outcome.external_id))
    assert note is not None
    body = note.properties["hs_note_body"]
    assert 65_000 < len(body) <= 65_536
    assert "Line 00000: words &amp; more" in body and "Line 00999" not in body
    link = "https://hubwire.example/v1/calls/call_long"
    assert body.endswith(
        f'<p><em>Transcript shortened: the full one is in <a href="{link}">{link}</a></em></p>'
    )


async def test_a_converted_lead_opens_a_deal(hub: Hub) -> None:
    [contact] = (await connector.push(hub.connection(), "contact", [lead(1)])).outcomes
    converted = lead(1, status="converted")
    converted = Record(
        "deal", converted.fields, hubwire_id="lead_1", related={"lead": str(contact.external_id)}
    )
    [deal] = (await connector.push(hub.connection(), "deal", [converted])).outcomes
    assert deal.ok
    stored = hub.sandbox.store.get("deals", str(deal.external_id))
    assert stored is not None
    assert stored.properties["dealname"] == "Lead 1 (Hubwire)"
    assert (stored.properties["dealstage"], stored.properties["pipeline"]) == (
        "closedwon",
        "default",
    )
    [link] = hub.sandbox.store.associated("deals", str(deal.external_id), "contacts")
    assert (link.to_id, link.type_id) == (contact.external_id, 3)

    renamed = Record("deal", {"name": "Ada"}, hubwire_id="lead_1", external_id=deal.external_id)
    assert (await connector.push(hub.connection(), "deal", [renamed])).outcomes[0].ok
    again = hub.sandbox.store.get("deals", str(deal.external_id))
    assert again is not None and again.properties["dealname"] == "Ada (Hubwire)"


async def test_unknown_objects_are_unsupported(hub: Hub) -> None:
    with pytest.raises(Unsupported):
        await connector.push(hub.connection(), "ticket", [Record("ticket", {})])
    with pytest.raises(Unsupported):
        await connector.pull(hub.connection(), "note", None)


# --- pull -----------------------------------------------------------------------------------


async def _pull_all(connection: ConnectionContext, cursor: str | None) -> list[PullPage]:
    pages = []
    for _ in range(20):
        page = await connector.pull(connection, "contact", cursor)
        pages.append(page)
        cursor = page.next_cursor
        if not page.has_more:
            return pages
    raise AssertionError("the cursor does not advance")


async def test_pull_pages_through_and_resumes_from_a_saved_cursor(
    make_hub: Callable[..., Hub],
) -> None:
    now = [T0]

    def tick() -> None:
        now[0] += 0.005

    hub = make_hub(clock=lambda: now[0])
    ids = hub.user_creates(130, tick=tick)
    pages = await _pull_all(hub.connection(), None)
    # A full page holds back its last millisecond (it may go on past the page): 99 + 31.
    assert [len(p.records) for p in pages] == [99, 31]
    assert [r.external_id for p in pages for r in p.records] == ids
    first = pages[0].records[0]
    assert first.object_type == "contact" and first.updated_at == datetime.fromtimestamp(T0, UTC)
    assert first.fields == {
        "name": "U0",
        "first_name": "U0",
        "last_name": None,
        "email": "user0@example.com",
        "phone": None,
        "company": None,
    }
    saved = pages[-1].next_cursor
    assert saved is not None

    async with httpx.AsyncClient() as http:
        for object_id, status in ((ids[5], "OPEN_DEAL"), (ids[120], "SOMETHING_CUSTOM")):
            tick()
            await http.patch(
                f"{hub.base}/_sandbox/objects/contacts/{object_id}",
                json={"properties": {"hs_lead_status": status}},
            )
    tick()
    [newest] = hub.user_creates(1)
    [page] = await _pull_all(hub.connection(), saved)
    assert [r.external_id for r in page.records] == [ids[5], ids[120], newest]
    assert page.records[0].fields["status"] == "converted"
    assert "status" not in page.records[1].fields  # an unknown HubSpot value pulls no status
    # Nothing new: the same cursor comes back.
    quiet = await connector.pull(hub.connection(), "contact", page.next_cursor)
    assert (quiet.records, quiet.next_cursor, quiet.has_more) == ((), page.next_cursor, False)


async def test_12000_changed_contacts_are_pulled_without_paging_past_the_cap(
    make_hub: Callable[..., Hub],
) -> None:
    """HubSpot's search stops at the 10,000th result (a 400 past it); the pull narrows its
    time window page by page instead of paging (the rate limits are not the point here)."""
    now = [T0]
    hub = make_hub(clock=lambda: now[0], rate_limit_max=10**6, search_rate_limit_max=10**6)
    for n in range(12_000):
        hub.sandbox.store.create("contacts", {"email": f"c{n}@example.com"})
        now[0] += 0.001 if n % 7 else 0  # some share a millisecond
    seen: list[str] = []
    cursor = None
    for _ in range(200):
        page = await connector.pull(hub.connection(), "contact", cursor)
        seen += [str(r.external_id) for r in page.records]
        cursor = page.next_cursor
        if not page.has_more:
            break
    assert len(seen) == len(set(seen)) == 12_000
    assert hub.stats()["rate_limited"] == 0


async def test_searches_keep_to_their_own_budget(make_hub: Callable[..., Hub]) -> None:
    """With the engine's budget built from the manifest, a burst of searches (pull pages
    back to back) waits for HubSpot's five a second instead of meeting a 429."""
    hub = make_hub()
    budget = Budgets(None, "test:").for_connection("conn_test", connector.manifest)
    for n in range(600):
        hub.sandbox.store.create("contacts", {"email": f"c{n}@example.com"})
    cursor = None
    for _ in range(12):
        page = await connector.pull(hub.connection(budget=budget), "contact", cursor)
        cursor = page.next_cursor
    stats = hub.stats()
    assert (stats["requests"], stats["rate_limited"]) == (12, 0)


async def test_contacts_sharing_a_millisecond_are_neither_skipped_nor_repeated(
    make_hub: Callable[..., Hub],
) -> None:
    hub = make_hub(clock=lambda: T0, rate_limit_max=10_000)
    ids = hub.user_creates(250)
    pages = await _pull_all(hub.connection(), None)
    assert [len(p.records) for p in pages] == [100, 100, 50]
    assert [r.external_id for p in pages for r in p.records] == ids
    assert all(p.next_cursor == f"{int(T0 * 1000)}:{p.records[-1].external_id}" for p in pages)


async def test_a_millisecond_cut_by_the_page_end_moves_whole_to_the_next_page(
    make_hub: Callable[..., Hub],
) -> None:
    now = [T0]
    hub = make_hub(clock=lambda: now[0])
    early = hub.user_creates(60)
    now[0] += 1
    late = hub.user_creates(80)
    pages = await _pull_all(hub.connection(), None)
    # 100 came back, the 40 of the later millisecond were held for the next page.
    assert [len(p.records) for p in pages] == [60, 80]
    assert [r.external_id for p in pages for r in p.records] == early + late


async def test_a_contact_indexed_late_is_read_by_the_next_pull(
    make_hub: Callable[..., Hub],
) -> None:
    """HubSpot's search index lags writes: a contact changed before another may show up in
    search after it. The cursor of a pull that caught up stays behind the last moments, so
    the next pull still finds it (a cursor at the newest contact would skip it for good)."""
    now = [time.time()]
    hub = make_hub(clock=lambda: now[0])
    lagging, other = hub.user_creates(2)
    [first] = await _pull_all(hub.connection(), None)
    assert [r.external_id for r in first.records] == [lagging, other]
    async with httpx.AsyncClient() as http:
        for contact_id, lag in ((lagging, 5), (other, 0)):
            now[0] += 0.01
            edited = await http.patch(
                f"{hub.base}/_sandbox/objects/contacts/{contact_id}",
                json={"properties": {"firstname": "Edited"}, "indexLagSeconds": lag},
            )
            edited.raise_for_status()

    [second] = await _pull_all(hub.connection(), first.next_cursor)
    edited_ids = [r.external_id for r in second.records if r.fields["name"].startswith("Edited")]
    assert edited_ids == [other]  # the earlier edit is not in the index yet

    now[0] += 6  # now it is
    [third] = await _pull_all(hub.connection(), second.next_cursor)
    edited_ids = [r.external_id for r in third.records if r.fields["name"].startswith("Edited")]
    assert edited_ids == [lagging, other]
    assert third.next_cursor is not None
    position_ms = int(third.next_cursor.split(":")[0])
    assert position_ms <= (time.time() - SEARCH_SETTLE_SECONDS) * 1000
    # A connection may shorten the window (0: the cursor of the newest contact read).
    eager = hub.connection(settings={"searchSettleSeconds": 0})
    [fourth] = await _pull_all(eager, second.next_cursor)
    newest = fourth.records[-1]
    assert newest.external_id == other and newest.updated_at is not None
    assert fourth.next_cursor == f"{mapping.epoch_ms(newest.updated_at)}:{other}"


async def test_read_by_id_sees_an_edit_the_search_index_does_not_show_yet(
    make_hub: Callable[..., Hub],
) -> None:
    """Batch read is not index-lagged: a contact edited at HubSpot a moment ago reads with
    the edit and its new ``lastmodifieddate``, while search (the pull) still misses it."""
    hub = make_hub(search_index_lag=SandboxConfig().search_index_lag)  # on, as HubSpot's
    budget = CountingBudget()
    connection = hub.connection(budget=budget)
    [made] = (await connector.push(connection, "contact", [lead(1)])).outcomes
    contact_id = str(made.external_id)
    before = (await connector.read(connection, "contact", [contact_id]))[0].updated_at
    await asyncio.sleep(0.01)
    async with httpx.AsyncClient() as http:
        edited = await http.patch(
            f"{hub.base}/_sandbox/objects/contacts/{contact_id}",
            json={"properties": {"company": "Edited in HubSpot"}, "indexLagSeconds": 60},
        )
        edited.raise_for_status()
    pulled = await _pull_all(hub.connection(), None)
    assert all(r.fields.get("company") != "Edited in HubSpot" for p in pulled for r in p.records)

    requests = hub.stats()["requests"]
    acquired = budget.acquired
    [read] = await connector.read(connection, "contact", [contact_id, "424242"])

    assert read.external_id == contact_id
    assert read.fields["company"] == "Edited in HubSpot"
    assert read.fields["email"] == "lead1@example.com"
    modified = edited.json()["properties"]["lastmodifieddate"]
    assert read.updated_at == mapping.parse_time(modified)
    assert before is not None and read.updated_at > before
    # One batch read for both ids (the unknown one left out), through the budget.
    assert hub.stats()["requests"] == requests + 1 and budget.acquired == acquired + 1


async def test_reading_more_than_a_batch_of_ids_is_split(hub: Hub) -> None:
    pushed = await connector.push(hub.connection(), "contact", [lead(n) for n in range(150)])
    ids = [str(o.external_id) for o in pushed.outcomes]
    requests = hub.stats()["requests"]

    read = await connector.read(hub.connection(), "contact", ids)

    assert sorted(r.external_id or "" for r in read) == sorted(ids)
    assert hub.stats()["requests"] == requests + 2
    with pytest.raises(Unsupported):
        await connector.read(hub.connection(), "note", ids[:1])


# --- limits and the rate budget -------------------------------------------------------------


async def test_a_429_is_provider_rate_limited_with_retry_after(
    make_hub: Callable[..., Hub],
) -> None:
    hub = make_hub(rate_limit_max=2)
    await connector.pull(hub.connection(), "contact", None)
    await connector.push(hub.connection(), "contact", [lead(1)])
    with pytest.raises(ProviderRateLimited) as limited:
        await connector.pull(hub.connection(), "contact", None)
    assert limited.value.retry_after is not None and 1 <= limited.value.retry_after <= 10
    stats = hub.stats()
    assert (stats["requests"], stats["rate_limited"]) == (3, 1)  # no retry behind our back


async def test_every_request_waits_for_the_budget_once(hub: Hub) -> None:
    budget = CountingBudget()
    connection = hub.connection(budget=budget)
    [contact] = (await connector.push(connection, "contact", [lead(1)])).outcomes
    await connector.push(connection, "contact", [lead(1), lead(2)])  # 207, then an update
    related = {"lead": str(contact.external_id)}
    await connector.push(connection, "note", [Record("note", _call(), related=related)])
    await connector.push(connection, "deal", [Record("deal", lead(1).fields, related=related)])
    records = [Record("contact", {"company": "x"}, external_id="424242")]
    await connector.push(connection, "contact", records)  # batch refused, then one by one
    await _pull_all(connection, None)
    assert budget.acquired == hub.stats()["requests"] == 8


# --- webhooks -------------------------------------------------------------------------------


def test_a_webhook_from_the_sandbox_verifies_and_parses(make_hub: Callable[..., Hub]) -> None:
    received: list[tuple[str, dict[str, str], bytes]] = []
    receiver = FastAPI()

    @receiver.post("/hooks/hubspot")
    async def hook(request: Request) -> dict[str, str]:
        received.append((str(request.url), dict(request.headers), await request.body()))
        return {}

    with serve_asgi(receiver) as url:
        target = f"{url}/hooks/hubspot?conn=c%3A1"
        hub = make_hub(webhook_target_url=target)
        [made] = hub.user_creates(1)
        auth = {"Authorization": f"Bearer {hub.token}"}
        httpx.delete(f"{hub.base}/crm/v3/objects/contacts/{made}", headers=auth)
        deadline = time.monotonic() + 5
        while len(received) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    assert len(received) == 2
    created, deleted = received
    for request_url, headers, body in (created, deleted):
        headers[REQUEST_URI_HEADER] = request_url
        assert connector.verify_webhook(headers, body, DEFAULT_CLIENT_SECRET)
        assert connector.webhook_account(headers, body) == PORTAL
    [change] = connector.parse_webhook(created[1], created[2])  # creation + 2 property events
    assert (change.object_type, change.external_id, change.action) == ("contact", made, "upsert")
    assert change.occurred_at == datetime.fromtimestamp(
        json.loads(created[2])[0]["occurredAt"] / 1000, UTC
    )
    [gone] = connector.parse_webhook(deleted[1], deleted[2])
    assert (gone.external_id, gone.action) == (made, "delete")


def test_stale_or_incomplete_webhooks_are_refused() -> None:
    uri = "https://hubwire.example/hooks"
    body = json.dumps([{"objectId": 1, "subscriptionType": "contact.creation", "portalId": 7}])

    def headers(timestamp_ms: int) -> dict[str, str]:
        ts = str(timestamp_ms)
        return {
            "X-HubSpot-Signature-v3": sign_v3("s", "POST", uri, body, ts),
            "X-HubSpot-Request-Timestamp": ts,
            REQUEST_URI_HEADER: uri,
        }

    now = int(time.time() * 1000)
    assert connector.verify_webhook(headers(now), body.encode(), "s")
    assert not connector.verify_webhook(headers(now - 5 * 60 * 1000 - 1000), body.encode(), "s")
    assert not connector.verify_webhook(headers(now + 10 * 60 * 1000), body.encode(), "s")
    fresh = headers(now)
    del fresh[REQUEST_URI_HEADER]
    assert not connector.verify_webhook(fresh, body.encode(), "s")
    assert not connector.verify_webhook(headers(now), b"\xff", "s")
    assert connector.webhook_account({}, body.encode()) == "7"
    assert connector.webhook_account({}, b"not json") is None
    assert connector.parse_webhook({}, b"[]") == []


def test_parse_keeps_the_latest_event_per_contact_and_skips_other_objects() -> None:
    events = [
        {"objectId": 5, "subscriptionType": "contact.creation", "occurredAt": 1000},
        {"objectId": 5, "subscriptionType": "contact.deletion", "occurredAt": 3000},
        {"objectId": 6, "subscriptionType": "contact.propertyChange", "occurredAt": 2000},
        {"objectId": 7, "subscriptionType": "deal.creation", "occurredAt": 2000},
    ]
    changes = connector.parse_webhook({}, json.dumps(events).encode())
    assert [(c.external_id, c.action) for c in changes] == [("5", "delete"), ("6", "upsert")]


# --- the mapping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "first", "last"),
    [("Ada King Lovelace", "Ada King", "Lovelace"), ("Ada", "", "Ada"), (None, "", "")],
)
def test_a_name_alone_splits_on_the_last_space(name: str | None, first: str, last: str) -> None:
    props = mapping.contact_properties({"name": name})
    assert (props["firstname"], props["lastname"]) == (first, last)
    assert mapping.lead_fields(props)["name"] == (name or None)


def test_name_parts_map_one_to_one() -> None:
    lead = {"name": "Jean de la Fontaine", "first_name": "Jean", "last_name": "de la Fontaine"}
    props = mapping.contact_properties(lead)
    assert (props["firstname"], props["lastname"]) == ("Jean", "de la Fontaine")
    assert mapping.lead_fields(props) | {"email": None} == lead | {
        "email": None,
        "phone": None,
        "company": None,
    }


def test_every_hubwire_status_round_trips() -> None:
    for status in ("new", "contacted", "qualified", "converted", "rejected"):
        props = mapping.contact_properties({"status": status})
        assert mapping.lead_fields(props)["status"] == status
    assert mapping.lead_fields({"hs_lead_status": "IN_PROGRESS"})["status"] == "contacted"
    assert "status" not in mapping.lead_fields({"hs_lead_status": ""})
    assert mapping.contact_properties({"status": None}) == {"hs_lead_status": ""}
    assert mapping.contact_properties({"email": "a@b.c"}) == {"email": "a@b.c"}


def test_the_sandbox_it_ships_is_reachable_through_the_kit() -> None:
    sandbox = connector.sandbox()
    assert sandbox is not None and sandbox.client_id == DEFAULT_CLIENT_ID
    app = sandbox.create_app()
    assert app.title == "HubSpot sandbox"
    # What `make run` mounts lags its search index as HubSpot does.
    assert app.state.sandbox.config.search_index_lag == SandboxConfig().search_index_lag > 0


def test_a_note_takes_the_api_shape_of_a_call_too() -> None:
    started = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    call = {"started_at": started, "transcript": {"text": "Hi."}}
    props = mapping.note_properties(call, at=datetime(2025, 1, 1, tzinfo=UTC))
    assert props["hs_timestamp"] == str(mapping.epoch_ms(started))
    assert "<em>Transcript</em><br>Hi." in props["hs_note_body"]
    assert mapping.note_properties({}, at=started) == {
        "hs_note_body": "<p><strong>Phone call</strong></p>",
        "hs_timestamp": str(mapping.epoch_ms(started)),
    }


async def test_a_call_of_a_mapped_agent_is_a_note_owned_by_their_hubspot_owner(hub: Hub) -> None:
    owners = {"agent_ada": "52001", "agent_bob": 52002}
    connection = hub.connection(settings={mapping.AGENT_OWNERS: owners})
    calls = [
        Record("note", _call(agent_id="agent_ada"), hubwire_id="call_1"),
        Record("note", _call(agent_id="agent_bob"), hubwire_id="call_2"),
        Record("note", _call(agent_id="agent_unmapped"), hubwire_id="call_3"),
        Record("note", _call(), hubwire_id="call_4"),
    ]
    pushed = await connector.push(connection, "note", calls)
    assert not pushed.failed
    stored = [hub.sandbox.store.get("notes", str(o.external_id)) for o in pushed.outcomes]
    assert [n.properties.get("hubspot_owner_id") if n else "missing" for n in stored] == [
        "52001",
        "52002",
        None,
        None,
    ]


def test_agent_owner_settings_are_checked() -> None:
    assert connector.settings_problems({}) == []
    assert connector.settings_problems({"agentOwners": {"agent_a": "123"}}) == []
    assert connector.settings_problems({"agentOwners": ["agent_a"]}) == [
        "agentOwners is an object of agent ids to HubSpot owner ids"
    ]
    assert connector.settings_problems({"agentOwners": {"lead_a": "x1"}}) == [
        "agentOwners: 'lead_a' is not an agent id (agent_…)",
        "agentOwners.lead_a: a HubSpot owner id is digits",
    ]
