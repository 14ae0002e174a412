"""The sync engine with the real Pipedrive connector against the Pipedrive sandbox over
loopback, on both backends: a person the lead's own create made, its outcome unrecorded
(the worker died after Pipedrive accepted it), is left by a pull to that push, whose retry
finds the person and opens its Pipedrive lead. Linked by the pull, the retry found the link
with nothing changed and the person never got its lead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.plugins.manager import connector_registry
from sync.engine import pull_connection, push_connection
from tests.connectors.pipedrive.conftest import STATIC_TOKEN, PipedriveSandbox, running
from tests.sync.engine_kit import Env

PERSON = "person"


@pytest.fixture
def pipedrive() -> Iterator[PipedriveSandbox]:
    yield from running(deliver_webhooks=False)


def _leads_of(sandbox: PipedriveSandbox, person_id: int) -> list[dict[str, object]]:
    return [lead for lead in sandbox.store.leads.values() if lead["person_id"] == person_id]


async def test_a_pull_leaves_the_person_of_an_unrecorded_create_to_its_push(
    env: Env, pipedrive: PipedriveSandbox
) -> None:
    workspace = await env.workspace()
    connector = connector_registry()["pipedrive"]
    connection = await env.connect(
        workspace, pipedrive.url, connector=connector, access_token=STATIC_TOKEN
    )
    (lead_id,) = await env.create_leads(
        workspace, {"name": "Ada Lovelace", "email": "ada@example.com"}
    )
    await env.fan_out()  # the lead's push is queued
    # The push's create reached Pipedrive (the person is there, with the lead's email),
    # then the worker died: no Pipedrive lead yet, nothing recorded in Hubwire.
    person = pipedrive.create_person(
        name="Ada Lovelace", emails=[{"value": "ada@example.com", "primary": True}]
    )

    pulled = await pull_connection(env.deps, connection)

    # Not linked by the pull (nor made a second lead): the push, which the pull runs for
    # what is pending before it lets go, found the person and opened its lead.
    assert len(_leads_of(pipedrive, int(person["id"]))) == 1  # the lead the crash left out
    assert (pulled.linked, pulled.created, pulled.skipped) == (0, 0, 1), pulled
    assert [lead.id for lead in await env.workspace_leads(workspace)] == [lead_id]
    assert (await env.id_map(connection, PERSON))[lead_id] == str(person["id"])
    assert len(pipedrive.store.persons) == 1  # found, not made twice
    assert (await push_connection(env.deps, connection)).pushed == 0  # nothing left
