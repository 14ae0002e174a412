import { createClient, createConfig, type Client } from "./generated/client/index.js";
import * as api from "./generated/sdk.gen.js";
import type * as t from "./generated/types.gen.js";
import { APIConnectionError, HubwireError, errorFromResponse } from "./errors.js";
import { Paginator, type Page } from "./pagination.js";
import { retryingFetch, type RetryInfo } from "./retry.js";

export const DEFAULT_BASE_URL = "http://127.0.0.1:8000";
export const DEFAULT_TIMEOUT = 30_000;

export interface HubwireOptions {
  /** Defaults to `process.env.HUBWIRE_API_KEY`. */
  apiKey?: string;
  /** Defaults to `process.env.HUBWIRE_BASE_URL`, then `http://127.0.0.1:8000`. */
  baseUrl?: string;
  /** Per attempt, in milliseconds (default 30 000). */
  timeout?: number;
  /** Retries of 408/429/5xx and connection failures (default 2). */
  maxRetries?: number;
  /** A `Retry-After` beyond this many seconds is thrown at once (default 60). */
  maxRetryAfter?: number;
  /** Called before each retry. */
  onRetry?: (info: RetryInfo) => void;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** The underlying fetch (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

/** Per-call options for POSTs. */
export interface PostOptions {
  /** Sent as `Idempotency-Key`; by default one is generated per call. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ListOptions {
  /** Items per page (1–100, default 20): the API's `limit`. */
  limit?: number;
  /** @deprecated The older name of `limit`, kept working. */
  pageSize?: number;
  sort?: string;
  fields?: string;
}

export interface PageOptions {
  cursor?: string;
  limit?: number;
  offset?: number;
  sort?: string;
  fields?: string;
}

type Query<D> = D extends { query?: infer Q } ? NonNullable<Q> : never;
type Filters<D> = Omit<Query<D>, "limit" | "offset" | "cursor" | "sort" | "fields">;

/** What a generated operation returns when it throws on errors. */
interface Result<T> {
  data: T;
}

function clean(query: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== null));
}

function postHeaders(options: PostOptions | undefined): Record<string, string> | undefined {
  return options?.idempotencyKey ? { "Idempotency-Key": options.idempotencyKey } : undefined;
}

abstract class Resource {
  constructor(protected readonly api: Client) {}

  protected async call<T>(promise: Promise<unknown>): Promise<T> {
    return ((await promise) as Result<T>).data;
  }

  protected paginate<T>(
    fetchPage: (query: Record<string, unknown>) => Promise<unknown>,
    options: ListOptions,
  ): Paginator<T> {
    // `limit` is the API's name for the page size; `pageSize` is the older one, kept working.
    const { limit, pageSize, ...filters } = options;
    if (limit !== undefined && pageSize !== undefined && limit !== pageSize) {
      throw new TypeError("give the page size once: limit (or the older pageSize)");
    }
    const size = limit ?? pageSize ?? 20;
    return new Paginator<T>((cursor) =>
      this.call<Page<T>>(fetchPage(clean({ ...filters, limit: size, cursor }))),
    );
  }
}

export class Leads extends Resource {
  /** `await client.leads.create({ email: "ada@example.com", name: "Ada" })` */
  create(body: t.LeadCreate, options?: PostOptions): Promise<t.LeadOut> {
    return this.call(
      api.createLead({ client: this.api, body, headers: postHeaders(options), signal: options?.signal }),
    );
  }

  get(leadId: string, options: { fields?: string } = {}): Promise<t.LeadOut> {
    return this.call(api.getLead({ client: this.api, path: { leadId: leadId }, query: clean(options) }));
  }

  /** Changes only the fields given. */
  update(leadId: string, body: t.LeadUpdate): Promise<t.LeadOut> {
    return this.call(api.updateLead({ client: this.api, path: { leadId: leadId }, body }));
  }

  async delete(leadId: string): Promise<void> {
    await this.call(api.deleteLead({ client: this.api, path: { leadId: leadId } }));
  }

  /** `for await (const lead of client.leads.list({ status: "new" }))` — every page. */
  list(options: ListOptions & Filters<t.ListLeadsData> = {}): Paginator<t.LeadOut> {
    return this.paginate((query) => api.listLeads({ client: this.api, query }), options);
  }

