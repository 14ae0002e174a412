"""The Salesforce connector against its sandbox over HTTP, through the real simple-salesforce."""

from __future__ import annotations

import base64
import hashlib
import os
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from simple_salesforce.api import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

from connectors.kit import (
    AuthFailed,
    ConnectionContext,
    ConnectorError,
    ProviderRateLimited,
    Record,
)
from connectors.kit.testing import ConnectorContract
from connectors.salesforce import client
from connectors.salesforce.connector import SalesforceConnector
from connectors.salesforce.sandbox import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from connectors.salesforce.sandbox.store import ApiError
from tests.connectors.salesforce.conftest import Org

connector = SalesforceConnector()
LIVE = {
    "access_token": os.environ.get("HUBWIRE_SALESFORCE_ACCESS_TOKEN", ""),
    "instance_url": os.environ.get("HUBWIRE_SALESFORCE_INSTANCE_URL", ""),
}


def lead(n: int, **fields: Any) -> Record:
    base = {
        "name": f"Ada Lead{n}",
        "first_name": "Ada",
        "last_name": f"Lead{n}",
        "email": f"lead{n}@example.com",
        "phone": f"+44 20 7946 {n:04d}",
        "company": f"Company {n}",
        "status": "new",
    }
    return Record("lead", base | fields, hubwire_id=f"lead_{n:020d}")


class TestSalesforce(ConnectorContract):
    connector = connector
    samples = {
        "lead": [
            lead(1, status="converted"),
            lead(2, company=None, phone=None, status="rejected"),
            Record(
                "lead",
                {"name": "Cher", "first_name": None, "last_name": "Cher", "email": None},
                hubwire_id="lead_cher",
            ),
        ]
    }
    bad_credentials = {"access_token": "00D!revoked"}

    @pytest.fixture
    def connection(self, org: Org) -> ConnectionContext:
        return org.connection()


@pytest.mark.skipif(
    not all(LIVE.values()),
    reason="set HUBWIRE_SALESFORCE_ACCESS_TOKEN and _INSTANCE_URL to run the contract "
    "against a real org (with a Hubwire_Id__c external id field on Lead and Task)",
)
class TestSalesforceLive(TestSalesforce):
    @pytest.fixture
    def connection(self) -> ConnectionContext:
        return ConnectionContext("conn_live", "ws_live", LIVE)


async def test_check_reads_the_daily_allowance(org: Org) -> None:
    result = await connector.check(org.connection())
    assert result.ok
    assert "of 15000 daily API requests left" in result.detail


async def test_push_upserts_in_collections_of_200_and_a_retry_does_not_duplicate(
    org: Org,
) -> None:
    records = [lead(n) for n in range(450)]
    first = await connector.push(org.connection(), "lead", records)
    assert not first.failed
    assert org.sandbox.store.upsert_calls == 3  # 200 + 200 + 50
    again = await connector.push(org.connection(), "lead", records)
    assert [o.external_id for o in again.outcomes] == [o.external_id for o in first.outcomes]
    assert len(org.rows()) == 450
    row = next(r for r in org.rows() if r["Hubwire_Id__c"] == records[0].hubwire_id)
    assert (row["FirstName"], row["LastName"], row["Status"]) == (
        "Ada",
        "Lead0",
        "Open - Not Contacted",
    )


async def test_rejected_records_carry_salesforce_message_and_the_rest_is_written(
    org: Org,
) -> None:
    records = [lead(1), lead(2, last_name=None, name="Ada"), lead(3, email="not-an-email")]
    result = await connector.push(org.connection(), "lead", records)
    assert result.outcomes[0].ok
    assert result.outcomes[1].error == (
        "REQUIRED_FIELD_MISSING: Required fields are missing: [LastName] (fields: LastName)"
    )
    assert result.outcomes[1].hubwire_id == records[1].hubwire_id
    assert result.outcomes[2].error is not None
    assert result.outcomes[2].error.startswith("INVALID_EMAIL_ADDRESS: Email: invalid email")
    assert len(org.rows()) == 1


async def test_status_mapping_is_configurable_per_connection(org: Org) -> None:
    # "contacted" moved to the first value: "Working - Contacted" is then qualified's alone.
    connection = org.connection(statusMapping={"contacted": "Open - Not Contacted"})
    await connector.push(connection, "lead", [lead(1, status="qualified")])
    assert org.rows()[0]["Status"] == "Working - Contacted"
    page = await connector.pull(connection, "lead", None)
    assert page.records[0].fields["status"] == "qualified"
    assert connector.settings_problems({"statusMapping": {"won": "X"}})


