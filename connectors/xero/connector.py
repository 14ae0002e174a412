"""The Xero connector (docs/connectors/xero.md): Hubwire keeps the books in Xero.

Push only, through the official ``xero-python`` library (synchronous: each call runs in a
worker thread): a converted lead becomes a Contact, and so does a paying lead (the invoice
object's ``pushes_lead``: the engine pushes the lead before its payment); a succeeded
payment becomes a sales invoice (``ACCREC``, authorised) with a Payment against the
connection's bank account; each refund becomes a credit note (``ACCRECCREDIT``) refunded
from that account. Every create carries an ``Idempotency-Key`` derived from the Hubwire id
(and the refunded total), so a retried push never duplicates, even when the id map was not
saved the first time; a lead's contact is also found by its ``ContactNumber``.

One Hubwire connection is one Xero organisation: ``check`` reads Xero's ``/connections`` and
keeps the tenant (``settings.tenantId`` when set, else the organisation the consent just
connected); every call sends it as ``xero-tenant-id``."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from xero_python.accounting import (
    Account,
    AccountingApi,
    Contact,
    Contacts,
    CreditNote,
    CreditNotes,
    CurrencyCode,
    Invoice,
    Invoices,
    LineItem,
    Payment,
)
from xero_python.api_client import ApiClient
from xero_python.api_client.configuration import Configuration
from xero_python.api_client.oauth2 import OAuth2Token
from xero_python.exceptions import ApiException
from xero_python.identity import IdentityApi

from connectors.kit import (
    AuthFailed,
    CheckResult,
    ConnectionContext,
    Connector,
    ConnectorError,
    Direction,
    InboundChange,
    Manifest,
    OAuth2Auth,
    ObjectSpec,
    ProviderRateLimited,
    PushOutcome,
    PushResult,
    RateLimit,
    Record,
    Sandbox,
    Unsupported,
    WebhookEndpoint,
)

API_BASE = "https://api.xero.com"
SIGNATURE_HEADER = "x-xero-signature"
DEFAULT_SALES_ACCOUNT = "200"  # Xero's default chart: Sales
DEFAULT_BANK_ACCOUNT = "090"  # Xero's demo company: Business Bank Account
PAID = ("succeeded", "partially_refunded", "refunded")
T = TypeVar("T")

MANIFEST_SCOPES = (
    "openid",
    "profile",
    "email",
    "offline_access",
    "accounting.contacts",
    "accounting.transactions",
)

MANIFEST = Manifest(
    slug="xero",
    title="Xero",
    description=(
        "Keeps the books: converted leads as Xero contacts, succeeded payments as paid sales "
        "invoices, refunds as credit notes. One connection per Xero organisation."
    ),
    auth=OAuth2Auth(
        authorize_url="https://login.xero.com/identity/connect/authorize",
        token_url="https://identity.xero.com/connect/token",  # noqa: S106 - a URL
        scopes=MANIFEST_SCOPES,
    ),
    events=("lead.converted", "payment.completed", "payment.refunded"),
    objects=(
        ObjectSpec(
            "contact",
            Direction.PUSH,
            "Converted leads, and leads who pay, as Xero contacts.",
            hub_object="lead",
            events=("lead.converted",),
            batch_size=50,
        ),
        ObjectSpec(
            "invoice",
            Direction.PUSH,
            "Succeeded payments as paid sales invoices; refunds as credit notes.",
            hub_object="payment",
            events=("payment.completed", "payment.refunded"),
            batch_size=10,
            # A payment goes on its lead's contact, made first when the lead never converted.
            pushes_lead=True,
        ),
    ),
    # Per organisation: 60 calls a minute and 5,000 a day (and 5 at once, which the
    # connection's concurrency limit keeps below); the app's 10,000 a minute is far off.
    rate_limits=(
        RateLimit(60, 60, "connection"),
        RateLimit(5000, 86_400, "connection"),
        RateLimit(10_000, 60, "app"),
    ),
    webhooks=True,
    # The intent-to-receive handshake accepts exactly 200 for a good signature.
    webhook_status=200,
)


def _apis(connection: ConnectionContext) -> tuple[AccountingApi, IdentityApi]:
    # Valid for the library's own check: Hubwire's vault refreshed it if it was expiring.
    token = {
        "access_token": connection.credential("access_token"),
        "token_type": "Bearer",
        "scope": list(MANIFEST_SCOPES),
        "expires_in": 1800,
        "expires_at": time.time() + 1800,
    }
    client = ApiClient(
        Configuration(oauth2_token=OAuth2Token()),
        pool_threads=1,
        oauth2_token_getter=lambda: token,
        oauth2_token_saver=lambda _token: None,  # Hubwire's vault refreshes, not the library
    )
    base = (connection.base_url or API_BASE).rstrip("/")
    return AccountingApi(client, base_url=f"{base}/api.xro/2.0"), IdentityApi(client, base)


async def _call(connection: ConnectionContext, fn: Callable[..., T], *args: Any, **kw: Any) -> T:
    """One Xero call in a thread, after the rate budget; Xero's refusals as kit errors."""
    await connection.before_call()
    try:
        return await asyncio.to_thread(fn, *args, **kw)
    except ApiException as exc:
        raise _error(exc) from exc


