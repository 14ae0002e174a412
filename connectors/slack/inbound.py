"""Hubwire's Slack endpoints: the card buttons (interactivity) and ``/hubwire`` (a slash
command). Slack signs both with the app's signing secret; a request whose signature or
timestamp (five minutes) does not verify is refused with 401 and changes nothing.

A button changes the lead through the lead service, so ``lead.updated`` (and the status's
own event) is emitted and webhooks and CRMs sync; the action and who took it are stored
with the card's message refs, in the same transaction, and the push of that event updates
the card to show them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from connectors.kit import AuthFailed, ConnectorError
from connectors.slack.blocks import LEAD_ACTIONS, lead_card, lead_text
from connectors.slack.connector import LEAD_CARD, SlackConnector
from connectors.slack.refs import decode
from core.connections.endpoints import Connections
from core.connections.errors import ConnectionNotFound, ConnectionUnavailable, ProviderUnreachable
from core.connections.models import Connection, ExternalRecord
from core.connections.provider_oauth import resolve_client
from core.deps import Session, require, services_of
from core.errors import InvalidRequest, NotFound, Unauthorized
from core.leads.links import lead_page_url
from core.leads.models import Lead
from core.leads.schemas import LeadUpdate
from core.leads.service import LeadNotFound, leads
from core.plugins.auth import Principal
from core.plugins.manager import connector_registry
from core.schemas import ApiModel
from core.settings import Settings

router = APIRouter(prefix="/v1/connectors/slack", include_in_schema=False)
USAGE = "Usage: `/hubwire lead <email or phone>`"


def _connector() -> SlackConnector:
    connector = connector_registry().get("slack")
    if not isinstance(connector, SlackConnector):
        raise NotFound("The Slack connector is not installed.")
    return connector


async def _verified_form(request: Request, settings: Settings) -> dict[str, str]:
    """The request's form fields, once its Slack signature verified (else 401)."""
    connector = _connector()
    client = resolve_client(settings, connector)
    secret = client.webhook_secret if client is not None else ""
    body = await request.body()
    if not secret or not connector.verify_request(dict(request.headers), body, secret):
        raise Unauthorized("The Slack signature did not verify (or the request is stale).")
    try:
        parsed = parse_qs(body.decode(), strict_parsing=False)
    except UnicodeDecodeError:
        raise InvalidRequest("The body is not a form.") from None
    return {name: values[0] for name, values in parsed.items()}


async def _connections(session: AsyncSession, team_id: str) -> list[Connection]:
    return list(
        await session.scalars(
            select(Connection).where(
                Connection.connector == "slack",
                Connection.account_id == team_id,
                Connection.status.in_(("active", "paused")),
            )
        )
    )


@router.post("/interactions")
async def interactions(request: Request, session: Session) -> Response:
    form = await _verified_form(request, services_of(request).settings)
    try:
        payload: Mapping[str, Any] = json.loads(form["payload"])
        action = payload["actions"][0]
        action_id, lead_id = str(action["action_id"]), str(action["value"])
        team_id, user_id = str(payload["team"]["id"]), str(payload["user"]["id"])
    except (KeyError, IndexError, TypeError, ValueError):
        raise InvalidRequest("Not a Slack block_actions payload.") from None
    if payload.get("type") != "block_actions" or action_id not in LEAD_ACTIONS:
        raise InvalidRequest(f"Unknown action {action_id!r}.", details={"actionId": action_id})
    status = LEAD_ACTIONS[action_id][0]
    changed: set[str] = set()
    for connection in await _connections(session, team_id):
        if connection.workspace_id not in changed:
            try:
                await leads.update(
                    session,
                    workspace_id=connection.workspace_id,
                    lead_id=lead_id,
                    data=LeadUpdate(status=status),
                )
            except LeadNotFound:
                continue
            changed.add(connection.workspace_id)
        mapped = await session.scalar(
            select(ExternalRecord).where(
                ExternalRecord.connection_id == connection.id,
                ExternalRecord.object_type == LEAD_CARD,
                ExternalRecord.hubwire_id == lead_id,
            )
        )
        if mapped is not None:
            refs = decode(lead_id, mapped.external_id).with_action(status, user_id)
            # The push of the lead's event re-renders the card, showing who acted.
            mapped.external_id = refs.encode()
            # The push of the lead's event re-renders the card, now with the action.
    if not changed:
        raise LeadNotFound(lead_id)
    return Response(status_code=200)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