async def test_an_ambiguous_default_status_is_not_pulled_back(org: Org) -> None:
    # "qualified" and "contacted" both push as "Working - Contacted": pulling it back as
    # either would turn the echo of a push into a change.
    await connector.push(org.connection(), "lead", [lead(1, status="qualified")])
    page = await connector.pull(org.connection(), "lead", None)
    assert "status" not in page.records[0].fields


async def test_calls_become_call_tasks_on_the_lead(org: Org) -> None:
    [pushed] = (await connector.push(org.connection(), "lead", [lead(1)])).outcomes
    call = Record(
        "task",
        {
            "direction": "inbound",
            "duration_seconds": 95,
            "summary": "Wants a quote",
            "started_at": "2026-01-05T10:00:00Z",
            "outcome": "answered",
        },
        hubwire_id="call_1",
        related={"lead": str(pushed.external_id)},
    )
    result = await connector.push(org.connection(), "task", [call])
    assert not result.failed
    [task] = org.rows("Task")
    assert task["WhoId"] == pushed.external_id
    assert (task["TaskSubtype"], task["CallType"], task["CallDurationInSeconds"]) == (
        "Call",
        "Inbound",
        95,
    )
    assert (task["Description"], task["ActivityDate"]) == ("Wants a quote", "2026-01-05")


async def test_pull_pages_through_next_records_url_and_reports_deletions(org: Org) -> None:
    await connector.push(org.connection(), "lead", [lead(n) for n in range(2100)])
    first = await connector.pull(org.connection(), "lead", None)
    assert (len(first.records), first.has_more) == (2000, True)
    second = await connector.pull(org.connection(), "lead", first.next_cursor)
    assert (len(second.records), second.has_more) == (100, False)
    assert len({r.external_id for r in (*first.records, *second.records)}) == 2100

    victim = second.records[-1].external_id
    with org.admin() as admin:
        assert admin.delete(f"/records/Lead/{victim}").status_code == 204
    # The look-back re-reads the last 30 s (all 2,100 here); deletions come with the last page.
    later = await connector.pull(org.connection(), "lead", second.next_cursor)
    while later.has_more:
        assert later.deleted == ()
        later = await connector.pull(org.connection(), "lead", later.next_cursor)
    assert later.deleted == (victim,)


async def test_an_edit_at_salesforce_is_pulled_after_the_cursor(org: Org) -> None:
    [pushed] = (await connector.push(org.connection(), "lead", [lead(1)])).outcomes
    done = await connector.pull(org.connection(), "lead", None)
    with org.admin() as admin:
        edited = admin.patch(f"/records/Lead/{pushed.external_id}", json={"LastName": "King"})
        assert edited.status_code == 200, edited.text
    page = await connector.pull(org.connection(), "lead", done.next_cursor)
    [record] = [r for r in page.records if r.external_id == pushed.external_id]
    assert record.fields["name"] == "Ada King"
    assert record.hubwire_id == "lead_00000000000000000001"


async def test_a_lead_made_at_salesforce_is_pulled_without_a_hubwire_id(org: Org) -> None:
    made = org.sandbox.store.create(
        "Lead", {"LastName": "Hopper", "Company": "Navy", "Email": "grace@navy.example"}
    )
    page = await connector.pull(org.connection(), "lead", None)
    [record] = page.records
    assert (record.external_id, record.hubwire_id) == (made["Id"], None)
    assert record.fields["email"] == "grace@navy.example"
    # Made in the UI, checked as an API write is: Salesforce requires LastName.
    with pytest.raises(ApiError, match="LastName"):
        org.sandbox.store.create("Lead", {"Company": "Navy"})


async def test_an_expired_session_is_auth_failed_so_the_engine_refreshes(org: Org) -> None:
    with pytest.raises(AuthFailed, match="INVALID_SESSION_ID"):
        await connector.pull(org.connection("00D!expired"), "lead", None)


async def test_the_daily_allowance_is_a_rate_limit_with_salesforce_error(
    make_org: Callable[..., Org],
) -> None:
    org = make_org(daily_api_requests=2)
    await connector.check(org.connection())
    await connector.check(org.connection())
    with pytest.raises(ProviderRateLimited, match="REQUEST_LIMIT_EXCEEDED") as caught:
        await connector.push(org.connection(), "lead", [lead(1)])
    assert caught.value.retry_after is not None and caught.value.retry_after > 1
    assert org.sandbox.store.refused == 1


