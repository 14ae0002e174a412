"""The Xero sandbox: identity (login.xero.com / identity.xero.com: PKCE authorization code,
30-minute access tokens, single-use rotating refresh tokens whose reuse revokes the grant),
``/connections`` (the organisations a grant reaches), the Accounting API calls Hubwire makes
(Contacts, Invoices, Payments, CreditNotes) with ``xero-tenant-id`` and ``Idempotency-Key``,
Xero's limits (60 a minute, 5 concurrent, 5,000 a day per organisation; ``Retry-After`` and
``X-Rate-Limit-Problem``), and webhooks signed ``x-xero-signature`` with the
intent-to-receive handshake. Admin surface under ``/_sandbox``."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse

from connectors.kit.sandboxes import SlidingWindowLimiter, consent_page

DEFAULT_CLIENT_ID = "HUBWIRESANDBOXXEROCLIENT00000000"
DEFAULT_CLIENT_SECRET = "xero-sandbox-client-secret"  # noqa: S105 - a sandbox secret
DEFAULT_WEBHOOK_KEY = "xero-sandbox-webhook-key"
ACCESS_TOKEN_SECONDS = 1800
IDEMPOTENCY_SECONDS = 86_400
API = "/api.xro/2.0"


@dataclass(frozen=True)
class SandboxConfig:
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    webhook_key: str = DEFAULT_WEBHOOK_KEY
    organisations: tuple[str, ...] = ("Sandbox Bakery Ltd",)
    minute_limit: int = 60
    day_limit: int = 5000
    concurrent_limit: int = 5
    webhook_url: str | None = None
    clock: Callable[[], float] = field(default=time.time)


@dataclass
class Grant:
    """One consent: its tokens; a spent refresh token used again revokes all of it."""

    id: str
    scope: str
    access: set[str] = field(default_factory=set)
    refresh: str = ""
    spent: set[str] = field(default_factory=set)
    revoked: bool = False


class XeroError(Exception):
    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None):
        super().__init__(str(body))
        self.status, self.body, self.headers = status, body, headers or {}


def _validation(message: str) -> XeroError:
    return XeroError(
        400,
        {
            "ErrorNumber": 10,
            "Type": "ValidationException",
            "Message": "A validation exception occurred",
            "Elements": [{"ValidationErrors": [{"Message": message}]}],
        },
    )


def _problem(status: int, title: str, detail: str) -> XeroError:
    return XeroError(
        status,
        {
            "Type": None,
            "Title": title,
            "Status": status,
            "Detail": detail,
            "Instance": str(uuid.uuid4()),
        },
    )


def _date(clock: Callable[[], float]) -> str:
    # Xero's JSON dates: "/Date(1700000000000+0000)/".
    return f"/Date({int(clock() * 1000)}+0000)/"


class Sandbox:
    def __init__(self, config: SandboxConfig) -> None:
        self.config = config
        clock = config.clock
        self.clock = clock
        self.codes: dict[str, dict[str, str]] = {}
        self.grants: dict[str, Grant] = {}
        self.token_expiry: dict[str, float] = {}
        self.tenants = [
            {
                "id": str(uuid.uuid4()),
                "authEventId": "",
                "tenantId": str(uuid.uuid4()),
                "tenantType": "ORGANISATION",
                "tenantName": name,
                "createdDateUtc": datetime.now(UTC).isoformat(),
                "updatedDateUtc": datetime.now(UTC).isoformat(),
            }
            for name in config.organisations
        ]
        self.contacts: dict[str, dict[str, Any]] = {}
        self.invoices: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, dict[str, Any]] = {}
        self.credit_notes: dict[str, dict[str, Any]] = {}
        # (resource, Idempotency-Key) -> (when, first answer); Xero keeps a key 24 hours.
        self.idempotent: dict[tuple[str, str], tuple[float, Any]] = {}
        self.minute = SlidingWindowLimiter(config.minute_limit, 60.0, clock)
        self.day = SlidingWindowLimiter(config.day_limit, 86_400.0, clock)
        self.in_flight: dict[str, int] = {}
        self.refreshes = 0
        self.requests = 0
        self.rate_limited = 0
        self.deliveries: list[dict[str, Any]] = []
        # Writes to a resource (``Contacts``) whose answer is lost after Xero made them.
        self.lose: dict[str, int] = {}

    def tenant(self, tenant_id: str) -> dict[str, Any] | None:
        return next((t for t in self.tenants if t["tenantId"] == tenant_id), None)

    def issue(self, grant: Grant) -> dict[str, Any]:
        access = f"xero-at-{secrets.token_urlsafe(24)}"
        grant.access.add(access)
        self.token_expiry[access] = self.clock() + ACCESS_TOKEN_SECONDS
        grant.refresh = f"xero-rt-{secrets.token_urlsafe(24)}"
        return {
            "id_token": "eyJ.sandbox.idtoken",
            "access_token": access,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "token_type": "Bearer",
            "refresh_token": grant.refresh,
            "scope": grant.scope,
        }

    def grant_of_access(self, token: str) -> Grant | None:
        return next((g for g in self.grants.values() if token in g.access), None)

    async def send_webhook(self, events: list[dict[str, Any]], *, key: str | None = None) -> int:
        body = json.dumps(
            {
                "events": events,
                "firstEventSequence": 1 if events else 0,
                "lastEventSequence": len(events),
                "entropy": secrets.token_hex(10).upper(),
            }
        )
        mac = hmac.new((key or self.config.webhook_key).encode(), body.encode(), hashlib.sha256)
        headers = {
            "content-type": "application/json",
            "x-xero-signature": base64.b64encode(mac.digest()).decode(),
        }
        record: dict[str, Any] = {"headers": headers, "body": body, "status": None}
        self.deliveries.append(record)
        if self.config.webhook_url:
            async with httpx.AsyncClient(timeout=10) as client:
                answer = await client.post(self.config.webhook_url, content=body, headers=headers)
            record["status"] = answer.status_code
        return len(self.deliveries) - 1


def create_sandbox(config: SandboxConfig | None = None) -> FastAPI:
    cfg = config or SandboxConfig()
    box = Sandbox(cfg)
    app = FastAPI(title="Xero sandbox", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.sandbox = box

    @app.exception_handler(XeroError)
    async def _xero_error(_: Request, exc: XeroError) -> JSONResponse:
        return JSONResponse(exc.body, status_code=exc.status, headers=exc.headers)

    def _oauth_error(error: str) -> JSONResponse:
        return JSONResponse({"error": error}, status_code=400)

    def _bearer(request: Request) -> Grant:
        header = request.headers.get("authorization", "")
        token = header[7:] if header.lower().startswith("bearer ") else ""
        grant = box.grant_of_access(token)
        if grant is None or grant.revoked:
            raise _problem(401, "Unauthorized", "AuthenticationUnsuccessful")
        if box.token_expiry.get(token, 0) < box.clock():
            raise _problem(401, "Unauthorized", "TokenExpired: token expired at ...")
        return grant

    # --- identity --------------------------------------------------------------------

    @app.get("/identity/connect/authorize", response_class=HTMLResponse, name="xero_authorize")
    async def authorize(request: Request) -> HTMLResponse:
        q = request.query_params
        if q.get("client_id") != cfg.client_id:
            return HTMLResponse("<h1>unauthorized_client</h1>", status_code=400)
        if q.get("response_type") != "code" or not q.get("redirect_uri"):
            return HTMLResponse("<h1>invalid_request</h1>", status_code=400)
        if q.get("code_challenge_method", "S256") != "S256" or not q.get("code_challenge"):
            return HTMLResponse("<h1>invalid_request: code_challenge</h1>", status_code=400)
        fields = {
            k: q.get(k, "")
            for k in ("client_id", "redirect_uri", "scope", "state", "code_challenge")
        }
        page = consent_page(
            provider="Xero",
            account="owner@sandbox-bakery.example",
            client_id=cfg.client_id,
            scope=fields["scope"],
            action=str(request.url_for("xero_decide")),
            fields=fields,
        )
        return HTMLResponse(page)

    @app.post("/identity/connect/authorize", name="xero_decide")
    async def decide(request: Request) -> Response:
        form = {k: str(v) for k, v in (await request.form()).items()}
        redirect_uri = form.get("redirect_uri", "")
        params: dict[str, str] = {}
        if form.get("decision") == "approve":
            code = secrets.token_urlsafe(24)
            box.codes[code] = form
            params["code"] = code
        else:
            params["error"] = "access_denied"
        params["state"] = form.get("state", "")
        return RedirectResponse(f"{redirect_uri}?{urlencode(params)}", status_code=302)

    @app.post("/connect/token")
    async def token(request: Request) -> JSONResponse:
        form = {k: str(v) for k, v in (await request.form()).items()}
        client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        basic = request.headers.get("authorization", "")
        if basic.lower().startswith("basic "):
            client_id, _, secret = base64.b64decode(basic[6:]).decode().partition(":")
        if client_id != cfg.client_id or secret != cfg.client_secret:
            return _oauth_error("invalid_client")
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            code = box.codes.pop(form.get("code", ""), None)
            if code is None or code["redirect_uri"] != form.get("redirect_uri"):
                return _oauth_error("invalid_grant")
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).decode().rstrip("=")
            if challenge != code["code_challenge"]:
                return _oauth_error("invalid_grant")
            grant = Grant(id=str(uuid.uuid4()), scope=code.get("scope", ""))
            box.grants[grant.id] = grant
            for tenant in box.tenants:
                tenant["authEventId"] = grant.id
            return JSONResponse(box.issue(grant))
        if grant_type == "refresh_token":
            refresh = form.get("refresh_token", "")
            for grant in box.grants.values():
                if refresh in grant.spent:
                    # A reused refresh token: Xero revokes the whole grant.
                    grant.revoked = True
                    return _oauth_error("invalid_grant")
                if refresh == grant.refresh and not grant.revoked:
                    box.refreshes += 1
                    grant.spent.add(refresh)
                    return JSONResponse(box.issue(grant))
            return _oauth_error("invalid_grant")
        return _oauth_error("unsupported_grant_type")

    # Xero's paths are case-insensitive: the docs say /connections, xero-python /Connections.
    @app.get("/Connections")
    @app.get("/connections")
    async def connections(request: Request) -> list[dict[str, Any]]:
        _bearer(request)
        return box.tenants

    # --- Accounting API ---------------------------------------------------------------

    @app.middleware("http")
    async def limits(request: Request, call_next: Any) -> Any:
        path = request.url.path.removeprefix(request.scope.get("root_path", ""))
        if not path.startswith(API):
            return await call_next(request)
        box.requests += 1
        tenant_id = request.headers.get("xero-tenant-id", "")
        try:
            _bearer(request)
        except XeroError as exc:
            return JSONResponse(exc.body, status_code=exc.status)
        if box.tenant(tenant_id) is None:
            body = _problem(403, "Forbidden", "AuthenticationUnsuccessful").body
            return JSONResponse(body, status_code=403)
        problem, retry = None, 0
        day_left = minute_left = 0
        if box.in_flight.get(tenant_id, 0) >= cfg.concurrent_limit:
            problem, retry = "concurrent", 1
        else:
            day = box.day.hit(tenant_id)
            minute = box.minute.hit(tenant_id) if day.allowed else day
            if not day.allowed:
                problem, retry = "daily", int(day.retry_after or 1)
            elif not minute.allowed:
                problem, retry = "minute", max(1, int(minute.retry_after or 1))
            day_left, minute_left = day.remaining, minute.remaining
        if problem:
            box.rate_limited += 1
            return JSONResponse(
                {"Title": "Too Many Requests", "Status": 429},
                status_code=429,
                headers={"Retry-After": str(retry), "X-Rate-Limit-Problem": problem},
            )
        box.in_flight[tenant_id] = box.in_flight.get(tenant_id, 0) + 1
        try:
            await asyncio.sleep(0)
            response = await call_next(request)
        finally:
            box.in_flight[tenant_id] -= 1
        resource = path.removeprefix(API).strip("/").split("/")[0]
        if request.method in ("PUT", "POST") and box.lose.get(resource, 0) > 0:
            # Xero did the work; the answer never reached the caller.
            box.lose[resource] -= 1
            return JSONResponse({"Title": "Gateway Timeout", "Status": 504}, status_code=504)
        response.headers["X-DayLimit-Remaining"] = str(day_left)
        response.headers["X-MinLimit-Remaining"] = str(minute_left)
        return response

    async def _body(request: Request, key: str) -> list[dict[str, Any]]:
        try:
            parsed = json.loads(await request.body())
        except ValueError:
            raise _validation("The request body is not valid JSON") from None
        if isinstance(parsed, dict) and isinstance(parsed.get(key), list):
            return list(parsed[key])
        if isinstance(parsed, dict):
            return [parsed]
        raise _validation(f"Expected {key}")

    def _replay(request: Request, path: str) -> tuple[str, str] | None:
        key = request.headers.get("idempotency-key")
        return (path, key) if key else None

    def _replayed(slot: tuple[str, str] | None) -> Any:
        """The first answer to this key, while Xero keeps it (24 hours)."""
        kept = box.idempotent.get(slot) if slot is not None else None
        if kept is None or box.clock() - kept[0] >= IDEMPOTENCY_SECONDS:
            return None
        return kept[1]

    def _remember(slot: tuple[str, str] | None, body: Any) -> Any:
        if slot is not None:
            box.idempotent[slot] = (box.clock(), body)
        return body

    @app.api_route(f"{API}/Contacts", methods=["PUT", "POST"])
    async def contacts(request: Request) -> Any:
        slot = _replay(request, "Contacts")
        if (replayed := _replayed(slot)) is not None:
            return replayed
        made = []
        for item in await _body(request, "Contacts"):
            name = str(item.get("Name") or "").strip()
            if not name:
                raise _validation("The contact name must be specified.")
            if len(name) > 255:
                raise _validation("The contact name must be 255 characters or less.")
            number = item.get("ContactNumber")
            if number is not None and len(str(number)) > 50:
                raise _validation("The Contact Number must be 50 characters or less.")
            if any(c["Name"].lower() == name.lower() for c in box.contacts.values()):
                raise _validation(
                    f"The contact name {name} is already assigned to another contact. The "
                    "contact name must be unique across all active contacts."
                )
            contact = {
                "ContactID": str(uuid.uuid4()),
                "ContactStatus": "ACTIVE",
                "Name": name,
                "ContactNumber": number,
                "FirstName": item.get("FirstName"),
                "LastName": item.get("LastName"),
                "EmailAddress": item.get("EmailAddress"),
                "Phones": item.get("Phones", []),
                "UpdatedDateUTC": _date(box.clock),
            }
            box.contacts[contact["ContactID"]] = contact
            made.append(contact)
        return _remember(slot, {"Id": str(uuid.uuid4()), "Status": "OK", "Contacts": made})

    @app.get(f"{API}/Contacts")
    async def list_contacts(request: Request) -> Any:
        """``searchTerm``: case-insensitive text search across Name, FirstName, LastName,
        ContactNumber and EmailAddress; pages of up to 100 (``page``), as Xero's."""
        q = request.query_params
        if q.get("where"):
            raise _validation(f"The where clause is not supported by the sandbox: {q['where']}")
        term = (q.get("searchTerm") or "").casefold()
        searched = ("Name", "FirstName", "LastName", "ContactNumber", "EmailAddress")
        rows = [
            c
            for c in box.contacts.values()
            if not term or any(term in str(c.get(f) or "").casefold() for f in searched)
        ]
        page = max(1, int(q.get("page") or 1))
        return {"Contacts": rows[(page - 1) * 100 : page * 100]}

    def _contact_of(item: dict[str, Any]) -> dict[str, Any]:
        ref = item.get("Contact") or {}
        contact = box.contacts.get(str(ref.get("ContactID", "")))
        if contact is None:
            raise _validation("A Contact must be specified with this type of transaction")
        return contact

    @app.api_route(f"{API}/Invoices", methods=["PUT", "POST"])
    async def invoices(request: Request) -> Any:
        slot = _replay(request, "Invoices")
        if (replayed := _replayed(slot)) is not None:
            return replayed
        made = []
        for item in await _body(request, "Invoices"):
            if item.get("Type") not in ("ACCREC", "ACCPAY"):
                raise _validation("Invoice Type must be specified")
            contact = _contact_of(item)
            lines = item.get("LineItems") or []
            if not lines:
                raise _validation("At least one line item must be specified")
            for line in lines:
                if not line.get("AccountCode"):
                    raise _validation("Account code must be specified")
            total = round(
                sum(float(li.get("UnitAmount", 0)) * float(li.get("Quantity", 1)) for li in lines),
                2,
            )
            invoice = {
                "InvoiceID": str(uuid.uuid4()),
                "InvoiceNumber": f"INV-{len(box.invoices) + 1:04d}",
                "Type": item["Type"],
                "Contact": {"ContactID": contact["ContactID"], "Name": contact["Name"]},
                "Status": item.get("Status", "DRAFT"),
                "CurrencyCode": item.get("CurrencyCode", "GBP"),
                "Reference": item.get("Reference"),
                "LineItems": lines,
                "Total": total,
                "AmountDue": total,
                "AmountPaid": 0.0,
                "AmountCredited": 0.0,
                "Payments": [],
                "CreditNotes": [],
                "UpdatedDateUTC": _date(box.clock),
            }
            box.invoices[invoice["InvoiceID"]] = invoice
            made.append(invoice)
        return _remember(slot, {"Id": str(uuid.uuid4()), "Status": "OK", "Invoices": made})

    @app.get(f"{API}/Invoices/{{invoice_id}}")
    async def get_invoice(invoice_id: str) -> Any:
        invoice = box.invoices.get(invoice_id)
        if invoice is None:
            raise _problem(404, "NotFound", "The resource you're looking for cannot be found")
        return {"Invoices": [invoice]}

    @app.api_route(f"{API}/Payments", methods=["PUT", "POST"])
    async def payments(request: Request) -> Any:
        slot = _replay(request, "Payments")
        if (replayed := _replayed(slot)) is not None:
            return replayed
        made = []
        for item in await _body(request, "Payments"):
            amount = round(float(item.get("Amount", 0)), 2)
            if not (item.get("Account") or {}).get("Code") and not (item.get("Account") or {}).get(
                "AccountID"
            ):
                raise _validation("You must specify an Account for this payment")
            target_id = (item.get("Invoice") or {}).get("InvoiceID")
            credit_id = (item.get("CreditNote") or {}).get("CreditNoteID")
            doc = (
                box.invoices.get(str(target_id))
                if target_id
                else box.credit_notes.get(str(credit_id))
            )
            if doc is None:
                raise _validation("You must specify an Invoice or CreditNote for this payment")
            if doc.get("Status") != "AUTHORISED":
                raise _validation("Payment can only be made against Authorised documents")
            due = doc["AmountDue"] if "AmountDue" in doc else doc["RemainingCredit"]
            if amount <= 0 or amount > due + 1e-9:
                raise _validation("Payment amount exceeds the amount outstanding on this document")
            payment: dict[str, Any] = {
                "PaymentID": str(uuid.uuid4()),
                "Amount": amount,
                "Status": "AUTHORISED",
                "PaymentType": "ACCRECPAYMENT" if target_id else "ARCREDITPAYMENT",
                "Invoice": {"InvoiceID": target_id} if target_id else None,
                "CreditNote": {"CreditNoteID": credit_id} if credit_id else None,
            }
            box.payments[payment["PaymentID"]] = payment
            if target_id:
                doc["AmountPaid"] = round(doc["AmountPaid"] + amount, 2)
                doc["AmountDue"] = round(doc["AmountDue"] - amount, 2)
                doc["Payments"].append({"PaymentID": payment["PaymentID"], "Amount": amount})
                if doc["AmountDue"] <= 0:
                    doc["Status"] = "PAID"
            else:
                doc["RemainingCredit"] = round(doc["RemainingCredit"] - amount, 2)
                doc["Payments"].append({"PaymentID": payment["PaymentID"], "Amount": amount})
                if doc["RemainingCredit"] <= 0:
                    doc["Status"] = "PAID"
            made.append(payment)
        return _remember(slot, {"Id": str(uuid.uuid4()), "Status": "OK", "Payments": made})

    @app.api_route(f"{API}/CreditNotes", methods=["PUT", "POST"])
    async def credit_notes(request: Request) -> Any:
        slot = _replay(request, "CreditNotes")
        if (replayed := _replayed(slot)) is not None:
            return replayed
        made = []
        for item in await _body(request, "CreditNotes"):
            if item.get("Type") not in ("ACCRECCREDIT", "ACCPAYCREDIT"):
                raise _validation("CreditNote Type must be specified")
            contact = _contact_of(item)
            lines = item.get("LineItems") or []
            total = round(
                sum(float(li.get("UnitAmount", 0)) * float(li.get("Quantity", 1)) for li in lines),
                2,
            )
            note = {
                "CreditNoteID": str(uuid.uuid4()),
                "CreditNoteNumber": f"CN-{len(box.credit_notes) + 1:04d}",
                "Type": item["Type"],
                "Contact": {"ContactID": contact["ContactID"], "Name": contact["Name"]},
                "Status": item.get("Status", "DRAFT"),
                "CurrencyCode": item.get("CurrencyCode", "GBP"),
                "Reference": item.get("Reference"),
                "LineItems": lines,
                "Total": total,
                "RemainingCredit": total,
                "Allocations": [],
                "Payments": [],
            }
            box.credit_notes[note["CreditNoteID"]] = note
            made.append(note)
        return _remember(slot, {"Id": str(uuid.uuid4()), "Status": "OK", "CreditNotes": made})

    @app.get(f"{API}/CreditNotes")
    async def list_credit_notes(request: Request) -> Any:
        """``where=Reference=="…"`` only (the filter Hubwire uses)."""
        where = request.query_params.get("where", "")
        rows = list(box.credit_notes.values())
        if where:
            if not (where.startswith('Reference=="') and where.endswith('"')):
                raise _validation(f"The where clause is not supported by the sandbox: {where}")
            wanted = where[len('Reference=="') : -1]
            rows = [n for n in rows if n.get("Reference") == wanted]
        return {"CreditNotes": rows}

    @app.api_route(f"{API}/CreditNotes/{{note_id}}/Allocations", methods=["PUT", "POST"])
    async def allocate(note_id: str, request: Request) -> Any:
        note = box.credit_notes.get(note_id)
        if note is None:
            raise _problem(404, "NotFound", "The resource you're looking for cannot be found")
        made = []
        for item in await _body(request, "Allocations"):
            invoice = box.invoices.get(str((item.get("Invoice") or {}).get("InvoiceID")))
            amount = round(float(item.get("Amount", 0)), 2)
            if invoice is None:
                raise _validation("Invoice could not be found")
            if amount > invoice["AmountDue"] + 1e-9 or amount > note["RemainingCredit"] + 1e-9:
                raise _validation("The amount being allocated exceeds the amount outstanding")
            invoice["AmountDue"] = round(invoice["AmountDue"] - amount, 2)
            invoice["AmountCredited"] = round(invoice["AmountCredited"] + amount, 2)
            note["RemainingCredit"] = round(note["RemainingCredit"] - amount, 2)
            note["Allocations"].append(
                {"Amount": amount, "Invoice": {"InvoiceID": invoice["InvoiceID"]}}
            )
            made.append(item)
        return {"Allocations": made}

    # --- admin -------------------------------------------------------------------------

    @app.post("/_sandbox/webhooks")
    async def webhook(request: Request) -> dict[str, Any]:
        """Sends Xero webhook events (``events``: [] is the intent-to-receive handshake);
        ``badKey`` signs with a wrong key, as Xero's handshake also does."""
        body = json.loads(await request.body() or b"{}")
        index = await box.send_webhook(
            list(body.get("events", [])), key="wrong-key" if body.get("badKey") else None
        )
        return box.deliveries[index]

    @app.post("/_sandbox/lose", status_code=204)
    async def lose(request: Request) -> Response:
        """``{"resource": "Contacts", "times": 1}``: the next writes to it are made, and
        their answers lost (a 504), as when a connection drops after Xero committed."""
        body = json.loads(await request.body() or b"{}")
        box.lose[str(body["resource"])] = int(body.get("times", 1))
        return Response(status_code=204)

    @app.get("/_sandbox/state")
    async def state() -> dict[str, Any]:
        return {
            "contacts": list(box.contacts.values()),
            "invoices": list(box.invoices.values()),
            "payments": list(box.payments.values()),
            "creditNotes": list(box.credit_notes.values()),
            "refreshes": box.refreshes,
            "revoked": [g.id for g in box.grants.values() if g.revoked],
            "rateLimited": box.rate_limited,
            "tenants": box.tenants,
        }

    @app.post("/_sandbox/expire", status_code=204)
    async def expire() -> Response:
        """Every access token expires now (Xero's last 30 minutes)."""
        for token in box.token_expiry:
            box.token_expiry[token] = 0
        return Response(status_code=204)

    return app


def set_webhook_target(app: FastAPI, url: str) -> None:
    """``make run``: the app's webhook (set once in Xero's developer portal) is Hubwire's."""
    sandbox: Sandbox = app.state.sandbox
    sandbox.config = replace(sandbox.config, webhook_url=url)
