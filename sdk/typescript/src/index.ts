export {
  Hubwire,
  WORKSPACE_HEADER,
  Leads,
  Calls,
  Chat,
  Webhooks,
  Events,
  Jobs,
  Connections,
  DEFAULT_BASE_URL,
  DEFAULT_TIMEOUT,
  type HubwireOptions,
  type PostOptions,
  type ListOptions,
  type PageOptions,
  type Day,
} from "./client.js";
export * from "./errors.js";
export { Paginator, type Page } from "./pagination.js";
export { retryingFetch, newIdempotencyKey, RETRY_STATUSES, type RetryInfo, type RetryOptions } from "./retry.js";
export {
  verifyWebhook,
  signWebhook,
  DEFAULT_TOLERANCE,
  type VerifyOptions,
  type WebhookHeaders,
  type WebhookPayload,
} from "./webhooks.js";
export type * from "./generated/types.gen.js";
