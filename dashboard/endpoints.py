"""The dashboard's pages. Thin like every route: read the form, call one of core's services
with the viewer's workspace and ``Principal``, render a template."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, RedirectResponse
from pydantic import ValidationError

from core.api_clients.models import ApiClient
from core.api_keys.endpoints import key_service
from core.api_keys.models import ApiKey
from core.api_keys.schemas import ApiKeyCreate
from core.api_keys.service import key_view
from core.auth.scopes import SCOPES
from core.connections.endpoints import connection_service
from core.connections.schemas import (
    ConnectionCreate,
    ConnectionFilters,
    ConnectionUpdate,
    LogFilters,
    StatsPeriod,
)
from core.connectors.service import connectors
from core.database import utcnow
from core.deps import Session, services_of
from core.errors import HubwireError, NotFound, RateLimited, Unauthorized
from core.filters import CreatedRange
from core.jobs.models import Job
from core.jobs.service import jobs
from core.listing import ListParams
from core.ratelimit.policy import TIERS, daily_limit
from core.usage.schemas import OTHER_ENDPOINTS
from core.usage.service import usage
from core.webhooks.endpoints import webhook_service
from core.webhooks.schemas import (
    DeliveryFilters,
    RecoverInput,
    WebhookCreate,
    WebhookFilters,
    WebhookUpdate,
)
from dashboard.browser import (
    PREFIX,
    STATIC_DIR,
    AdminViewer,
    CurrentViewer,
    DashboardRoute,
    Refused,
    Viewer,
    check_csrf,
    dashboard_settings,
    render,
)
from dashboard.repository import DashboardRepository
from oauth.apps.schemas import OAuthAppCreate
from oauth.apps.service import oauth_apps
from oauth.consents.service import consents
from oauth.deps import SESSION_COOKIE
from oauth.users.endpoints import browser_login
from oauth.users.service import users

router = APIRouter(prefix=PREFIX, include_in_schema=False, route_class=DashboardRoute)

ENVIRONMENTS = ("live", "test")
_ANY_TIME = CreatedRange(None, None)


def _params(limit: int) -> ListParams:
    return ListParams(limit=limit, offset=0, cursor=None, sort=None, fields=None)


def _problem(exc: HubwireError | ValidationError) -> str:
    if isinstance(exc, HubwireError):
        return exc.message
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'form'}: {e['msg']}" for e in exc.errors()
    )


# --- login --------------------------------------------------------------------------------


def _safe_next(value: str | None) -> str:
    """Only a dashboard path: the login is never an open redirect."""
    if value and value.startswith(PREFIX) and not value.startswith("//"):
        return value
    return PREFIX


@router.get("/login")
async def login_page(request: Request, next: str | None = None) -> Response:
    return render(request, "login.html", next=_safe_next(next), email="", error=None)


@router.post("/login")
async def login(request: Request, session: Session) -> Response:
    form = await request.form()
    target = _safe_next(str(form.get("next", "")))
    email = str(form.get("email", ""))
    try:
        await check_csrf(request)
    except Refused as exc:
        return render(request, "login.html", 403, next=target, email=email, error=exc.message)
    try:
        return await browser_login(
            request,
            session,
            email=email,
            password=str(form.get("password", "")),
            redirect_to=target,
        )
    except (Unauthorized, RateLimited) as exc:
        return render(
            request, "login.html", exc.status, next=target, email=email, error=exc.message
        )


@router.post("/logout")
async def logout(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    await users.logout(session, token=request.cookies.get(SESSION_COOKIE))
    response = RedirectResponse(f"{PREFIX}/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/static/{name:path}")
async def static(name: str) -> Response:
    path = (STATIC_DIR / name).resolve()
    if not path.is_file() or STATIC_DIR.resolve() not in path.parents:
        raise NotFound("No such file.")
    response = FileResponse(path)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


# --- overview -----------------------------------------------------------------------------


async def _figures(session: Session, workspace_id: str) -> dict[str, Any]:
    repo = DashboardRepository(session)
    midnight = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    totals = await usage.requests_since(session, workspace_id=workspace_id, since=midnight)
    deliveries = await repo.count_deliveries(workspace_id, midnight)
    connections = await repo.count_connections(workspace_id)
    return {
        "requests": totals.requests,
        "error_rate": round(100 * totals.failed / totals.requests, 1) if totals.requests else 0.0,
        "events": await repo.count_events(workspace_id, midnight),
        "deliveries": sum(deliveries.values()),
        "deliveries_failed": deliveries.get("failed", 0) + deliveries.get("dead", 0),
        "connections": connections.get("active", 0),
        "connections_in_error": connections.get("error", 0),
        "syncs": await repo.count_running_syncs(workspace_id),
        "alerts": await _alerts(repo, workspace_id),
    }


async def _alerts(repo: DashboardRepository, workspace_id: str) -> list[dict[str, str]]:
    """What needs a person: disabled webhooks, connections in error, jobs failed in 24 h."""
    alerts = [
        {
            "kind": "webhook",
            "id": w.id,
            "text": f"Webhook {w.url} is disabled: {w.disabled_reason or 'switched off'}.",
            "href": f"{PREFIX}/webhooks#webhook-{w.id}",
        }
        for w in await repo.disabled_webhooks(workspace_id)
    ]
    alerts += [
        {
            "kind": "connection",
            "id": c.id,
            "text": f"Connection {c.name or c.connector} is in error"
            + (f": {c.last_error}" if c.last_error else "."),
            "href": f"{PREFIX}/integrations/{c.id}",
        }
        for c in await repo.connections_in_error(workspace_id)
    ]
    since = utcnow() - timedelta(hours=24)
    for job in await repo.failed_jobs(workspace_id, since):
        message = (job.error or {}).get("message") if isinstance(job.error, dict) else None
        alerts.append(
            {
                "kind": "job",
                "id": job.id,
                "text": f"Job {job.type} ({job.id}) failed" + (f": {message}" if message else "."),
                "href": "",
            }
        )
    return alerts


@router.get("")
async def overview(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    figures = await _figures(session, viewer.principal.workspace_id)
    refresh = dashboard_settings().refresh_seconds
    return render(request, "overview.html", viewer=viewer, figures=figures, refresh=refresh)


@router.get("/overview/figures")
async def overview_figures(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    """The figures alone, for the overview's htmx refresh."""
    figures = await _figures(session, viewer.principal.workspace_id)
    return render(request, "_figures.html", viewer=viewer, figures=figures)