def test_sandbox_answers_with_salesforce_error_bodies(org: Org) -> None:
    sf = client.build(org.connection())
    with pytest.raises(SalesforceMalformedRequest) as bad_field:
        sf.query("SELECT Nope FROM Lead")
    assert client.error_entries(bad_field.value)[0]["errorCode"] == "INVALID_FIELD"
    with pytest.raises(SalesforceMalformedRequest) as malformed:
        sf.query("SELECT FROM")
    assert client.error_entries(malformed.value)[0]["errorCode"] == "MALFORMED_QUERY"
    body = {"allOrNone": False, "records": [{"attributes": {"type": "Lead"}}] * 201}
    with pytest.raises(SalesforceMalformedRequest) as too_many:
        sf.restful("composite/sobjects/Lead/Hubwire_Id__c", method="PATCH", json=body)
    assert client.error_entries(too_many.value)[0]["errorCode"] == "EXCEEDED_ID_LIMIT"
    unknown = {"allOrNone": False, "records": [{"attributes": {"type": "Lead"}, "Foo": 1}]}
    with pytest.raises(SalesforceMalformedRequest) as no_column:
        sf.restful("composite/sobjects/Lead/Hubwire_Id__c", method="PATCH", json=unknown)
    assert client.error_entries(no_column.value) == [
        {"message": "No such column 'Foo' on sobject of type Lead", "errorCode": "INVALID_FIELD"}
    ]
    sf.limits()
    assert client.usage(sf) == (5, 15000)  # the refused requests counted too


def test_all_or_none_rolls_the_whole_collection_back(org: Org) -> None:
    sf = client.build(org.connection())
    records = [
        {"attributes": {"type": "Lead"}, "Hubwire_Id__c": "a", "LastName": "A", "Company": "C"},
        {"attributes": {"type": "Lead"}, "Hubwire_Id__c": "b", "Company": "C"},
    ]
    results = sf.restful(
        "composite/sobjects/Lead/Hubwire_Id__c",
        method="PATCH",
        json={"allOrNone": True, "records": records},
    )
    assert isinstance(results, list)
    assert [r["success"] for r in results] == [False, False]
    assert results[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    assert org.rows() == []


def test_oauth_web_server_flow_with_pkce_gives_instance_url_and_refreshes(org: Org) -> None:
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=")
    redirect = "https://hubwire.example/callback"
    with httpx.Client(base_url=org.base, follow_redirects=False) as http:
        page = http.get(
            "/services/oauth2/authorize",
            params={
                "response_type": "code",
                "client_id": DEFAULT_CLIENT_ID,
                "redirect_uri": redirect,
                "state": "s1",
                "code_challenge": challenge.decode(),
                "code_challenge_method": "S256",
            },
        )
        assert page.status_code == 200 and "Approve" in page.text
        approved = http.post(
            "/services/oauth2/authorize",
            data={
                "decision": "approve",
                "client_id": DEFAULT_CLIENT_ID,
                "redirect_uri": redirect,
                "state": "s1",
                "code_challenge": challenge.decode(),
            },
        )
        code = parse_qs(urlsplit(approved.headers["location"]).query)["code"][0]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect,
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
        }
        wrong = http.post("/services/oauth2/token", data=form | {"code_verifier": "x" * 64})
        assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
        approved = http.post(
            "/services/oauth2/authorize",
            data={
                "decision": "approve",
                "client_id": DEFAULT_CLIENT_ID,
                "redirect_uri": redirect,
                "code_challenge": challenge.decode(),
            },
        )
        form["code"] = parse_qs(urlsplit(approved.headers["location"]).query)["code"][0]
        tokens = http.post("/services/oauth2/token", data=form | {"code_verifier": verifier})
        assert tokens.status_code == 200, tokens.text
        body = tokens.json()
        assert body["instance_url"].endswith("/sandbox/salesforce")
        assert body["token_type"] == "Bearer" and "expires_in" not in body
        refresh = {
            "grant_type": "refresh_token",
            "refresh_token": body["refresh_token"],
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
        }
        renewed = http.post("/services/oauth2/token", data=refresh)
        assert renewed.status_code == 200 and "refresh_token" not in renewed.json()
        # The SDK works with the granted session on the instance URL it was given.
        sf = Salesforce(
            instance_url="https://" + urlsplit(org.base).netloc,
            session_id=renewed.json()["access_token"],
            session=client.build(
                ConnectionContext("c", "w", {"access_token": "x"}, base_url=org.base)
            ).session,
        )
        assert sf.limits()["DailyApiRequests"]["Max"] == 15000
        assert http.post(
            "/services/oauth2/revoke", data={"token": body["refresh_token"]}
        ).is_success
        revoked = http.post("/services/oauth2/token", data=refresh)
        assert revoked.status_code == 400 and revoked.json()["error"] == "invalid_grant"
    with pytest.raises(SalesforceMalformedRequest.__mro__[1]):  # SalesforceError
        sf.limits()


async def test_a_page_the_sdk_cannot_parse_is_a_connector_error(org: Org) -> None:
    with pytest.raises(ConnectorError):
        await connector.push(org.connection(), "opportunity", [lead(1)])
