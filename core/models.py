"""Imports every model so ``Base.metadata`` is complete (Alembic and tests rely on it)."""

from types import ModuleType

from core.agents.models import Agent
from core.api_clients.models import ApiClient
from core.api_keys.models import ApiKey
from core.appointments.models import Appointment
from core.calls.models import Call
from core.chat.models import ChatMessage, ChatSession
from core.connections.models import Connection, ExternalRecord, SyncCursor, SyncItem, SyncLog
from core.database import Base
from core.events.models import Event
from core.idempotency.models import IdempotencyRecord
from core.jobs.models import Job
from core.leads.models import Lead
from core.partners.models import Partner, PartnerKey
from core.payments.models import Payment
from core.plugins.manager import plugin_manager
from core.response_targets.models import LeadResponse, ResponseTarget
from core.usage.models import UsageLog
from core.webhooks.models import Delivery, DeliveryAttempt, Webhook
from core.workspaces.models import Workspace


def load_plugin_models() -> list[ModuleType]:
    """Imports the modules that define plugins' tables (``hubwire_models``), so that
    ``Base.metadata`` holds every table of the deployment, not only core's."""
    declared: list[list[ModuleType]] = plugin_manager().hook.hubwire_models()
    return [module for modules in declared for module in modules]


__all__ = [
    "Agent",
    "ApiClient",
    "ApiKey",
    "Appointment",
    "Base",
    "Call",
    "ChatMessage",
    "ChatSession",
    "Connection",
    "Delivery",
    "DeliveryAttempt",
    "Event",
    "ExternalRecord",
    "IdempotencyRecord",
    "Job",
    "Lead",
    "LeadResponse",
    "Partner",
    "PartnerKey",
    "Payment",
    "ResponseTarget",
    "SyncCursor",
    "SyncItem",
    "SyncLog",
    "UsageLog",
    "Webhook",
    "Workspace",
    "load_plugin_models",
]