# The periods the usage page offers (``?period=``), each counted by hour.
USAGE_PERIODS: dict[str, tuple[str, timedelta]] = {
    "24h": ("the last 24 hours", timedelta(hours=24)),
    "7d": ("the last 7 days", timedelta(days=7)),
}
# The status classes' colours in the usage page's chart (core.usage.schemas.STATUS_CLASSES).
STATUS_COLORS = {
    "2xx": "#027a48",
    "3xx": "#2156d9",
    "4xx": "#b54708",
    "429": "#6941c6",
    "5xx": "#b42318",
}
OTHER_COLOR = "#98a2b3"


def _stacked(
    labels: list[str], names: list[str], counts: list[dict[str, int]], colors: dict[str, str]
) -> dict[str, Any]:
    """A stacked bar chart's ``data-series``: one dataset per name, one bar per label."""
    return {
        "labels": labels,
        "stacked": True,
        "datasets": [
            {"label": name, "data": [c[name] for c in counts]}
            | ({"color": colors[name]} if name in colors else {})
            for name in names
        ],
    }


@router.get("/usage")
async def usage_page(
    request: Request, session: Session, viewer: CurrentViewer, period: str = "24h"
) -> Response:
    """The workspace's requests per hour over the chosen period, by endpoint and by status
    class (two stacked charts, each with a table of its figures), then each client today."""
    if period not in USAGE_PERIODS:
        period = "24h"
    workspace_id = viewer.principal.workspace_id
    end = utcnow()
    timeline = await usage.timeline(
        session, workspace_id=workspace_id, start=end - USAGE_PERIODS[period][1], end=end
    )
    fmt = "%H:00" if period == "24h" else "%m-%d %H:00"
    labels = [h.hour.strftime(fmt) for h in timeline.hours]
    charts = {
        "endpoints": _stacked(
            labels,
            timeline.endpoints,
            [h.by_endpoint for h in timeline.hours],
            {OTHER_ENDPOINTS: OTHER_COLOR},
        ),
        "statuses": _stacked(
            labels, timeline.statuses, [h.by_status for h in timeline.hours], STATUS_COLORS
        ),
    }
    clients = await _client_usage(session, workspace_id)
    return render(
        request,
        "usage.html",
        viewer=viewer,
        period=period,
        periods={key: words for key, (words, _) in USAGE_PERIODS.items()},
        timeline=timeline,
        hours=[h for h in timeline.hours if h.requests],
        charts=charts,
        clients=clients,
    )