  /** One page, for callers that keep the cursor themselves. */
  page(options: PageOptions & Filters<t.ListLeadsData> = {}): Promise<t.PageLeadOut> {
    return this.call(api.listLeads({ client: this.api, query: clean(options) }));
  }
}

export class Appointments extends Resource {
  create(body: t.AppointmentCreate, options?: PostOptions): Promise<t.AppointmentOut> {
    return this.call(
      api.createAppointment({ client: this.api, body, headers: postHeaders(options), signal: options?.signal }),
    );
  }

  get(appointmentId: string, options: { fields?: string } = {}): Promise<t.AppointmentOut> {
    return this.call(
      api.getAppointment({ client: this.api, path: { appointmentId: appointmentId }, query: clean(options) }),
    );
  }

  /** Moving `startsAt`/`endsAt` reschedules; `status: "canceled"` cancels. */
  update(appointmentId: string, body: t.AppointmentUpdate): Promise<t.AppointmentOut> {
    return this.call(api.updateAppointment({ client: this.api, path: { appointmentId: appointmentId }, body }));
  }

  list(options: ListOptions & Filters<t.ListAppointmentsData> = {}): Paginator<t.AppointmentOut> {
    return this.paginate((query) => api.listAppointments({ client: this.api, query }), options);
  }
}

export class Payments extends Resource {
  create(body: t.PaymentCreate, options?: PostOptions): Promise<t.PaymentOut> {
    return this.call(
      api.createPayment({ client: this.api, body, headers: postHeaders(options), signal: options?.signal }),
    );
  }

  get(paymentId: string, options: { fields?: string } = {}): Promise<t.PaymentOut> {
    return this.call(
      api.getPayment({ client: this.api, path: { paymentId: paymentId }, query: clean(options) }),
    );
  }

  /** `status: "succeeded"` completes it; a growing `refundedAmount` refunds it. */
  update(paymentId: string, body: t.PaymentUpdate): Promise<t.PaymentOut> {
    return this.call(api.updatePayment({ client: this.api, path: { paymentId: paymentId }, body }));
  }

  list(options: ListOptions & Filters<t.ListPaymentsData> = {}): Paginator<t.PaymentOut> {
    return this.paginate((query) => api.listPayments({ client: this.api, query }), options);
  }
}

export class Calls extends Resource {
  create(body: t.CallCreate, options?: PostOptions): Promise<t.CallOut> {
    return this.call(
      api.createCall({ client: this.api, body, headers: postHeaders(options), signal: options?.signal }),
    );
  }

  get(callId: string, options: { fields?: string } = {}): Promise<t.CallOut> {
    return this.call(api.getCall({ client: this.api, path: { callId: callId }, query: clean(options) }));
  }

  update(callId: string, body: t.CallUpdate): Promise<t.CallOut> {
    return this.call(api.updateCall({ client: this.api, path: { callId: callId }, body }));
  }

  list(options: ListOptions & Filters<t.ListCallsData> = {}): Paginator<t.CallOut> {
    return this.paginate((query) => api.listCalls({ client: this.api, query }), options);
  }

  uploadTranscript(callId: string, body: t.TranscriptUpload, options?: PostOptions): Promise<t.CallOut> {
    return this.call(
      api.uploadTranscript({
        client: this.api,
        path: { callId: callId },
        body,
        headers: postHeaders(options),
      }),
    );
  }

  analyse(callId: string, body?: t.AnalysisRequest, options?: PostOptions): Promise<t.JobQueued> {
    return this.call(
      api.analyseCall({ client: this.api, path: { callId: callId }, body, headers: postHeaders(options) }),
    );
  }
}

export class Chat extends Resource {
  sendMessage(body: t.ChatMessageCreate, options?: PostOptions): Promise<t.ChatMessageOut> {
    return this.call(api.postMessage({ client: this.api, body, headers: postHeaders(options) }));
  }

  listSessions(options: ListOptions & Filters<t.ListSessionsData> = {}): Paginator<t.ChatSessionOut> {
    return this.paginate((query) => api.listSessions({ client: this.api, query }), options);
  }

