/**
 * Typed errors mirroring the Hubwire error envelope
 * (`{"error": {"code", "message", "details", "requestId"}}`).
 *
 * Every failed API call throws a subclass of {@link HubwireError} carrying the envelope's
 * `code`, `message`, `details` and `requestId` and the HTTP `status`.
 */

export interface HubwireErrorInit {
  code?: string | null;
  status?: number | null;
  details?: Record<string, unknown> | null;
  requestId?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** Base of every error the SDK throws. */
export class HubwireError extends Error {
  readonly code: string | null;
  readonly status: number | null;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;
  readonly headers: Record<string, string>;

  constructor(message: string, init: HubwireErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code ?? null;
    this.status = init.status ?? null;
    this.details = { ...(init.details ?? {}) };
    this.requestId = init.requestId ?? null;
    this.headers = { ...(init.headers ?? {}) };
  }

  override toString(): string {
    let text = this.code ? `${this.name}: ${this.code}: ${this.message}` : `${this.name}: ${this.message}`;
    if (this.status !== null) text += ` (HTTP ${this.status})`;
    if (this.requestId) text += ` [${this.requestId}]`;
    return text;
  }
}

/** The server could not be reached (after the retries). */
export class APIConnectionError extends HubwireError {}
/** The request timed out (after the retries). */
export class APITimeoutError extends APIConnectionError {}
/** 400 `INVALID_REQUEST`. */
export class BadRequestError extends HubwireError {}
/** 401 `UNAUTHORIZED`: a missing, unknown, expired or revoked key or token. */
export class AuthenticationError extends HubwireError {}
/** 403 `FORBIDDEN`: the key lacks the scope the route needs. */
export class PermissionDeniedError extends HubwireError {}
/** 404 `NOT_FOUND`. */
export class NotFoundError extends HubwireError {}
/** 409 `CONFLICT` (also a concurrent request with the same idempotency key). */
export class ConflictError extends HubwireError {}
/** 413 `PAYLOAD_TOO_LARGE`. */
export class PayloadTooLargeError extends HubwireError {}
/** 422 `VALIDATION_FAILED`; `details` says which fields. */
export class ValidationError extends HubwireError {}
/** 422 `IDEMPOTENCY_MISMATCH`: an idempotency key was reused with another body. */
export class IdempotencyMismatchError extends ValidationError {}

/** 429 `RATE_LIMITED` once the retries are spent; `retryAfter` in seconds. */
export class RateLimitedError extends HubwireError {
  readonly retryAfter: number | null;

  constructor(message: string, init: HubwireErrorInit & { retryAfter?: number | null } = {}) {
    super(message, init);
    this.retryAfter = init.retryAfter ?? null;
  }
}

/** 5xx `INTERNAL_ERROR` (after the retries). */
export class InternalServerError extends HubwireError {}
/** 503 `SERVICE_UNAVAILABLE` (after the retries). */
export class ServiceUnavailableError extends InternalServerError {}
/** A webhook's signature or timestamp did not verify. */
export class WebhookVerificationError extends HubwireError {}

type ErrorClass = new (message: string, init?: HubwireErrorInit) => HubwireError;

const BY_CODE: Record<string, ErrorClass> = {
  IDEMPOTENCY_MISMATCH: IdempotencyMismatchError,
  SERVICE_UNAVAILABLE: ServiceUnavailableError,
};

const BY_STATUS: Record<number, ErrorClass> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  413: PayloadTooLargeError,
  422: ValidationError,
  429: RateLimitedError,
  503: ServiceUnavailableError,
};

/** Seconds from a `Retry-After` header (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null | undefined): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.max(0, Number(trimmed));
  const when = Date.parse(trimmed);
  if (Number.isNaN(when)) return null;
  return Math.max(0, (when - Date.now()) / 1000);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The typed error for a non-2xx response. `body` is the parsed JSON body (or its text),
 * as the generated client hands it over.
 */
export function errorFromResponse(response: Response, body: unknown): HubwireError {
  const status = response.status;
  const envelope = isRecord(body) && isRecord(body.error) ? body.error : {};
  const code = typeof envelope.code === "string" ? envelope.code : null;
  let message = typeof envelope.message === "string" ? envelope.message : null;
  if (message === null) {
    const text = typeof body === "string" ? body : body === undefined ? "" : JSON.stringify(body);
    message = text.slice(0, 500) || response.statusText || `HTTP ${status}`;
  }
  const details = isRecord(envelope.details) ? envelope.details : null;
  const requestId =
    (typeof envelope.requestId === "string" ? envelope.requestId : null) ??
    response.headers.get("X-Request-Id");
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const cls =
    (code ? BY_CODE[code] : undefined) ??
    BY_STATUS[status] ??
    (status >= 500 ? InternalServerError : HubwireError);
  const init = { code, status, details, requestId, headers };
  if (cls === RateLimitedError) {
    return new RateLimitedError(message, {
      ...init,
      retryAfter: parseRetryAfter(response.headers.get("Retry-After")),
    });
  }
  return new cls(message, init);
}