QUOTA_WARNING = 0.8  # the share of the daily quota from which the page warns


@dataclass(frozen=True)
class CredentialQuota:
    """One credential's requests today against its own daily limit (limits apply per API
    key and per OAuth token, not per client)."""

    label: str
    used: int
    limit: int

    @property
    def share(self) -> float:
        return self.used / self.limit

    @property
    def percent(self) -> float:
        return round(100 * self.share, 1)


def _busiest_credential(
    client: ApiClient, keys: list[ApiKey], used: dict[tuple[str | None, str | None], int]
) -> CredentialQuota:
    """The client's credential closest to its daily limit: its keys, and its OAuth tokens
    (counted together against one token's limit, so this errs towards warning early)."""
    quotas = [
        CredentialQuota(
            f"key “{key.name}”",
            used.get((client.id, key.id), 0),
            daily_limit(key.tier or client.rate_limit_tier, key.rate_limit_override),
        )
        for key in keys
    ]
    quotas.append(
        CredentialQuota(
            "OAuth tokens",
            used.get((client.id, None), 0),
            daily_limit(client.rate_limit_tier, None),
        )
    )
    return max(quotas, key=lambda q: (q.share, q.used))


async def _client_usage(session: Session, workspace_id: str) -> list[dict[str, Any]]:
    """Per API client, today (UTC): requests by endpoint, top errors, 429s, and the busiest
    of its credentials against that credential's daily limit (core.ratelimit.policy)."""
    now = utcnow()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    repo = DashboardRepository(session)
    keys: dict[str, list[ApiKey]] = defaultdict(list)
    for key in await repo.keys(workspace_id):
        keys[key.client_id].append(key)
    used = await usage.requests_by_credential(session, workspace_id=workspace_id, since=midnight)
    result = []
    for client in await repo.clients(workspace_id):
        stats = await usage.statistics(
            session,
            workspace_id=workspace_id,
            client_id=client.id,
            start=midnight,
            end=now + timedelta(seconds=1),
            group_by="hour",
        )
        quota = _busiest_credential(client, keys[client.id], used)
        result.append(
            {
                "client": client,
                "stats": stats,
                "quota": quota,
                "warning": quota.share >= QUOTA_WARNING,
            }
        )
    return result


# --- API keys -----------------------------------------------------------------------------


async def _keys_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    status: int = 200,
    created: dict[str, Any] | None = None,
    error: str | None = None,
    notice: str | None = None,
) -> Response:
    repo = DashboardRepository(session)
    workspace_id = viewer.principal.workspace_id
    return render(
        request,
        "api_keys.html",
        status,
        viewer=viewer,
        keys=[key_view(k) for k in await repo.keys(workspace_id)],
        clients=await repo.clients(workspace_id),
        scopes=[(s, words) for s, words in SCOPES.items() if s in viewer.principal.scopes],
        tiers=TIERS,
        environments=ENVIRONMENTS,
        created=created,
        error=error,
        notice=notice,
    )


@router.get("/api-keys")
async def api_keys(request: Request, session: Session, viewer: AdminViewer) -> Response:
    return await _keys_page(request, session, viewer)