async def _find_lead(session: AsyncSession, workspace_id: str, query: str) -> Lead | None:
    if "@" in query:
        return await session.scalar(
            select(Lead)
            .where(Lead.workspace_id == workspace_id, func.lower(Lead.email) == query.lower())
            .order_by(Lead.created_at.desc())
            .limit(1)
        )
    digits = _digits(query)
    if len(digits) < 3:
        return None
    # Phones are stored as typed: narrow by the last digits in SQL, compare all in Python.
    candidates = await session.scalars(
        select(Lead)
        .where(
            Lead.workspace_id == workspace_id,
            or_(Lead.phone == query, Lead.phone.like(f"%{digits[-1]}")),
        )
        .order_by(Lead.created_at.desc())
        .limit(500)
    )
    return next((lead for lead in candidates if _digits(lead.phone or "") == digits), None)


@router.post("/commands")
async def commands(request: Request, session: Session) -> Response:
    settings = services_of(request).settings
    form = await _verified_form(request, settings)
    words = form.get("text", "").split()
    if len(words) != 2 or words[0].lower() != "lead":
        return JSONResponse({"response_type": "ephemeral", "text": USAGE})
    query = words[1].strip("<>").removeprefix("mailto:").split("|")[0]
    for connection in await _connections(session, form.get("team_id", "")):
        lead = await _find_lead(session, connection.workspace_id, query)
        if lead is None:
            continue
        fields = {
            "name": lead.name,
            "email": lead.email,
            "phone": lead.phone,
            "source": lead.source,
            "status": lead.status,
            "url": lead_page_url(settings.public_base_url, lead.id),
        }
        return JSONResponse(
            {
                "response_type": "ephemeral",
                "text": lead_text(fields),
                "blocks": lead_card(lead.id, fields),
            }
        )
    return JSONResponse({"response_type": "ephemeral", "text": f"No lead matches {query}. {USAGE}"})


class SlackChannel(ApiModel):
    id: str = Field(examples=["C0123ABCD"])
    name: str | None = Field(examples=["leads"])
    is_member: bool = Field(description="Whether Hubwire's bot is in it (it can post there).")


class SlackChannelList(ApiModel):
    data: list[SlackChannel]


channels_router = APIRouter(prefix="/v1/connections", tags=["Connections"])


@channels_router.get(
    "/{connection_id}/slack/channels",
    response_model=SlackChannelList,
    summary="The Slack channels a connection can post to",
    description=(
        "The public channels of a Slack connection's workspace (every page of "
        "`conversations.list`), to choose the `channel` of its rules. Invite Hubwire's bot to "
        "a channel (`isMember`) before a rule names it."
    ),
    responses={
        404: {"description": "No such connection, or not a Slack one."},
        409: {"description": "The connection cannot reach Slack (pending, error)."},
    },
)
async def slack_channels(
    connection_id: str,
    request: Request,
    session: Session,
    service: Connections,
    principal: Annotated[Principal, require("connections:read")],
) -> SlackChannelList:
    connection = await service.get(
        session, workspace_id=principal.workspace_id, connection_id=connection_id
    )
    if connection.connector != "slack":
        raise ConnectionNotFound(connection_id)
    if connection.status not in ("active", "paused"):
        raise ConnectionUnavailable(connection.id, connection.status)
    context = await services_of(request).vault.context(connection.id)
    try:
        found = await _connector().channels(context)
    except AuthFailed as exc:
        raise ConnectionUnavailable(connection.id, connection.status, str(exc)) from exc
    except (ConnectorError, SlackApiError) as exc:
        raise ProviderUnreachable("slack", str(exc)[:200]) from exc
    return SlackChannelList(data=[SlackChannel.model_validate(c) for c in found])