  getSession(sessionId: string): Promise<t.ChatSessionOut> {
    return this.call(api.getSession({ client: this.api, path: { sessionId: sessionId } }));
  }

  listMessages(sessionId: string, options: ListOptions = {}): Paginator<t.ChatMessageOut> {
    return this.paginate(
      (query) => api.listMessages({ client: this.api, path: { sessionId: sessionId }, query }),
      options,
    );
  }
}

export class Webhooks extends Resource {
  /** Subscribes a URL; the response carries the `whsec_` signing secret. */
  create(body: t.WebhookCreate, options?: PostOptions): Promise<t.WebhookWithSecret> {
    return this.call(api.createWebhook({ client: this.api, body, headers: postHeaders(options) }));
  }

  get(webhookId: string): Promise<t.WebhookOut> {
    return this.call(api.getWebhook({ client: this.api, path: { webhookId: webhookId } }));
  }

  update(webhookId: string, body: t.WebhookUpdate): Promise<t.WebhookOut> {
    return this.call(api.updateWebhook({ client: this.api, path: { webhookId: webhookId }, body }));
  }

  async delete(webhookId: string): Promise<void> {
    await this.call(api.deleteWebhook({ client: this.api, path: { webhookId: webhookId } }));
  }

  list(options: ListOptions & Filters<t.ListWebhooksData> = {}): Paginator<t.WebhookOut> {
    return this.paginate((query) => api.listWebhooks({ client: this.api, query }), options);
  }

  getSecret(webhookId: string): Promise<t.WebhookSecretOut> {
    return this.call(api.getWebhookSecret({ client: this.api, path: { webhookId: webhookId } }));
  }

  rotateSecret(webhookId: string, options?: PostOptions): Promise<t.WebhookSecretOut> {
    return this.call(
      api.rotateWebhookSecret({
        client: this.api,
        path: { webhookId: webhookId },
        headers: postHeaders(options),
      }),
    );
  }

  /** Sends a signed `webhook.test` event to the URL now. */
  test(webhookId: string, options?: PostOptions): Promise<t.TestResult> {
    return this.call(
      api.testWebhook({ client: this.api, path: { webhookId: webhookId }, headers: postHeaders(options) }),
    );
  }

  listDeliveries(
    webhookId: string,
    options: ListOptions & Filters<t.ListDeliveriesData> = {},
  ): Paginator<t.DeliveryOut> {
    return this.paginate(
      (query) => api.listDeliveries({ client: this.api, path: { webhookId: webhookId }, query }),
      options,
    );
  }

  getDelivery(webhookId: string, deliveryId: string): Promise<t.DeliveryDetail> {
    return this.call(
      api.getDelivery({ client: this.api, path: { webhookId: webhookId, deliveryId: deliveryId } }),
    );
  }

  retryDelivery(webhookId: string, deliveryId: string, options?: PostOptions): Promise<t.DeliveryOut> {
    return this.call(
      api.retryDelivery({
        client: this.api,
        path: { webhookId: webhookId, deliveryId: deliveryId },
        headers: postHeaders(options),
      }),
    );
  }

  recover(webhookId: string, body: t.RecoverInput, options?: PostOptions): Promise<t.RecoverOut> {
    return this.call(
      api.recoverWebhook({ client: this.api, path: { webhookId: webhookId }, body, headers: postHeaders(options) }),
    );
  }

  /** The catalog of event types a subscription may name. */
  eventTypes(): Promise<t.EventCatalogOut> {
    return this.call(api.listEventTypes({ client: this.api }));
  }
}

/** A day: `"YYYY-MM-DD"`, or a `Date` (its UTC day). */
export type Day = string | Date;

function day(value: Day): string {
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}

export class Connections extends Resource {
  /**
   * Connects a provider account: `await client.connections.create({ connector: "acme", apiKey: "…" })`.
   * An API-key connection is `active` at once; an OAuth one is `pending` until the user
   * approves at the response's `authorizeUrl`.
   */
  create(body: t.ConnectionCreate, options?: PostOptions): Promise<t.ConnectionCreated> {
    return this.call(
      api.createConnection({ client: this.api, body, headers: postHeaders(options), signal: options?.signal }),
    );
  }

