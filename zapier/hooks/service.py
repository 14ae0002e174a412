"""REST hooks are webhook subscriptions underneath: core signs, delivers, retries them and
switches one off when its target answers 410. This module only translates Zapier's shape."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.webhooks.models import Webhook
from core.webhooks.repository import WebhookOwner
from core.webhooks.schemas import WebhookCreate
from core.webhooks.service import WebhookNotFound, WebhookService
from zapier.hooks.schemas import HookCreate

# Marks the subscriptions this API made: `DELETE /v1/hooks/{id}` touches no other webhook.
HOOK_DESCRIPTION = "Zapier REST hook"


def hook_view(webhook: Webhook) -> dict[str, Any]:
    return {
        "id": webhook.id,
        "target_url": webhook.url,
        "event": ",".join(webhook.events),
        "events": webhook.events,
        "active": webhook.active,
        "created_at": webhook.created_at,
    }


class HookService:
    def __init__(self, webhooks: WebhookService) -> None:
        self.webhooks = webhooks

    async def subscribe(
        self, session: AsyncSession, *, workspace_id: str, data: HookCreate
    ) -> Webhook:
        events = [name.strip() for name in data.event.split(",") if name.strip()]
        webhook, _secret = await self.webhooks.create(
            session,
            owner=WebhookOwner(workspace_id=workspace_id),
            data=WebhookCreate(
                url=data.target_url,
                events=events,
                description=HOOK_DESCRIPTION,
            ),
        )
        return webhook

    async def unsubscribe(self, session: AsyncSession, *, workspace_id: str, hook_id: str) -> None:
        webhook = await self.webhooks.get(
            session, owner=WebhookOwner(workspace_id=workspace_id), webhook_id=hook_id
        )
        if webhook.description != HOOK_DESCRIPTION:
            raise WebhookNotFound(hook_id)
        await self.webhooks.delete(
            session, owner=WebhookOwner(workspace_id=workspace_id), webhook_id=hook_id
        )