@router.post("/api-keys")
async def create_api_key(request: Request, session: Session, viewer: AdminViewer) -> Response:
    form = await request.form()
    expires = str(form.get("expires_in_days", "")).strip()
    tier = str(form.get("tier", "")).strip()
    try:
        # The form's text goes to pydantic as is: "abc", "-5" or "²" days is a 422, never a
        # 500 or a key that silently never expires.
        data = ApiKeyCreate.model_validate(
            {
                "client_id": str(form.get("client_id", "")),
                "name": str(form.get("name", "")),
                "scopes": [str(s) for s in form.getlist("scopes")],
                "environment": str(form.get("environment", "live")),
                "tier": tier or None,
                "expires_in_days": expires or None,
                "ip_allowlist": str(form.get("ip_allowlist", "")).split(),
            }
        )
        issued = await key_service(request).create(
            session,
            workspace_id=viewer.principal.workspace_id,
            data=data,
            grantor_scopes=viewer.principal.scopes,
        )
    except (HubwireError, ValidationError) as exc:
        return await _keys_page(request, session, viewer, status=422, error=_problem(exc))
    created = {"name": issued.key.name, "key": issued.plaintext, "verb": "created"}
    return await _keys_page(request, session, viewer, status=201, created=created)


@router.get("/api-keys/{key_id}")
async def api_key_usage(
    request: Request, session: Session, viewer: AdminViewer, key_id: str
) -> Response:
    """One key's requests over the last 24 hours (chart and table) against its daily limit."""
    workspace_id = viewer.principal.workspace_id
    key = await key_service(request).get(session, workspace_id=workspace_id, key_id=key_id)
    client = await session.get(ApiClient, key.client_id)
    tier = key.tier or (client.rate_limit_tier if client else "basic")
    day_limit = daily_limit(tier, key.rate_limit_override)
    now = utcnow()
    hours = await usage.hourly(
        session, workspace_id=workspace_id, start=now - timedelta(hours=24), key_id=key.id
    )
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = sum(h.requests for h in hours if h.hour >= midnight)
    share = today / day_limit
    series = {
        "labels": [h.hour.strftime("%H:00") for h in hours],
        "datasets": [
            {"label": "Requests", "data": [h.requests for h in hours]},
            {"label": "Errors", "data": [h.failed for h in hours], "color": "#b42318"},
            {"label": "Rate-limited", "data": [h.rate_limited for h in hours], "color": "#b54708"},
        ],
    }
    return render(
        request,
        "api_key.html",
        viewer=viewer,
        key=key_view(key),
        tier=tier,
        hours=hours,
        series=series,
        quota={
            "today": today,
            "limit": day_limit,
            "percent": round(100 * share, 1),
            "warning": share >= QUOTA_WARNING,
        },
    )


@router.post("/api-keys/{key_id}/rotate")
async def rotate_api_key(
    request: Request, session: Session, viewer: AdminViewer, key_id: str
) -> Response:
    """A new secret, shown once; the old one works for the configured grace period."""
    issued = await key_service(request).rotate(
        session,
        workspace_id=viewer.principal.workspace_id,
        key_id=key_id,
        grace_period_hours=None,
        grantor_scopes=viewer.principal.scopes,
    )
    created = {"name": issued.key.name, "key": issued.plaintext, "verb": "rotated"}
    return await _keys_page(request, session, viewer, created=created)


@router.post("/api-keys/{key_id}/revoke")
async def revoke_api_key(
    request: Request, session: Session, viewer: AdminViewer, key_id: str
) -> Response:
    key = await key_service(request).revoke(
        session, workspace_id=viewer.principal.workspace_id, key_id=key_id
    )
    return await _keys_page(request, session, viewer, notice=f"Revoked {key.name}.")


# --- webhooks -----------------------------------------------------------------------------