  get(connectionId: string, options: { fields?: string } = {}): Promise<t.ConnectionOut> {
    return this.call(
      api.getConnection({ client: this.api, path: { connectionId: connectionId }, query: clean(options) }),
    );
  }

  /** `for await (const c of client.connections.list({ connector: "acme", status: "active" }))` */
  list(options: ListOptions & Filters<t.ListConnectionsData> = {}): Paginator<t.ConnectionOut> {
    return this.paginate((query) => api.listConnections({ client: this.api, query }), options);
  }

  /** Changes only the fields given: `name`, `status`, `concurrencyLimit`, `fieldMapping`, `settings`. */
  update(connectionId: string, body: t.ConnectionUpdate): Promise<t.ConnectionOut> {
    return this.call(api.updateConnection({ client: this.api, path: { connectionId: connectionId }, body }));
  }

  /** Stops syncing; push work keeps queueing until {@link resume}. */
  pause(connectionId: string): Promise<t.ConnectionOut> {
    return this.update(connectionId, { status: "paused" });
  }

  /** Syncs again, pushing the work that queued while paused. */
  resume(connectionId: string): Promise<t.ConnectionOut> {
    return this.update(connectionId, { status: "active" });
  }

  /** Disconnects: deletes the connection, its credentials and its sync state. */
  async delete(connectionId: string): Promise<void> {
    await this.call(api.deleteConnection({ client: this.api, path: { connectionId: connectionId } }));
  }

  /**
   * A new consent for an OAuth connection whose grant stopped working: send the user to the
   * result's `authorizeUrl`; the connection keeps its id and its sync state.
   */
  reconnect(connectionId: string, body: t.ReconnectRequest = {}, options?: PostOptions): Promise<t.ConnectionCreated> {
    return this.call(
      api.reconnectConnection({
        client: this.api,
        path: { connectionId: connectionId },
        body,
        headers: postHeaders(options),
        signal: options?.signal,
      }),
    );
  }

  /** Checks the stored credentials with the provider now; `ok` says how it went. */
  test(connectionId: string, options?: PostOptions): Promise<t.ConnectionTestOut> {
    return this.call(
      api.testConnection({
        client: this.api,
        path: { connectionId: connectionId },
        headers: postHeaders(options),
        signal: options?.signal,
      }),
    );
  }

  /**
   * Queues a `connection.sync` job; poll it with `client.jobs.get(job.jobId)`.
   * `{full: true}` pulls everything and pushes every lead and call (a backfill); `object`
   * limits it to one provider object.
   */
  sync(connectionId: string, body: t.SyncRequest = {}, options?: PostOptions): Promise<t.JobQueued> {
    return this.call(
      api.syncConnection({
        client: this.api,
        path: { connectionId: connectionId },
        body,
        headers: postHeaders(options),
        signal: options?.signal,
      }),
    );
  }

  /** The connection's sync log, newest first; filters `kind`, `level`, `createdAfter`, `createdBefore`. */
  logs(connectionId: string, options: ListOptions & Filters<t.ListConnectionLogsData> = {}): Paginator<t.SyncLogOut> {
    return this.paginate(
      (query) => api.listConnectionLogs({ client: this.api, path: { connectionId: connectionId }, query }),
      options,
    );
  }

  metrics(connectionId: string): Promise<t.ConnectionMetrics> {
    return this.call(api.getConnectionMetrics({ client: this.api, path: { connectionId: connectionId } }));
  }

  /** Per UTC day from `startDate` to `endDate` (both included, at most 366 days). */
  periodStats(connectionId: string, startDate: Day, endDate: Day): Promise<t.ConnectionPeriodStats> {
    return this.call(
      api.getConnectionPeriodStats({
        client: this.api,
        path: { connectionId: connectionId },
        query: { startDate: day(startDate), endDate: day(endDate) },
      }),
    );
  }

