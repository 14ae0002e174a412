"""Resource namespaces of :class:`hubwire.Hubwire` over the generated operations.

:class:`hubwire.AsyncHubwire`'s, in ``_async_resources.py``, are generated from this file by
``sdk/python/unasync.py`` (``make sdk-python``): a method becomes ``async`` unless it returns a
``Paginator``, and a call of an ``Operation`` or of an async method is awaited."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Literal, cast

from ._base import (
    Operation,
    Paginator,
    list_params,
    new_idempotency_key,
    to_body,
    to_date,
    transport_errors,
    without_none,
)
from ._generated.api.appointments import (
    create_appointment as _create_appointment,
)
from ._generated.api.appointments import (
    get_appointment as _get_appointment,
)
from ._generated.api.appointments import (
    list_appointments as _list_appointments,
)
from ._generated.api.appointments import (
    update_appointment as _update_appointment,
)
from ._generated.api.calls import (
    analyse_call as _analyse_call,
)
from ._generated.api.calls import create_call as _create_call
from ._generated.api.calls import get_call as _get_call
from ._generated.api.calls import list_calls as _list_calls
from ._generated.api.calls import update_call as _update_call
from ._generated.api.calls import (
    upload_transcript as _upload_transcript,
)
from ._generated.api.chat import get_session as _get_session
from ._generated.api.chat import (
    list_messages as _list_messages,
)
from ._generated.api.chat import list_sessions as _list_sessions
from ._generated.api.chat import post_message as _post_message
from ._generated.api.connections import (
    all_connections_period_stats as _workspace_period_stats,
)
from ._generated.api.connections import create_connection as _create_connection
from ._generated.api.connections import delete_connection as _delete_connection
from ._generated.api.connections import get_connection as _get_connection
from ._generated.api.connections import (
    get_connection_metrics as _connection_metrics,
)
from ._generated.api.connections import (
    get_connection_period_stats as _connection_period_stats,
)
from ._generated.api.connections import (
    list_connection_logs as _list_connection_logs,
)
from ._generated.api.connections import list_connections as _list_connections
from ._generated.api.connections import reconnect_connection as _reconnect_connection
from ._generated.api.connections import sync_connection as _sync_connection
from ._generated.api.connections import test_connection as _test_connection
from ._generated.api.connections import update_connection as _update_connection
from ._generated.api.events import get_event as _get_event
from ._generated.api.events import list_events as _list_events
from ._generated.api.jobs import get_job as _get_job
from ._generated.api.jobs import list_jobs as _list_jobs
from ._generated.api.leads import create_lead as _create_lead
from ._generated.api.leads import delete_lead as _delete_lead
from ._generated.api.leads import get_lead as _get_lead
from ._generated.api.leads import list_leads as _list_leads
from ._generated.api.leads import update_lead as _update_lead
from ._generated.api.payments import (
    create_payment as _create_payment,
)
from ._generated.api.payments import (
    get_payment as _get_payment,
)
from ._generated.api.payments import (
    list_payments as _list_payments,
)
from ._generated.api.payments import (
    update_payment as _update_payment,
)
from ._generated.api.webhooks import create_webhook as _create_webhook
from ._generated.api.webhooks import (
    delete_webhook as _delete_webhook,
)
from ._generated.api.webhooks import (
    get_delivery as _get_delivery,
)
from ._generated.api.webhooks import get_webhook as _get_webhook
from ._generated.api.webhooks import (
    get_webhook_secret as _get_secret,
)
from ._generated.api.webhooks import (
    list_deliveries as _list_deliveries,
)
from ._generated.api.webhooks import list_event_types as _event_types
from ._generated.api.webhooks import list_webhooks as _list_webhooks
from ._generated.api.webhooks import (
    recover_webhook as _recover,
)
from ._generated.api.webhooks import (
    retry_delivery as _retry_delivery,
)
from ._generated.api.webhooks import (
    rotate_webhook_secret as _rotate_secret,
)
from ._generated.api.webhooks import test_webhook as _test
from ._generated.api.webhooks import (
    update_webhook as _update_webhook,
)
from ._generated.client import AuthenticatedClient
from ._generated.models import (
    AnalysisRequest,
    AppointmentCreate,
    AppointmentOut,
    AppointmentUpdate,
    CallCreate,
    CallOut,
    CallUpdate,
    ChatMessageCreate,
    ChatMessageOut,
    ChatSessionOut,
    ConnectionCreate,
    ConnectionCreated,
    ConnectionMetrics,
    ConnectionOut,
    ConnectionPeriodStats,
    ConnectionsPeriodStats,
    ConnectionTestOut,
    ConnectionUpdate,
    DeliveryDetail,
    DeliveryOut,
    EventCatalogOut,
    EventOut,
    JobOut,
    JobQueued,
    LeadCreate,
    LeadOut,
    LeadUpdate,
    PageLeadOut,
    PaymentCreate,
    PaymentOut,
    PaymentUpdate,
    ReconnectRequest,
    RecoverInput,
    RecoverOut,
    SyncLogOut,
    SyncRequest,
    TestResult,
    TranscriptUpload,
    WebhookCreate,
    WebhookOut,
    WebhookSecretOut,
    WebhookUpdate,
    WebhookWithSecret,
)
from ._generated.types import UNSET

Body = Mapping[str, Any] | None
LeadStatus = Literal["new", "contacted", "qualified", "converted", "rejected"]
ConnectionStatus = Literal["pending", "active", "paused", "error", "reauthorization_required"]
LogKind = Literal["push", "pull", "webhook", "auth", "test"]
LogLevel = Literal["info", "warning", "error"]
Day = datetime.date | str


class _Resource:
    def __init__(self, api: AuthenticatedClient) -> None:
        self._api = api

    def _call(self, fn: Operation, *args: Any, **kwargs: Any) -> Any:
        with transport_errors():
            return fn(*args, client=self._api, **kwargs).parsed

    def _pages(self, fn: Operation, *args: Any, page_size: int, **filters: Any) -> Paginator[Any]:
        # ``limit`` is the API's name for the page size; ``page_size`` is this SDK's older
        # one, kept working. Given both, they must agree.
        limit = filters.pop("limit", None)
        if limit is not None:
            if page_size not in (20, limit):
                raise TypeError("give the page size once: limit (or the older page_size)")
            page_size = int(limit)
        params = list_params(filters)

        def fetch(cursor: str | None) -> Any:
            return self._call(fn, *args, limit=page_size, cursor=cursor or UNSET, **params)

        return Paginator(fetch)


class Leads(_Resource):
    def create(
        self, data: LeadCreate | Body = None, *, idempotency_key: str | None = None, **fields: Any
    ) -> LeadOut:
        """Creates a lead: ``client.leads.create(email="ada@example.com", name="Ada")``."""
        body = to_body(LeadCreate, data, fields)
        key = new_idempotency_key(idempotency_key)
        return cast(LeadOut, self._call(_create_lead.sync_detailed, body=body, idempotency_key=key))

    def get(self, lead_id: str, *, fields: str | None = None) -> LeadOut:
        return cast(LeadOut, self._call(_get_lead.sync_detailed, lead_id, fields=fields or UNSET))

    def update(self, lead_id: str, data: LeadUpdate | Body = None, **fields: Any) -> LeadOut:
        """Changes only the fields given: ``client.leads.update(id, status="qualified")``."""
        body = to_body(LeadUpdate, data, fields)
        return cast(LeadOut, self._call(_update_lead.sync_detailed, lead_id, body=body))

    def delete(self, lead_id: str) -> None:
        self._call(_delete_lead.sync_detailed, lead_id)

    def list(
        self,
        *,
        status: LeadStatus | None = None,
        source: str | None = None,
        email: str | None = None,
        tag: str | None = None,
        search: str | None = None,
        created_after: datetime.datetime | None = None,
        created_before: datetime.datetime | None = None,
        sort: str | None = None,
        fields: str | None = None,
        limit: int | None = None,
        page_size: int = 20,
    ) -> Paginator[LeadOut]:
        """Every matching lead, fetched ``limit`` (or ``page_size``) at a time as you iterate."""
        return cast(
            Paginator[LeadOut],
            self._pages(
                _list_leads.sync_detailed,
                page_size=page_size,
                limit=limit,
                status=status,
                source=source,
                email=email,
                tag=tag,
                search=search,
                created_after=created_after,
                created_before=created_before,
                sort=sort,
                fields=fields,
            ),
        )

    def page(self, *, cursor: str | None = None, limit: int = 20, **filters: Any) -> PageLeadOut:
        """One page, for callers that keep the cursor themselves."""
        params = list_params(filters)
        return cast(
            PageLeadOut,
            self._call(_list_leads.sync_detailed, limit=limit, cursor=cursor or UNSET, **params),
        )


class Calls(_Resource):
    def create(
        self, data: CallCreate | Body = None, *, idempotency_key: str | None = None, **fields: Any
    ) -> CallOut:
        body = to_body(CallCreate, data, fields)
        key = new_idempotency_key(idempotency_key)
        return cast(CallOut, self._call(_create_call.sync_detailed, body=body, idempotency_key=key))

    def get(self, call_id: str, *, fields: str | None = None) -> CallOut:
        return cast(CallOut, self._call(_get_call.sync_detailed, call_id, fields=fields or UNSET))

    def update(self, call_id: str, data: CallUpdate | Body = None, **fields: Any) -> CallOut:
        body = to_body(CallUpdate, data, fields)
        return cast(CallOut, self._call(_update_call.sync_detailed, call_id, body=body))

    def list(self, *, page_size: int = 20, **filters: Any) -> Paginator[CallOut]:
        """Filters: ``status``, ``direction``, ``outcome``, ``lead_id``, ``started_after``, …"""
        return cast(
            Paginator[CallOut],
            self._pages(_list_calls.sync_detailed, page_size=page_size, **filters),
        )

    def upload_transcript(
        self,
        call_id: str,
        data: TranscriptUpload | Body = None,
        *,
        idempotency_key: str | None = None,
        **fields: Any,
    ) -> CallOut:
        body = to_body(TranscriptUpload, data, fields)
        key = new_idempotency_key(idempotency_key)
        return cast(
            CallOut,
            self._call(_upload_transcript.sync_detailed, call_id, body=body, idempotency_key=key),
        )

    def analyse(
        self,
        call_id: str,
        data: AnalysisRequest | Body = None,
        *,
        idempotency_key: str | None = None,
        **fields: Any,
    ) -> JobQueued:
        body = to_body(AnalysisRequest, data, fields) if data is not None or fields else UNSET
        key = new_idempotency_key(idempotency_key)
        return cast(
            JobQueued,
            self._call(_analyse_call.sync_detailed, call_id, body=body, idempotency_key=key),
        )


class Appointments(_Resource):
    def create(
        self,
        data: AppointmentCreate | Body = None,
        *,
        idempotency_key: str | None = None,
        **fields: Any,
    ) -> AppointmentOut:
        """Books one: ``client.appointments.create(starts_at=…, ends_at=…, lead_id=…)``."""
        body = to_body(AppointmentCreate, data, fields)
        key = new_idempotency_key(idempotency_key)
        return cast(
            AppointmentOut,
            self._call(_create_appointment.sync_detailed, body=body, idempotency_key=key),
        )

    def get(self, appointment_id: str, *, fields: str | None = None) -> AppointmentOut:
        return cast(
            AppointmentOut,
            self._call(_get_appointment.sync_detailed, appointment_id, fields=fields or UNSET),
        )

    def update(
        self, appointment_id: str, data: AppointmentUpdate | Body = None, **fields: Any
    ) -> AppointmentOut:
        """Moving ``starts_at``/``ends_at`` reschedules; ``status="canceled"`` cancels."""
        body = to_body(AppointmentUpdate, data, fields)
        return cast(
            AppointmentOut,
            self._call(_update_appointment.sync_detailed, appointment_id, body=body),
        )

    def list(self, *, page_size: int = 20, **filters: Any) -> Paginator[AppointmentOut]:
        """Filters: ``lead_id``, ``status``, ``source``, ``starts_after``, ``starts_before``, …"""
        return cast(
            Paginator[AppointmentOut],
            self._pages(_list_appointments.sync_detailed, page_size=page_size, **filters),
        )


class Payments(_Resource):
    def create(
        self,
        data: PaymentCreate | Body = None,
        *,
        idempotency_key: str | None = None,
        **fields: Any,
    ) -> PaymentOut:
        """Records one: ``client.payments.create(amount=4900, currency="EUR", …)``."""
        body = to_body(PaymentCreate, data, fields)
        key = new_idempotency_key(idempotency_key)
        return cast(
            PaymentOut,
            self._call(_create_payment.sync_detailed, body=body, idempotency_key=key),
        )

    def get(self, payment_id: str, *, fields: str | None = None) -> PaymentOut:
        return cast(
            PaymentOut,
            self._call(_get_payment.sync_detailed, payment_id, fields=fields or UNSET),
        )

    def update(
        self, payment_id: str, data: PaymentUpdate | Body = None, **fields: Any
    ) -> PaymentOut:
        """``status="succeeded"`` completes it; a growing ``refunded_amount`` refunds it."""
        body = to_body(PaymentUpdate, data, fields)
        return cast(
            PaymentOut,
            self._call(_update_payment.sync_detailed, payment_id, body=body),
        )

    def list(self, *, page_size: int = 20, **filters: Any) -> Paginator[PaymentOut]:
        """Filters: ``lead_id``, ``status``, ``provider``, ``currency``, ``occurred_after``, …"""
        return cast(
            Paginator[PaymentOut],
            self._pages(_list_payments.sync_detailed, page_size=page_size, **filters),
        )


class Chat(_Resource):
    def send_message(
        self,
        data: ChatMessageCreate | Body = None,
        *,
        idempotency_key: str | None = None,
        **fields: Any,
    ) -> ChatMessageOut:
        body = to_body(ChatMessageCreate, data, fields)
        key = new_idempotency_key(idempotency_key)
        return cast(
            ChatMessageOut,
            self._call(_post_message.sync_detailed, body=body, idempotency_key=key),
        )

    def list_sessions(self, *, page_size: int = 20, **filters: Any) -> Paginator[ChatSessionOut]:
        return cast(
            Paginator[ChatSessionOut],
            self._pages(_list_sessions.sync_detailed, page_size=page_size, **filters),
        )

    def get_session(self, session_id: str, *, fields: str | None = None) -> ChatSessionOut:
        return cast(
            ChatSessionOut,
            self._call(_get_session.sync_detailed, session_id, fields=fields or UNSET),
        )

    def list_messages(
        self, session_id: str, *, page_size: int = 20, **filters: Any
    ) -> Paginator[ChatMessageOut]:
        return cast(
            Paginator[ChatMessageOut],
            self._pages(_list_messages.sync_detailed, session_id, page_size=page_size, **filters),
        )


class Webhooks(_Resource):
    def create(
        self,
        data: WebhookCreate | Body = None,
        *,
        idempotency_key: str | None = None,
        **fields: Any,
    ) -> WebhookWithSecret:
        """Subscribes a URL; the result carries the signing ``secret`` (shown once)."""
        body = to_body(WebhookCreate, data, fields)
        key = new_idempotency_key(idempotency_key)
        return cast(
            WebhookWithSecret,
            self._call(_create_webhook.sync_detailed, body=body, idempotency_key=key),
        )

    def get(self, webhook_id: str, *, fields: str | None = None) -> WebhookOut:
        return cast(
            WebhookOut, self._call(_get_webhook.sync_detailed, webhook_id, fields=fields or UNSET)
        )

    def update(
        self, webhook_id: str, data: WebhookUpdate | Body = None, **fields: Any
    ) -> WebhookOut:
        body = to_body(WebhookUpdate, data, fields)
        return cast(WebhookOut, self._call(_update_webhook.sync_detailed, webhook_id, body=body))

    def delete(self, webhook_id: str) -> None:
        self._call(_delete_webhook.sync_detailed, webhook_id)

    def list(self, *, page_size: int = 20, **filters: Any) -> Paginator[WebhookOut]:
        return cast(
            Paginator[WebhookOut],
            self._pages(_list_webhooks.sync_detailed, page_size=page_size, **filters),
        )

    def get_secret(self, webhook_id: str) -> WebhookSecretOut:
        return cast(WebhookSecretOut, self._call(_get_secret.sync_detailed, webhook_id))

    def rotate_secret(
        self, webhook_id: str, *, idempotency_key: str | None = None
    ) -> WebhookSecretOut:
        key = new_idempotency_key(idempotency_key)
        return cast(
            WebhookSecretOut,
            self._call(_rotate_secret.sync_detailed, webhook_id, idempotency_key=key),
        )

    def test(self, webhook_id: str, *, idempotency_key: str | None = None) -> TestResult:
        """Sends a ``webhook.test`` event now and reports the attempt."""
        key = new_idempotency_key(idempotency_key)
        return cast(TestResult, self._call(_test.sync_detailed, webhook_id, idempotency_key=key))

    def list_deliveries(
        self, webhook_id: str, *, page_size: int = 20, **filters: Any
    ) -> Paginator[DeliveryOut]:
        return cast(
            Paginator[DeliveryOut],
            self._pages(_list_deliveries.sync_detailed, webhook_id, page_size=page_size, **filters),
        )

    def get_delivery(self, webhook_id: str, delivery_id: str) -> DeliveryDetail:
        return cast(
            DeliveryDetail, self._call(_get_delivery.sync_detailed, webhook_id, delivery_id)
        )

    def retry_delivery(
        self, webhook_id: str, delivery_id: str, *, idempotency_key: str | None = None
    ) -> DeliveryOut:
        key = new_idempotency_key(idempotency_key)
        return cast(
            DeliveryOut,
            self._call(_retry_delivery.sync_detailed, webhook_id, delivery_id, idempotency_key=key),
        )

    def recover(
        self,
        webhook_id: str,
        data: RecoverInput | Body = None,
        *,
        idempotency_key: str | None = None,
        **fields: Any,
    ) -> RecoverOut:
        body = to_body(RecoverInput, data, fields)
        key = new_idempotency_key(idempotency_key)
        return cast(
            RecoverOut,
            self._call(_recover.sync_detailed, webhook_id, body=body, idempotency_key=key),
        )

    def event_types(self) -> EventCatalogOut:
        """The catalog of event types a subscription may name."""
        return cast(EventCatalogOut, self._call(_event_types.sync_detailed))


class Connections(_Resource):
    def create(
        self,
        connector: str,
        *,
        name: str | None = None,
        redirect_url: str | None = None,
        api_key: str | None = None,
        settings: Mapping[str, Any] | None = None,
        concurrency_limit: int | None = None,
        idempotency_key: str | None = None,
    ) -> ConnectionCreated:
        """Connects a provider account: ``client.connections.create("acme", api_key="…")``.

        An API-key connection is ``active`` at once; an OAuth one is ``pending`` until the
        user approves at the result's ``authorize_url``."""
        fields = without_none(
            {
                "connector": connector,
                "name": name,
                "redirect_url": redirect_url,
                "api_key": api_key,
                "settings": settings,
                "concurrency_limit": concurrency_limit,
            }
        )
        body = to_body(ConnectionCreate, None, fields)
        key = new_idempotency_key(idempotency_key)
        return cast(
            ConnectionCreated,
            self._call(_create_connection.sync_detailed, body=body, idempotency_key=key),
        )

    def get(self, connection_id: str, *, fields: str | None = None) -> ConnectionOut:
        return cast(
            ConnectionOut,
            self._call(_get_connection.sync_detailed, connection_id, fields=fields or UNSET),
        )

    def list(
        self,
        *,
        connector: str | None = None,
        status: ConnectionStatus | None = None,
        created_after: datetime.datetime | None = None,
        created_before: datetime.datetime | None = None,
        sort: str | None = None,
        fields: str | None = None,
        limit: int | None = None,
        page_size: int = 20,
    ) -> Paginator[ConnectionOut]:
        return cast(
            Paginator[ConnectionOut],
            self._pages(
                _list_connections.sync_detailed,
                page_size=page_size,
                limit=limit,
                connector=connector,
                status=status,
                created_after=created_after,
                created_before=created_before,
                sort=sort,
                fields=fields,
            ),
        )

    def update(
        self, connection_id: str, data: ConnectionUpdate | Body = None, **fields: Any
    ) -> ConnectionOut:
        """Changes only the fields given: ``name``, ``status`` (``"paused"``/``"active"``),
        ``concurrency_limit``, ``field_mapping``, ``settings``."""
        body = to_body(ConnectionUpdate, data, fields)
        return cast(
            ConnectionOut, self._call(_update_connection.sync_detailed, connection_id, body=body)
        )

    def pause(self, connection_id: str) -> ConnectionOut:
        """Stops syncing; push work keeps queueing until :meth:`resume`."""
        return self.update(connection_id, status="paused")

    def resume(self, connection_id: str) -> ConnectionOut:
        """Syncs again, pushing the work that queued while paused."""
        return self.update(connection_id, status="active")

    def delete(self, connection_id: str) -> None:
        """Disconnects: deletes the connection, its credentials and its sync state."""
        self._call(_delete_connection.sync_detailed, connection_id)

    def reconnect(
        self,
        connection_id: str,
        *,
        redirect_url: str | None = None,
        idempotency_key: str | None = None,
    ) -> ConnectionCreated:
        """A new consent for an OAuth connection whose grant stopped working: send the user
        to the result's ``authorize_url``; the connection keeps its id and sync state."""
        body = to_body(ReconnectRequest, None, without_none({"redirect_url": redirect_url}))
        key = new_idempotency_key(idempotency_key)
        return cast(
            ConnectionCreated,
            self._call(
                _reconnect_connection.sync_detailed, connection_id, body=body, idempotency_key=key
            ),
        )

    def test(self, connection_id: str, *, idempotency_key: str | None = None) -> ConnectionTestOut:
        """Checks the stored credentials with the provider now; ``ok`` says how it went."""
        key = new_idempotency_key(idempotency_key)
        return cast(
            ConnectionTestOut,
            self._call(_test_connection.sync_detailed, connection_id, idempotency_key=key),
        )

    def sync(
        self,
        connection_id: str,
        *,
        full: bool = False,
        object: str | None = None,
        idempotency_key: str | None = None,
    ) -> JobQueued:
        """Queues a ``connection.sync`` job; poll it with ``client.jobs.get(job.job_id)``.
        ``full``: pull everything and push every lead and call (a backfill); ``object``:
        only that provider object."""
        key = new_idempotency_key(idempotency_key)
        body = SyncRequest(full=full, object_=object if object is not None else UNSET)
        return cast(
            JobQueued,
            self._call(
                _sync_connection.sync_detailed, connection_id, body=body, idempotency_key=key
            ),
        )

    def logs(
        self,
        connection_id: str,
        *,
        kind: LogKind | None = None,
        level: LogLevel | None = None,
        created_after: datetime.datetime | None = None,
        created_before: datetime.datetime | None = None,
        sort: str | None = None,
        fields: str | None = None,
        limit: int | None = None,
        page_size: int = 20,
    ) -> Paginator[SyncLogOut]:
        """The connection's sync log, newest first."""
        return cast(
            Paginator[SyncLogOut],
            self._pages(
                _list_connection_logs.sync_detailed,
                connection_id,
                page_size=page_size,
                limit=limit,
                kind=kind,
                level=level,
                created_after=created_after,
                created_before=created_before,
                sort=sort,
                fields=fields,
            ),
        )

    def metrics(self, connection_id: str) -> ConnectionMetrics:
        return cast(ConnectionMetrics, self._call(_connection_metrics.sync_detailed, connection_id))

    def period_stats(
        self, connection_id: str, start_date: Day, end_date: Day
    ) -> ConnectionPeriodStats:
        """Per UTC day from ``start_date`` to ``end_date`` (both included, at most 366 days);
        dates or ``"YYYY-MM-DD"``."""
        return cast(
            ConnectionPeriodStats,
            self._call(
                _connection_period_stats.sync_detailed,
                connection_id,
                start_date=to_date(start_date),
                end_date=to_date(end_date),
            ),
        )

    def workspace_period_stats(self, start_date: Day, end_date: Day) -> ConnectionsPeriodStats:
        """:meth:`period_stats` summed over every connection, with each one's totals."""
        return cast(
            ConnectionsPeriodStats,
            self._call(
                _workspace_period_stats.sync_detailed,
                start_date=to_date(start_date),
                end_date=to_date(end_date),
            ),
        )


class Events(_Resource):
    def list(self, *, page_size: int = 20, **filters: Any) -> Paginator[EventOut]:
        """Filters: ``type``, ``created_after``, ``created_before``, ``sort``."""
        return cast(
            Paginator[EventOut],
            self._pages(_list_events.sync_detailed, page_size=page_size, **filters),
        )

    def get(self, event_id: str, *, fields: str | None = None) -> EventOut:
        return cast(
            EventOut, self._call(_get_event.sync_detailed, event_id, fields=fields or UNSET)
        )


class Jobs(_Resource):
    def list(self, *, page_size: int = 20, **filters: Any) -> Paginator[JobOut]:
        return cast(
            Paginator[JobOut], self._pages(_list_jobs.sync_detailed, page_size=page_size, **filters)
        )

    def get(self, job_id: str, *, fields: str | None = None) -> JobOut:
        return cast(JobOut, self._call(_get_job.sync_detailed, job_id, fields=fields or UNSET))