async def _webhooks_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    status: int = 200,
    created: dict[str, Any] | None = None,
    error: str | None = None,
    notice: str | None = None,
) -> Response:
    service = webhook_service(request)
    workspace_id = viewer.principal.workspace_id
    page = await service.list(
        session,
        workspace_id=workspace_id,
        filters=WebhookFilters(active=None, created=_ANY_TIME),
        params=_params(100),
    )
    hooks = []
    for webhook in page.items:
        deliveries = await service.deliveries(
            session,
            workspace_id=workspace_id,
            webhook_id=webhook["id"],
            filters=DeliveryFilters(status=None, event_type=None, created=_ANY_TIME),
            params=_params(10),
        )
        hooks.append({**webhook, "deliveries": deliveries.items})
    catalog = services_of(request).event_catalog.all()
    return render(
        request,
        "webhooks.html",
        status,
        viewer=viewer,
        webhooks=hooks,
        events=catalog,
        events_picker=[(e.name, e.description) for e in catalog],
        event_names={e.name for e in catalog},
        created=created,
        error=error,
        notice=notice,
    )


@router.get("/webhooks")
async def webhooks(request: Request, session: Session, viewer: AdminViewer) -> Response:
    return await _webhooks_page(request, session, viewer)


@router.post("/webhooks")
async def create_webhook(request: Request, session: Session, viewer: AdminViewer) -> Response:
    form = await request.form()
    try:
        data = WebhookCreate(
            url=str(form.get("url", "")),
            events=[str(e) for e in form.getlist("events")],
            description=str(form.get("description", "")) or None,
        )
        webhook, secret = await webhook_service(request).create(
            session, workspace_id=viewer.principal.workspace_id, data=data
        )
    except (HubwireError, ValidationError) as exc:
        return await _webhooks_page(request, session, viewer, status=422, error=_problem(exc))
    created = {"url": webhook.url, "secret": secret, "verb": "created"}
    return await _webhooks_page(request, session, viewer, status=201, created=created)


@router.post("/webhooks/{webhook_id}/rotate-secret")
async def rotate_webhook_secret(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str
) -> Response:
    """A new signing secret, shown once; the old one keeps signing during the overlap."""
    service = webhook_service(request)
    webhook = await service.rotate_secret(
        session, workspace_id=viewer.principal.workspace_id, webhook_id=webhook_id
    )
    secret = str(service.secret_view(webhook)["secret"])
    created = {"url": webhook.url, "secret": secret, "verb": "rotated"}
    return await _webhooks_page(request, session, viewer, created=created)


@router.post("/webhooks/{webhook_id}")
async def edit_webhook(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str
) -> Response:
    """The edit form sends every field: an unchecked "active" box disables the subscription."""
    form = await request.form()
    try:
        data = WebhookUpdate(
            url=str(form.get("url", "")),
            events=[str(e) for e in form.getlist("events")],
            description=str(form.get("description", "")) or None,
            active=form.get("active") == "on",
        )
        webhook = await webhook_service(request).update(
            session, workspace_id=viewer.principal.workspace_id, webhook_id=webhook_id, data=data
        )
    except (HubwireError, ValidationError) as exc:
        if isinstance(exc, NotFound):
            raise
        return await _webhooks_page(request, session, viewer, status=422, error=_problem(exc))
    return await _webhooks_page(request, session, viewer, notice=f"Saved {webhook.url}.")


def _utc(value: str) -> datetime:
    """A ``datetime-local`` field (read as UTC) or an ISO time with its offset."""
    parsed = datetime.fromisoformat(value.strip())
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@router.post("/webhooks/{webhook_id}/recover")
async def recover_webhook(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str
) -> Response:
    """Queues again the dead deliveries created since the time given."""
    form = await request.form()
    try:
        data = RecoverInput.model_validate({"since": _utc(str(form.get("since", "")))})
        count = await webhook_service(request).recover(
            session, workspace_id=viewer.principal.workspace_id, webhook_id=webhook_id, data=data
        )
    except ValueError as exc:  # pydantic's ValidationError is a ValueError too
        message = _problem(exc) if isinstance(exc, ValidationError) else "since: not a time"
        return await _webhooks_page(request, session, viewer, status=422, error=message)
    except HubwireError as exc:
        if isinstance(exc, NotFound):
            raise
        return await _webhooks_page(request, session, viewer, status=409, error=_problem(exc))
    noun = "delivery" if count == 1 else "deliveries"
    return await _webhooks_page(request, session, viewer, notice=f"{count} {noun} queued again.")