  /** {@link periodStats} summed over every connection of the workspace, with each one's totals. */
  workspacePeriodStats(startDate: Day, endDate: Day): Promise<t.ConnectionsPeriodStats> {
    return this.call(
      api.allConnectionsPeriodStats({
        client: this.api,
        query: { startDate: day(startDate), endDate: day(endDate) },
      }),
    );
  }
}

export class Events extends Resource {
  list(options: ListOptions & Filters<t.ListEventsData> = {}): Paginator<t.EventOut> {
    return this.paginate((query) => api.listEvents({ client: this.api, query }), options);
  }

  get(eventId: string): Promise<t.EventOut> {
    return this.call(api.getEvent({ client: this.api, path: { eventId: eventId } }));
  }
}

export class Jobs extends Resource {
  list(options: ListOptions & Filters<t.ListJobsData> = {}): Paginator<t.JobOut> {
    return this.paginate((query) => api.listJobs({ client: this.api, query }), options);
  }

  get(jobId: string): Promise<t.JobOut> {
    return this.call(api.getJob({ client: this.api, path: { jobId: jobId } }));
  }
}

/**
 * The Hubwire API client.
 *
 * ```ts
 * const client = new Hubwire({ apiKey: "hw_live_…", baseUrl: "https://hubwire.example.com" });
 * const lead = await client.leads.create({ email: "ada@example.com" });
 * ```
 *
 * Every failed call throws a {@link HubwireError} subclass. 408, 429, 5xx and connection
 * failures are retried `maxRetries` times with backoff, honouring `Retry-After`.
 */
/** A partner key acts in one of the workspaces its partner manages by naming it here. */
export const WORKSPACE_HEADER = "Hubwire-Workspace";

export class Hubwire {
  readonly baseUrl: string;
  /**
   * The generated client: pass it to any generated operation to reach the rest of the API,
   * `import { getMe } from "@hubwire/sdk/generated"` … `getMe({ client: hubwire.api })`.
   */
  readonly api: Client;
  readonly leads: Leads;
  readonly calls: Calls;
  readonly appointments: Appointments;
  readonly payments: Payments;
  readonly chat: Chat;
  readonly webhooks: Webhooks;
  readonly events: Events;
  readonly jobs: Jobs;
  readonly connections: Connections;
  private readonly options: HubwireOptions;

  constructor(options: HubwireOptions = {}) {
    this.options = options;
    const env = typeof process === "undefined" ? {} : process.env;
    const apiKey = options.apiKey ?? env.HUBWIRE_API_KEY;
    if (!apiKey) {
      throw new HubwireError("no API key: pass { apiKey } or set HUBWIRE_API_KEY");
    }
    this.baseUrl = (options.baseUrl ?? env.HUBWIRE_BASE_URL ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
    this.api = createClient(
      createConfig({
        baseUrl: this.baseUrl,
        auth: apiKey,
        headers: options.headers,
        throwOnError: true,
        fetch: retryingFetch({
          maxRetries: options.maxRetries,
          maxRetryAfter: options.maxRetryAfter,
          timeout: options.timeout ?? DEFAULT_TIMEOUT,
          onRetry: options.onRetry,
          fetch: options.fetch,
        }),
      }),
    );
    this.api.interceptors.error.use((error: unknown, response: Response | undefined) => {
      if (error instanceof HubwireError) return error;
      if (response && !response.ok) return errorFromResponse(response, error);
      const message = error instanceof Error ? error.message : String(error);
      return new APIConnectionError(message, { cause: error });
    });
    this.leads = new Leads(this.api);
    this.calls = new Calls(this.api);
    this.appointments = new Appointments(this.api);
    this.payments = new Payments(this.api);
    this.chat = new Chat(this.api);
    this.webhooks = new Webhooks(this.api);
    this.events = new Events(this.api);
    this.jobs = new Jobs(this.api);
    this.connections = new Connections(this.api);
  }

  /**
   * A client whose every request acts in `workspaceId` (`ws_…`): for a partner key, one of the
   * workspaces its partner manages (the `Hubwire-Workspace` header).
   */
  withWorkspace(workspaceId: string): Hubwire {
    return new Hubwire({
      ...this.options,
      headers: { ...(this.options.headers ?? {}), [WORKSPACE_HEADER]: workspaceId },
    });
  }
}