def _error(exc: ApiException) -> ConnectorError:
    headers = exc.headers or {}
    if exc.status == 429:
        retry = headers.get("Retry-After")
        problem = headers.get("X-Rate-Limit-Problem", "minute")
        return ProviderRateLimited(f"Xero {problem} limit reached", float(retry) if retry else None)
    if exc.status in (401, 403):
        return AuthFailed(f"Xero refused the connection ({exc.status})")
    return ConnectorError(f"Xero answered {exc.status}: {_message(exc)}")


def _message(exc: ApiException) -> str:
    try:
        body = json.loads(exc.body or "{}")
    except ValueError:
        return str(exc.reason)
    messages = [
        e.get("Message")
        for element in body.get("Elements", [])
        for e in element.get("ValidationErrors", [])
    ]
    return "; ".join(m for m in messages if m) or str(body.get("Detail") or body.get("Message"))


class _NameTaken(ConnectorError):
    """Xero refused a contact: another contact has its name (names are unique)."""


def _tenant(connection: ConnectionContext) -> str:
    tenant = connection.settings.get("tenantId")
    if not isinstance(tenant, str) or not tenant:
        raise AuthFailed("the connection has no Xero organisation (tenantId): check it again")
    return tenant


def _money(minor: int) -> float:
    return round(minor / 100, 2)


def _currency(code: Any) -> Any:
    try:
        return CurrencyCode(str(code or "GBP").upper())
    except ValueError:
        raise ConnectorError(f"Xero does not know the currency {code!r}") from None


def _contact_name(fields: Mapping[str, Any]) -> str:
    for name in ("company", "name", "customer_name", "email", "customer_email"):
        value = fields.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()[:255]
    return "Hubwire customer"


