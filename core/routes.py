"""Every public router, in the order the API reference lists them."""

from __future__ import annotations

from fastapi import APIRouter

from core.agents.endpoints import router as agents_router
from core.analytics.endpoints import router as analytics_router
from core.api_clients.endpoints import router as api_clients_router
from core.api_keys.endpoints import router as api_keys_router
from core.appointments.endpoints import router as appointments_router
from core.calls.endpoints import router as calls_router
from core.chat.endpoints import router as chat_router
from core.connections.endpoints import router as connections_router
from core.connectors.endpoints import router as connectors_router
from core.events.endpoints import catalog_router as event_catalog_router
from core.events.endpoints import router as events_router
from core.health.endpoints import liveness_router
from core.health.endpoints import router as health_router
from core.jobs.endpoints import router as jobs_router
from core.leads.endpoints import router as leads_router
from core.partners.endpoints import router as partners_router
from core.partners.webhooks import router as partner_webhooks_router
from core.payments.endpoints import router as payments_router
from core.ratelimit.endpoints import router as rate_limits_router
from core.response_targets.endpoints import router as response_target_router
from core.webhooks.endpoints import router as webhooks_router

api_router = APIRouter()
for router in (
    leads_router,
    calls_router,
    agents_router,
    appointments_router,
    payments_router,
    chat_router,
    analytics_router,
    response_target_router,
    webhooks_router,
    events_router,
    event_catalog_router,
    jobs_router,
    connectors_router,
    connections_router,
    api_clients_router,
    api_keys_router,
    partners_router,
    partner_webhooks_router,
    rate_limits_router,
    health_router,
    liveness_router,
):
    api_router.include_router(router)
