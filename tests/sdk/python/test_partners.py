"""A partner drives the Python SDK over HTTP: onboard a workspace, then act in it with
``with_workspace``."""

from __future__ import annotations

import asyncio

import pytest
from hubwire import Hubwire, NotFoundError, webhooks
from hubwire._generated.api.agents import create_agent, list_agents
from hubwire._generated.api.partners import (
    create_managed_workspace,
    create_partner_webhook,
    list_partner_webhook_deliveries,
    mint_bound_key,
)
from hubwire._generated.models import (
    AgentCreate,
    AgentOut,
    BoundKeyCreate,
    ErrorEnvelope,
    ManagedWorkspaceCreate,
    ManagedWorkspaceOut,
    WebhookCreate,
    WebhookWithSecret,
)

from core.container import Services
from tests.conftest import Tenant
from tests.core.webhooks.receiver import running_receiver
from tests.support.partners import partner_key


async def test_a_partner_onboards_and_acts_in_a_workspace(
    sdk_server: str, services: Services, tenant: Tenant
) -> None:
    key = await partner_key(
        services,
        ["agents:read", "agents:write", "leads:read"],
        tier="enterprise",
        name="SDK agency",
    )

    def scenario() -> None:
        with Hubwire(api_key=key, base_url=sdk_server) as client:
            workspace = create_managed_workspace.sync(
                client=client.api,
                body=ManagedWorkspaceCreate(name="Corner Bakery", contact_email="b@example.com"),
            )
            assert workspace is not None and workspace.id.startswith("ws_")
            with client.with_workspace(workspace.id) as inside:
                agent = create_agent.sync(client=inside.api, body=AgentCreate(name="Sam"))
                listed = list_agents.sync(client=inside.api)
                assert [a.id for a in listed.data] == [agent.id]
                assert inside.leads.list().pages().__next__().data == []
            bound = mint_bound_key.sync(
                workspace.id,
                client=client.api,
                body=BoundKeyCreate(name="b", scopes=["agents:read"]),
            )
            with Hubwire(api_key=bound.key, base_url=sdk_server) as customer:
                assert [a.id for a in list_agents.sync(client=customer.api).data] == [agent.id]
            # A workspace the partner does not manage is a typed 404.
            with client.with_workspace(tenant.id) as outside, pytest.raises(NotFoundError):
                outside.leads.list().pages().__next__()

    await asyncio.to_thread(scenario)


async def test_a_partner_subscribes_once_for_all_its_workspaces(
    sdk_server: str, services: Services
) -> None:
    key = await partner_key(services, ["agents:read", "agents:write"], name="SDK agency")

    async with running_receiver() as receiver:

        def subscribe_and_onboard() -> tuple[str, str, str, str]:
            with Hubwire(api_key=key, base_url=sdk_server) as client:
                hook = create_partner_webhook.sync(
                    client=client.api,
                    body=WebhookCreate(url=receiver.url("/partner"), events=["agent.created"]),
                )
                assert isinstance(hook, WebhookWithSecret)
                workspace = create_managed_workspace.sync(
                    client=client.api,
                    body=ManagedWorkspaceCreate(name="Corner Bakery", contact_email="b@x.com"),
                )
                assert isinstance(workspace, ManagedWorkspaceOut)
                with client.with_workspace(workspace.id) as inside:
                    agent = create_agent.sync(client=inside.api, body=AgentCreate(name="Sam"))
                assert isinstance(agent, AgentOut)
                return hook.id, str(hook.secret), workspace.id, agent.id

        hook_id, secret, workspace_id, agent_id = await asyncio.to_thread(subscribe_and_onboard)
        got = await receiver.wait_for(1, "/partner")

    event = webhooks.verify(got[0].body, got[0].headers, secret)
    assert (event["workspaceId"], event["data"]["id"]) == (workspace_id, agent_id)

    def deliveries() -> list[str]:
        with Hubwire(api_key=key, base_url=sdk_server) as client:
            page = list_partner_webhook_deliveries.sync(hook_id, client=client.api)
            assert page is not None and not isinstance(page, ErrorEnvelope)
            return [str(d.workspace_id) for d in page.data]

    assert await asyncio.to_thread(deliveries) == [workspace_id]