class XeroConnector(Connector):
    manifest = MANIFEST

    async def check(self, connection: ConnectionContext) -> CheckResult:
        """Reads ``/connections``: the organisation is ``settings.tenantId`` when set, else
        the one the latest consent connected (the most recently updated connection)."""
        _, identity = _apis(connection)
        try:
            tenants = await _call(connection, identity.get_connections)
        except ConnectorError as exc:
            return CheckResult(ok=False, detail=str(exc))
        orgs = [t for t in tenants if t.tenant_type == "ORGANISATION"]
        wanted = connection.settings.get("tenantId")
        chosen = next((t for t in orgs if str(t.tenant_id) == wanted), None)
        if chosen is None and orgs:
            chosen = max(orgs, key=lambda t: str(t.updated_date_utc or t.created_date_utc))
        if chosen is None:
            return CheckResult(ok=False, detail="the consent connected no Xero organisation")
        return CheckResult(ok=True, account=str(chosen.tenant_id), detail=chosen.tenant_name)

    async def on_connect(
        self, connection: ConnectionContext, webhooks: WebhookEndpoint | None
    ) -> Mapping[str, Any]:
        """Keeps the organisation ``check`` chose as ``settings.tenantId``: every call names
        it. (Xero's webhooks are set up once for the app in its developer portal.)"""
        result = await self.check(connection)
        if not result.ok or not result.account:
            raise ConnectorError(result.detail or "no Xero organisation")
        return {"tenantId": result.account, "organisation": result.detail}

    async def push(
        self, connection: ConnectionContext, object_type: str, records: Sequence[Record]
    ) -> PushResult:
        if object_type not in ("contact", "invoice"):
            raise Unsupported(f"xero does not push {object_type}")
        accounting, _ = _apis(connection)
        tenant = _tenant(connection)
        outcomes = []
        for record in records:
            try:
                external: str | None
                if object_type == "contact":
                    external = await self._contact(connection, accounting, tenant, record)
                else:
                    external = await self._invoice(connection, accounting, tenant, record)
                outcomes.append(PushOutcome(record.hubwire_id, external))
            except ProviderRateLimited:
                raise  # the engine waits and retries the batch
            except ConnectorError as exc:
                outcomes.append(PushOutcome(record.hubwire_id, record.external_id, str(exc)))
        return PushResult(tuple(outcomes))

    async def _contact(
        self, connection: ConnectionContext, api: AccountingApi, tenant: str, record: Record
    ) -> str:
        """The lead's contact, made once: its ``ContactNumber`` (the field Xero keeps for an
        external system's id) is the lead's Hubwire id, so a create retried after Xero's
        idempotency window, or raced by another, finds the contact instead of making two."""
        if record.external_id:
            return record.external_id  # Xero keeps the contact; Hubwire does not edit it
        fields, number = record.fields, str(record.hubwire_id)
        contact = Contact(
            name=_contact_name(fields),
            contact_number=number,
            first_name=fields.get("first_name"),
            last_name=fields.get("last_name"),
            email_address=fields.get("email"),
        )
        key = f"hubwire-{number}-contact"
        try:
            return await self._create_contact(connection, api, tenant, contact, key)
        except _NameTaken:
            mine = await self._find_contact(connection, api, tenant, number, "contact_number")
            if mine is not None:
                return mine
        # Another contact has the name (names are unique in Xero): this lead's is told apart.
        contact.name = f"{contact.name[: 255 - len(number) - 3]} ({number})"
        return await self._create_contact(connection, api, tenant, contact, f"{key}-renamed")

    async def _create_contact(
        self,
        connection: ConnectionContext,
        api: AccountingApi,
        tenant: str,
        contact: Contact,
        key: str,
    ) -> str:
        try:
            made = await _call(
                connection,
                api.create_contacts,
                tenant,
                Contacts(contacts=[contact]),
                idempotency_key=key,
            )
        except ConnectorError as exc:
            if "already assigned to another contact" in str(exc):
                raise _NameTaken(str(exc)) from exc
            raise
        return str(made.contacts[0].contact_id)

    async def _find_contact(
        self,
        connection: ConnectionContext,
        api: AccountingApi,
        tenant: str,
        value: str,
        attribute: str,
    ) -> str | None:
        """The contact whose ``attribute`` (``contact_number``, ``name``) is ``value``, found
        with Xero's ``searchTerm`` (case-insensitive, any of the contact's names and numbers)
        and checked exactly here."""
        found = await _call(connection, api.get_contacts, tenant, search_term=value)
        wanted = value.casefold()
        return next(
            (
                str(c.contact_id)
                for c in found.contacts or []
                if str(getattr(c, attribute) or "").casefold() == wanted
            ),
            None,
        )

    async def _invoice(
        self, connection: ConnectionContext, api: AccountingApi, tenant: str, record: Record
    ) -> str | None:
        fields = record.fields
        if fields.get("status") not in PAID:
            return record.external_id  # pending or failed: nothing to book
        key = f"hubwire-{record.hubwire_id}"
        bank = str(connection.settings.get("bankAccountCode") or DEFAULT_BANK_ACCOUNT)
        sales = str(connection.settings.get("salesAccountCode") or DEFAULT_SALES_ACCOUNT)
        currency = _currency(fields.get("currency"))
        line = LineItem(
            description=str(fields.get("description") or f"Payment {fields.get('provider_id')}"),
            quantity=1.0,
            unit_amount=_money(int(fields.get("amount") or 0)),
            account_code=sales,
        )
        contact_id: str = record.related.get("lead") or await self._customer(
            connection, api, tenant, record
        )
        invoice_id = record.external_id
        if invoice_id is None:
            made = await _call(
                connection,
                api.create_invoices,
                tenant,
                Invoices(
                    invoices=[
                        Invoice(
                            type="ACCREC",
                            contact=Contact(contact_id=contact_id),
                            line_items=[line],
                            currency_code=currency,
                            status="AUTHORISED",
                            reference=key,
                            date=date.today(),
                            due_date=date.today(),
                        )
                    ]
                ),
                idempotency_key=f"{key}-invoice",
            )
            invoice_id = str(made.invoices[0].invoice_id)
            await _call(
                connection,
                api.create_payment,
                tenant,
                Payment(
                    invoice=Invoice(invoice_id=invoice_id),
                    account=Account(code=bank),
                    amount=line.unit_amount,
                    date=date.today(),
                ),
                idempotency_key=f"{key}-payment",
            )
        refunded = int(fields.get("refunded_amount") or 0)
        if refunded:
            await self._refund(connection, api, tenant, record, contact_id, bank, sales, refunded)
        return invoice_id

    async def _refund(
        self,
        connection: ConnectionContext,
        api: AccountingApi,
        tenant: str,
        record: Record,
        contact_id: str,
        bank: str,
        sales: str,
        refunded: int,
    ) -> None:
        """Credit notes for what was refunded and is not credited yet (their reference
        names the payment), each refunded in cash from the bank account."""
        reference = f"hubwire-{record.hubwire_id}-refund"
        existing = await _call(
            connection, api.get_credit_notes, tenant, where=f'Reference=="{reference}"'
        )
        credited = round(sum(float(n.total or 0) for n in existing.credit_notes or []) * 100)
        delta = refunded - credited
        if delta <= 0:
            return
        made = await _call(
            connection,
            api.create_credit_notes,
            tenant,
            CreditNotes(
                credit_notes=[
                    CreditNote(
                        type="ACCRECCREDIT",
                        contact=Contact(contact_id=contact_id),
                        line_items=[
                            LineItem(
                                description="Refund",
                                quantity=1.0,
                                unit_amount=_money(delta),
                                account_code=sales,
                            )
                        ],
                        currency_code=_currency(record.fields.get("currency")),
                        status="AUTHORISED",
                        reference=reference,
                        date=date.today(),
                    )
                ]
            ),
            idempotency_key=f"{reference}-{refunded}",
        )
        note_id = made.credit_notes[0].credit_note_id
        await _call(
            connection,
            api.create_payment,
            tenant,
            Payment(
                credit_note=CreditNote(credit_note_id=note_id),
                account=Account(code=bank),
                amount=_money(delta),
                date=date.today(),
            ),
            idempotency_key=f"{reference}-{refunded}-payment",
        )

    async def _customer(
        self, connection: ConnectionContext, api: AccountingApi, tenant: str, record: Record
    ) -> str:
        """A contact for a payment without a lead (the customer's name): the contact of that
        name when Xero has one (Xero's own rule when a document names its contact), else a
        new one."""
        contact = Contact(
            name=_contact_name(record.fields), email_address=record.fields.get("customer_email")
        )
        key = f"hubwire-{record.hubwire_id}-customer"
        try:
            return await self._create_contact(connection, api, tenant, contact, key)
        except _NameTaken as taken:
            found = await self._find_contact(connection, api, tenant, contact.name, "name")
            if found is None:  # not among the search's matches: the refusal stands
                raise ConnectorError(str(taken)) from taken
            return found

    def verify_webhook(self, headers: Mapping[str, str], body: bytes, secret: str) -> bool:
        """``x-xero-signature``: base64 HMAC-SHA256 of the raw body with the webhook key."""
        given = next((v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER), "")
        expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
        return bool(given) and hmac.compare_digest(given.encode(), expected)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> list[InboundChange]:
        """Hubwire pushes to Xero and pulls nothing back: a verified event (the
        intent-to-receive handshake has none) is acknowledged and changes nothing."""
        return []

    def sandbox(self) -> Sandbox | None:
        from connectors.xero.sandbox import (
            DEFAULT_CLIENT_ID,
            DEFAULT_CLIENT_SECRET,
            DEFAULT_WEBHOOK_KEY,
            SandboxConfig,
            create_sandbox,
            set_webhook_target,
        )

        return Sandbox(
            create_app=lambda: create_sandbox(SandboxConfig()),
            client_id=DEFAULT_CLIENT_ID,
            client_secret=DEFAULT_CLIENT_SECRET,
            set_webhook_target=set_webhook_target,
            signing_secret=DEFAULT_WEBHOOK_KEY,
        )
