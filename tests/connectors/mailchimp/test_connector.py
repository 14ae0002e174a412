"""The Mailchimp connector against its sandbox, over real HTTP through the official SDK:
consent decides the subscription, an unsubscribe is never undone, an email change moves the
member, a large push goes through a batch whose failures come back per record, and a
webhook without its connection's key is refused."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import pytest

from connectors.kit import REQUEST_URI_HEADER, ConnectionContext, Record, WebhookEndpoint
from connectors.kit.testing import ConnectorContract
from connectors.mailchimp import mapping
from connectors.mailchimp.connector import (
    BATCH_MIN,
    MailchimpConnector,
    _webhook_key,
    problem_message,
)
from connectors.mailchimp.sandbox import subscriber_hash
from tests.connectors.mailchimp.conftest import LIST_ID, MailchimpSandbox, context

HOOK = "https://hubwire.test/v1/connectors/mailchimp/webhooks"
SECRET = "client-secret"
connector = MailchimpConnector()


def lead(email: str, consent: str = "granted", **fields: Any) -> Record:
    return Record(
        "member",
        {
            "name": "Ada King Lovelace",
            "first_name": "Ada King",
            "last_name": "Lovelace",
            "email": email,
            "phone": "+44 20 7946 0000",
            "company": "Analytical Engines",
            "status": "new",
            "tags": ["vip"],
            "email_consent": consent,
            "email_consent_source": "form",
            **fields,
        },
        hubwire_id=f"lead_{email.split('@')[0]}",
        external_id=fields.pop("external_id", None),
    )


async def connect(sandbox: MailchimpSandbox, **settings: Any) -> ConnectionContext:
    """A connection whose on_connect ran (merge fields made, webhook registered)."""
    ctx = context(sandbox, **settings)
    kept = await connector.on_connect(ctx, WebhookEndpoint(HOOK, SECRET))
    return context(sandbox, **settings, **kept)


class TestMailchimpContract(ConnectorContract):
    connector = connector
    bad_credentials = {"access_token": "revoked"}
    # No round trip from the kit: a first pull starts "now" (the audience is not imported),
    # so pushed members come back only as later changes (tested below).

    @pytest.fixture
    def connection(self, mailchimp: MailchimpSandbox) -> ConnectionContext:
        # With a real account's token and audience, the kit checks the real Mailchimp.
        token, list_id = (
            os.environ.get("MAILCHIMP_TEST_TOKEN"),
            os.environ.get("MAILCHIMP_TEST_LIST_ID"),
        )
        if token and list_id:
            return ConnectionContext(
                "conn_real", "ws_test", {"access_token": token}, settings={"listId": list_id}
            )
        return context(mailchimp)

    def test_webhook_verification(self) -> None:
        # Mailchimp signs nothing, so the body cannot be checked: the URL's key is.
        headers, body, secret = webhook("unsubscribe", email="a@example.com")
        assert connector.verify_webhook(headers, body, secret)
        assert not connector.verify_webhook(headers, body, secret + "x"), "wrong secret"
        [change] = connector.parse_webhook(headers, body)
        assert change.object_type == "member"
        assert change.external_id == subscriber_hash("a@example.com")


def webhook(
    kind: str, connection: str = "conn_mailchimp", key: str | None = None, **data: str
) -> tuple[dict[str, str], bytes, str]:
    key = key if key is not None else _key(connection)
    uri = f"{HOOK}?{urlencode({'connection': connection, 'key': key})}"
    body = urlencode(
        {
            "type": kind,
            "fired_at": "2026-12-07 01:00:00",
            **{f"data[{k}]": v for k, v in data.items()},
        }
    )
    return {REQUEST_URI_HEADER: uri}, body.encode(), SECRET


def _key(connection: str) -> str:
    return _webhook_key(SECRET, connection)


def test_the_name_parts_are_fname_and_lname() -> None:
    settings = mapping.Settings(list_id="l1")
    fields = {"name": "Ada King Lovelace", "first_name": "Ada King", "last_name": "Lovelace"}
    values = mapping.merge_values({**fields, "phone": None}, settings)
    assert values["FNAME"] == "Ada King" and values["LNAME"] == "Lovelace"
    assert values["PHONE"] == ""  # no value: empty, never "None"


async def test_connecting_adds_missing_merge_fields_and_registers_the_webhook(
    mailchimp: MailchimpSandbox,
) -> None:
    ctx = await connect(mailchimp)
    assert ctx.settings["apiEndpoint"] == mailchimp.endpoint and ctx.settings["dc"] == "us21"
    audience = mailchimp.app.state.sandbox.store.audiences[LIST_ID]
    assert "COMPANY" in {f["tag"] for f in audience.merge_fields}
    [hook] = audience.webhooks.values()
    assert hook["url"].startswith(f"{HOOK}?connection=conn_mailchimp&key=")
    assert hook["events"]["unsubscribe"] and hook["events"]["upemail"]
    assert not hook["sources"]["api"], "Hubwire's own writes are not echoed back"
    await connector.on_disconnect(ctx)
    assert audience.webhooks == {}


async def test_consent_decides_the_subscription(mailchimp: MailchimpSandbox) -> None:
    ctx = await connect(mailchimp)
    records = [
        lead("granted@example.com"),
        lead("unknown@example.com", "unknown"),
        lead("revoked@example.com", "revoked"),
    ]
    result = await connector.push(ctx, "member", records)
    assert not result.failed, result.failed
    assert [o.external_id for o in result.outcomes] == [
        subscriber_hash(r.fields["email"]) for r in records
    ]
    # Unknown consent is not sent at all by default; revoked is kept unsubscribed.
    assert mailchimp.members() == {
        "granted@example.com": "subscribed",
        "revoked@example.com": "unsubscribed",
    }
    member = mailchimp.member("granted@example.com")
    assert member is not None
    assert member["merge_fields"]["FNAME"] == "Ada King"
    assert member["merge_fields"]["LNAME"] == "Lovelace"
    assert member["merge_fields"]["COMPANY"] == "Analytical Engines"
    assert [t["name"] for t in member["tags"]] == ["vip"]

    transactional = await connect(mailchimp, unconsented="transactional")
    await connector.push(transactional, "member", [lead("unknown@example.com", "unknown")])
    assert mailchimp.members()["unknown@example.com"] == "transactional"

    double = await connect(mailchimp, subscriptionMode="double_opt_in")
    await connector.push(double, "member", [lead("double@example.com")])
    assert mailchimp.members()["double@example.com"] == "pending"


async def test_leads_outside_the_selection_are_not_sent(mailchimp: MailchimpSandbox) -> None:
    ctx = await connect(mailchimp, statuses=["qualified"], tags=["newsletter"])
    result = await connector.push(
        ctx,
        "member",
        [
            lead("wrong-status@example.com", status="new", tags=["newsletter"]),
            lead("wrong-tag@example.com", status="qualified", tags=["vip"]),
            lead("both@example.com", status="qualified", tags=["newsletter"]),
        ],
    )
    assert not result.failed
    assert mailchimp.members() == {"both@example.com": "subscribed"}


async def test_an_unsubscribe_is_never_undone(mailchimp: MailchimpSandbox) -> None:
    ctx = await connect(mailchimp)
    [first] = (await connector.push(ctx, "member", [lead("ada@example.com")])).outcomes
    mailchimp.unsubscribe("ada@example.com")
    # Hubwire's lead still says granted (the webhook has not been applied yet) and changed:
    # the push updates the member's fields but Mailchimp keeps the address unsubscribed.
    again = await connector.push(
        ctx, "member", [lead("ada@example.com", company="New Co", external_id=first.external_id)]
    )
    [outcome] = again.outcomes
    assert outcome.error is not None and "Member In Compliance State" in outcome.error
    assert mailchimp.members() == {"ada@example.com": "unsubscribed"}
    # With the consent revoked, as the webhook leaves it, the push succeeds and keeps it so.
    revoked = await connector.push(
        ctx, "member", [lead("ada@example.com", "revoked", external_id=first.external_id)]
    )
    assert not revoked.failed
    assert mailchimp.members() == {"ada@example.com": "unsubscribed"}


async def test_an_email_change_moves_the_member(mailchimp: MailchimpSandbox) -> None:
    ctx = await connect(mailchimp)
    [first] = (await connector.push(ctx, "member", [lead("old@example.com")])).outcomes
    moved = await connector.push(
        ctx, "member", [lead("new@example.com", external_id=first.external_id)]
    )
    [outcome] = moved.outcomes
    assert outcome.ok and outcome.external_id == subscriber_hash("new@example.com")
    assert mailchimp.members() == {"new@example.com": "subscribed"}
    member = mailchimp.member("new@example.com")
    assert member is not None
    assert first.external_key == outcome.external_key == member["contact_id"]


async def test_an_address_changed_at_mailchimp_keeps_the_members_contact_id(
    mailchimp: MailchimpSandbox,
) -> None:
    """What lets the engine move the lead: the pulled member has a new id (the new
    address's hash) and the contact id the push reported."""
    ctx = await connect(mailchimp)
    [pushed] = (await connector.push(ctx, "member", [lead("old@example.com")])).outcomes
    mailchimp.change_email("old@example.com", "new@example.com")
    page = await connector.pull(ctx, "member", "2000-01-01T00:00:00+00:00|0")
    [member] = page.records
    assert member.fields["email"] == "new@example.com"
    assert member.external_id == subscriber_hash("new@example.com") != pushed.external_id
    assert member.external_key is not None and member.external_key == pushed.external_key


async def test_a_large_push_goes_through_a_batch_and_reports_failed_members(
    mailchimp: MailchimpSandbox,
) -> None:
    ctx = await connect(mailchimp)
    await connector.push(ctx, "member", [lead("left@example.com")])
    mailchimp.unsubscribe("left@example.com")
    calls_before = mailchimp.stats()["calls"]
    records = [lead(f"lead{i}@example.com") for i in range(BATCH_MIN + 9)]
    records[7] = lead("left@example.com", external_id=subscriber_hash("left@example.com"))
    result = await connector.push(ctx, "member", records)

    [failed] = result.failed
    assert failed.hubwire_id == "lead_left"
    assert failed.error is not None
    assert failed.error.startswith("Member In Compliance State: left@example.com")
    assert len(result.succeeded) == len(records) - 1
    # Each member's contact id comes from its result in the archive.
    first = next(o for o in result.succeeded if o.hubwire_id == "lead_lead0")
    member = mailchimp.member("lead0@example.com")
    assert member is not None and first.external_key == member["contact_id"]
    statuses = mailchimp.members()
    assert statuses["left@example.com"] == "unsubscribed"
    assert sum(s == "subscribed" for s in statuses.values()) == len(records) - 1
    stats = mailchimp.stats()
    assert stats["batches"] == 1  # no tags batch: the one member pushed before failed
    assert stats["operations"] == len(records)  # every member in the batch, the failed one too
    # A submit and a few polls per batch, not one call per member.
    assert stats["calls"] - calls_before < 12


async def test_pull_brings_consent_changes_made_at_mailchimp(mailchimp: MailchimpSandbox) -> None:
    ctx = await connect(mailchimp)
    start = await connector.pull(ctx, "member", None)
    assert start.records == () and start.next_cursor is not None
    await connector.push(ctx, "member", [lead("ada@example.com"), lead("bob@example.com")])
    page = await connector.pull(ctx, "member", "2000-01-01T00:00:00+00:00|0")
    assert {r.fields["email"] for r in page.records} == {"ada@example.com", "bob@example.com"}
    mailchimp.unsubscribe("bob@example.com")
    page = await connector.pull(ctx, "member", "2000-01-01T00:00:00+00:00|0")
    bob = next(r for r in page.records if r.fields["email"] == "bob@example.com")
    assert bob.fields["email_consent"] == "revoked"
    assert bob.fields["email_consent_source"] == "mailchimp:unsubscribed"
    assert bob.external_id == subscriber_hash("bob@example.com")
    assert page.next_cursor is not None and not page.has_more
    later = await connector.pull(ctx, "member", page.next_cursor)
    # The cursor moved past what was read, except its own second, which is read again
    # (`last_changed` has whole seconds: a change later in that second is not missed).
    last_read = datetime.fromisoformat(page.next_cursor.partition("|")[0])
    assert all(r.updated_at is not None and r.updated_at >= last_read for r in later.records)
    assert later.next_cursor == page.next_cursor


def test_a_webhook_without_its_connection_key_is_refused() -> None:
    headers, body, secret = webhook("unsubscribe", email="a@example.com")
    assert connector.verify_webhook(headers, body, secret)
    assert connector.webhook_connection(headers, body) == "conn_mailchimp"
    no_key = {REQUEST_URI_HEADER: HOOK + "?connection=conn_mailchimp"}
    assert not connector.verify_webhook(no_key, body, secret)
    other = webhook("unsubscribe", connection="conn_other", key=_key("conn_mailchimp"))
    assert not connector.verify_webhook(*other), "a key is good for its own connection only"


def test_webhooks_parse_as_mailchimp_sends_them() -> None:
    for kind, data, email in [
        ("unsubscribe", {"email": "a@example.com", "reason": "manual"}, "a@example.com"),
        ("cleaned", {"email": "b@example.com", "reason": "hard"}, "b@example.com"),
        ("profile", {"email": "c@example.com", "merges][FNAME": "C"}, "c@example.com"),
        ("upemail", {"old_email": "d@example.com", "new_email": "e@example.com"}, "e@example.com"),
    ]:
        headers, body, _ = webhook(kind, **data)
        [change] = connector.parse_webhook(headers, body)
        assert change.external_id == subscriber_hash(email), kind
        # Only an address change names the member Hubwire knew before.
        previous = subscriber_hash("d@example.com") if kind == "upemail" else None
        assert change.previous_external_id == previous, kind
    headers, body, _ = webhook("campaign", id="x")
    assert connector.parse_webhook(headers, body) == []


def test_problem_json_becomes_a_readable_reason() -> None:
    body = (
        '{"title": "Invalid Resource", "status": 400, "detail": "Bad.",'
        ' "errors": [{"field": "FNAME", "message": "Too long"}]}'
    )
    assert problem_message(body, 400) == "Invalid Resource: Bad. (FNAME: Too long)"


def test_settings_are_checked() -> None:
    assert connector.settings_problems({"listId": LIST_ID}) == []
    problems = connector.settings_problems(
        {
            "listId": "",
            "statuses": ["won"],
            "subscriptionMode": "maybe",
            "mergeFields": {"shoe_size": "SHOE"},
            "colour": "red",
        }
    )
    assert len(problems) == 5, problems