# The headers every try carries (core.webhooks.sender.build_headers); the signature is
# computed from the secret, so the page names it without showing it.
def _request_headers(delivery: dict[str, Any], attempt: int) -> list[tuple[str, str]]:
    return [
        ("webhook-id", str(delivery["id"])),
        ("webhook-timestamp", "the time of the try in Unix seconds (each try's is below)"),
        ("webhook-signature", "v1,… (HMAC-SHA256 with the signing secret; not shown)"),
        ("X-Hubwire-Event", str(delivery["event_type"])),
        ("X-Webhook-Attempt", str(attempt)),
        ("Content-Type", "application/json"),
    ]


@router.get("/webhooks/{webhook_id}/deliveries/{delivery_id}")
async def delivery_detail(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str, delivery_id: str
) -> Response:
    """One delivery: the request as sent (headers and body) and each try's response."""
    service = webhook_service(request)
    workspace_id = viewer.principal.workspace_id
    webhook = await service.get(session, workspace_id=workspace_id, webhook_id=webhook_id)
    delivery = await service.delivery(
        session, workspace_id=workspace_id, webhook_id=webhook_id, delivery_id=delivery_id
    )
    attempts = delivery["attempt_log"]
    return render(
        request,
        "delivery.html",
        viewer=viewer,
        webhook=webhook,
        delivery=delivery,
        headers=_request_headers(delivery, max(len(attempts), 1)),
        body=json.dumps(delivery["payload"], indent=2, sort_keys=True),
        attempts=attempts,
    )


@router.post("/webhooks/{webhook_id}/deliveries/{delivery_id}/retry")
async def retry_delivery(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str, delivery_id: str
) -> Response:
    await webhook_service(request).retry(
        session,
        workspace_id=viewer.principal.workspace_id,
        webhook_id=webhook_id,
        delivery_id=delivery_id,
    )
    return await _webhooks_page(request, session, viewer, notice="Delivery queued for retry.")


@router.post("/webhooks/{webhook_id}/test")
async def test_webhook(
    request: Request, session: Session, viewer: AdminViewer, webhook_id: str
) -> Response:
    result = await webhook_service(request).send_test(
        session, workspace_id=viewer.principal.workspace_id, webhook_id=webhook_id
    )
    outcome = "delivered" if result.get("success") else "failed (see the delivery log)"
    return await _webhooks_page(request, session, viewer, notice=f"Test event sent: {outcome}.")


# --- integrations -------------------------------------------------------------------------


async def _integrations_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    status: int = 200,
    error: str | None = None,
    notice: str | None = None,
    tested: dict[str, Any] | None = None,
    started: Job | None = None,
) -> Response:
    workspace_id = viewer.principal.workspace_id
    page = await connection_service(request).list(
        session,
        workspace_id=workspace_id,
        filters=ConnectionFilters(connector=None, status=None, created=_ANY_TIME),
        params=_params(100),
    )
    service = connection_service(request)
    logs = {
        c.id: (
            await service.logs(
                session,
                workspace_id=workspace_id,
                connection_id=c.id,
                filters=LogFilters(kind=None, level=None, created=_ANY_TIME),
                params=_params(5),
            )
        ).items
        for c in page.items
    }
    syncs = await DashboardRepository(session).running_syncs(workspace_id)
    if started is not None:
        syncs[str(started.input.get("connectionId"))] = started
    returned = request.query_params.get("status")
    if returned and notice is None and request.method == "GET":
        notice = {
            "active": "Connected.",
            "denied": "The connection was not authorized.",
        }.get(returned, "The connection failed; try again.")
    return render(
        request,
        "integrations.html",
        status,
        viewer=viewer,
        catalog=connectors.catalog(),
        connections=page.items,
        syncs=syncs,
        logs=logs,
        error=error,
        notice=notice,
        tested=tested,
    )


