"""A worker dying mid-push: Salesforce accepted the upserts, the worker never committed
their id map. The next push sends the same records again; they are upserts on the
Hubwire id (Hubwire_Id__c), so Salesforce still holds each lead once and the id map points
at those Leads. Connected through the sandbox's consent, every call real HTTP to it, the
push run as a worker runs it (tests/support/connector_hub.py, shared with Pipedrive's)."""

from __future__ import annotations

from connectors.salesforce.connector import BATCH
from tests.connectors.salesforce.conftest import Org
from tests.support.connector_hub import Hubwire

# More than one sObject Collection, so the second push repeats whole batches.
LEADS = BATCH + 5


async def test_a_worker_dying_mid_push_resumes_without_duplicates(hub: Hubwire, org: Org) -> None:
    connection = await hub.connect("salesforce", f"{org.base}/services/oauth2/authorize")
    leads = [
        await hub.lead(firstName="Lead", lastName=str(n), email=f"l{n}@example.com")
        for n in range(LEADS)
    ]
    ids = [lead["id"] for lead in leads]
    await hub.push_all(connection["id"], ids)
    assert len(org.rows()) == LEADS

    await hub.die_before_commit(ids)
    await hub.push_all(connection["id"], ids)

    rows = org.rows()
    assert len(rows) == LEADS
    assert sorted(r["Hubwire_Id__c"] for r in rows) == sorted(ids)
    assert await hub.mapped(ids) == sorted(r["Id"] for r in rows)