@router.get("/integrations")
async def integrations(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    return await _integrations_page(request, session, viewer)


@router.post("/integrations/connect")
async def connect(request: Request, session: Session, viewer: AdminViewer) -> Response:
    """Starts the provider's OAuth consent; its callback brings the browser back here."""
    form = await request.form()
    back = f"{str(request.base_url).rstrip('/')}{PREFIX}/integrations"
    try:
        data = ConnectionCreate(connector=str(form.get("connector", "")), redirect_url=back)
        _, authorize_url = await connection_service(request).create(
            session, workspace_id=viewer.principal.workspace_id, data=data
        )
    except (HubwireError, ValidationError) as exc:
        return await _integrations_page(request, session, viewer, status=422, error=_problem(exc))
    return RedirectResponse(authorize_url or back, status_code=303)


@router.post("/integrations/{connection_id}/test")
async def test_connection(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str
) -> Response:
    result = await connection_service(request).test(
        session, workspace_id=viewer.principal.workspace_id, connection_id=connection_id
    )
    return await _integrations_page(
        request, session, viewer, tested={"id": connection_id, **result}
    )


@router.post("/integrations/{connection_id}/sync")
async def sync_connection(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str
) -> Response:
    job = await connection_service(request).request_sync(
        session, workspace_id=viewer.principal.workspace_id, connection_id=connection_id
    )
    return await _integrations_page(request, session, viewer, notice="Sync started.", started=job)


STATS_DAYS = 14


@router.get("/integrations/{connection_id}")
async def connection_detail(
    request: Request, session: Session, viewer: CurrentViewer, connection_id: str
) -> Response:
    return await _connection_page(request, session, viewer, connection_id)


async def _connection_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    connection_id: str,
    *,
    status: int = 200,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    """One connection: its metrics, the last two weeks per day (chart and table), its
    concurrency limit (a form for admins) and its recent logs."""
    service = connection_service(request)
    workspace_id = viewer.principal.workspace_id
    connection = await service.get(session, workspace_id=workspace_id, connection_id=connection_id)
    metrics = await service.metrics(session, workspace_id=workspace_id, connection_id=connection_id)
    today = utcnow().date()
    period = StatsPeriod(start=today - timedelta(days=STATS_DAYS - 1), end=today)
    stats = await service.period_stats(
        session, workspace_id=workspace_id, connection_id=connection_id, period=period
    )
    logs = await service.logs(
        session,
        workspace_id=workspace_id,
        connection_id=connection_id,
        filters=LogFilters(kind=None, level=None, created=_ANY_TIME),
        params=_params(20),
    )
    days = stats["days"]
    series = {
        "labels": [d["date"].isoformat() for d in days],
        "datasets": [
            {"label": "Pushed", "data": [d["pushed"] for d in days]},
            {"label": "Pulled", "data": [d["pulled"] for d in days], "color": "#027a48"},
            {"label": "Failed", "data": [d["failed"] for d in days], "color": "#b42318"},
        ],
    }
    return render(
        request,
        "connection.html",
        status,
        viewer=viewer,
        connection=connection,
        metrics=metrics,
        stats=stats,
        series=series,
        logs=logs.items,
        notice=notice,
        error=error,
    )


@router.post("/integrations/{connection_id}/concurrency")
async def set_concurrency(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str
) -> Response:
    form = await request.form()
    raw = str(form.get("concurrency_limit", "")).strip()
    try:
        data = ConnectionUpdate.model_validate({"concurrency_limit": raw or None})
        connection = await connection_service(request).update(
            session,
            workspace_id=viewer.principal.workspace_id,
            connection_id=connection_id,
            data=data,
        )
    except ValidationError as exc:
        return await _connection_page(
            request, session, viewer, connection_id, status=422, error=_problem(exc)
        )
    return await _connection_page(
        request,
        session,
        viewer,
        connection_id,
        notice=f"Concurrency limit set to {connection.concurrency_limit}.",
    )


@router.post("/integrations/{connection_id}/{action}")
async def pause_or_resume(
    request: Request, session: Session, viewer: AdminViewer, connection_id: str, action: str
) -> Response:
    if action not in ("pause", "resume"):
        raise NotFound("No such action.")
    status = "paused" if action == "pause" else "active"
    connection = await connection_service(request).update(
        session,
        workspace_id=viewer.principal.workspace_id,
        connection_id=connection_id,
        data=ConnectionUpdate(status=status),
    )
    verb = "Paused" if status == "paused" else "Resumed"
    return await _integrations_page(
        request, session, viewer, notice=f"{verb} {connection.name or connection.connector}."
    )


@router.get("/jobs/{job_id}")
async def job_progress(
    request: Request, session: Session, viewer: CurrentViewer, job_id: str
) -> Response:
    """A sync's progress bar; it polls itself until the job has finished."""
    job = await jobs.get(session, workspace_id=viewer.principal.workspace_id, job_id=job_id)
    return render(request, "_job.html", viewer=viewer, job=job)


# --- OAuth apps and authorized apps ---------------------------------------------------------


async def _oauth_apps_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    status: int = 200,
    created: dict[str, Any] | None = None,
    error: str | None = None,
) -> Response:
    page = await oauth_apps.list(
        session, workspace_id=viewer.principal.workspace_id, params=_params(100)
    )
    return render(
        request,
        "oauth_apps.html",
        status,
        viewer=viewer,
        apps=page.items,
        scopes=[(s, words) for s, words in SCOPES.items() if s in viewer.principal.scopes],
        tiers=TIERS,
        created=created,
        error=error,
    )


@router.get("/oauth-apps")
async def oauth_apps_page(request: Request, session: Session, viewer: AdminViewer) -> Response:
    return await _oauth_apps_page(request, session, viewer)


@router.post("/oauth-apps")
async def register_oauth_app(request: Request, session: Session, viewer: AdminViewer) -> Response:
    form = await request.form()
    try:
        data = OAuthAppCreate(
            name=str(form.get("name", "")),
            client_type=str(form.get("client_type", "confidential")),
            redirect_uris=str(form.get("redirect_uris", "")).split(),
            allowed_scopes=[str(s) for s in form.getlist("scopes")],
            website=str(form.get("website", "")) or None,
            rate_limit_tier=str(form.get("tier", "basic")),
        )
        registered = await oauth_apps.create(
            session, workspace_id=viewer.principal.workspace_id, data=data
        )
    except (HubwireError, ValidationError) as exc:
        return await _oauth_apps_page(request, session, viewer, status=422, error=_problem(exc))
    created = {
        "name": registered.app.name,
        "client_id": registered.app.id,
        "secret": registered.client_secret,
        "verb": "registered",
    }
    return await _oauth_apps_page(request, session, viewer, status=201, created=created)


@router.post("/oauth-apps/{app_id}/rotate-secret")
async def rotate_oauth_app_secret(
    request: Request, session: Session, viewer: AdminViewer, app_id: str
) -> Response:
    registered = await oauth_apps.rotate_secret(
        session, workspace_id=viewer.principal.workspace_id, app_id=app_id
    )
    created = {
        "name": registered.app.name,
        "client_id": registered.app.id,
        "secret": registered.client_secret,
        "verb": "given a new client secret",
    }
    return await _oauth_apps_page(request, session, viewer, created=created)


async def _authorized_page(
    request: Request, session: Session, viewer: Viewer, *, notice: str | None = None
) -> Response:
    assert viewer.principal.user_id is not None
    page = await consents.list(session, user_id=viewer.principal.user_id, params=_params(100))
    return render(
        request, "authorized_apps.html", viewer=viewer, authorizations=page.items, notice=notice
    )


@router.get("/authorized-apps")
async def authorized_apps(request: Request, session: Session, viewer: CurrentViewer) -> Response:
    """The apps this person authorized (every role: it is about their own access)."""
    return await _authorized_page(request, session, viewer)


@router.post("/authorized-apps/{consent_id}/revoke")
async def revoke_authorization(
    request: Request, session: Session, viewer: CurrentViewer, consent_id: str
) -> Response:
    assert viewer.principal.user_id is not None
    await consents.revoke(session, user_id=viewer.principal.user_id, consent_id=consent_id)
    return await _authorized_page(request, session, viewer, notice="Access revoked.")
