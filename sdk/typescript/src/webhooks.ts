/**
 * Verifying Hubwire's webhooks in a receiver (the Standard Webhooks scheme).
 *
 *     import { verifyWebhook } from "@hubwire/sdk";
 *     const event = verifyWebhook(rawBody, request.headers, "whsec_...");
 *
 * The signature is `v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">`
 * keyed with the base64 part of the `whsec_` secret; any Standard Webhooks signer's
 * messages verify here, and {@link signWebhook}'s verify with any Standard Webhooks library.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

import { WebhookVerificationError } from "./errors.js";

/** Seconds either side of now. */
export const DEFAULT_TOLERANCE = 300;
const PREFIX = "whsec_";

export type WebhookPayload = string | Uint8Array | ArrayBuffer;
export type WebhookHeaders =
  | Headers
  | Record<string, string | string[] | undefined>
  | Iterable<[string, string]>;

export interface VerifyOptions {
  /** Seconds either side of now (default 300). */
  tolerance?: number;
  /** Now, in seconds since the epoch (for tests). */
  now?: number;
}

function key(secret: string): Buffer {
  const raw = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  if (!raw || !/^[A-Za-z0-9+/]+={0,2}$/.test(raw)) {
    throw new WebhookVerificationError("the secret is not a whsec_<base64> secret");
  }
  return Buffer.from(raw, "base64");
}

function asBuffer(payload: WebhookPayload): Buffer {
  if (typeof payload === "string") return Buffer.from(payload, "utf8");
  if (payload instanceof ArrayBuffer) return Buffer.from(payload);
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
}

function lowered(headers: WebhookHeaders): Map<string, string> {
  const out = new Map<string, string>();
  const entries: Iterable<[string, unknown]> =
    typeof (headers as Headers).forEach === "function" && headers instanceof Headers
      ? headers.entries()
      : Symbol.iterator in (headers as object)
        ? (headers as Iterable<[string, string]>)
        : Object.entries(headers as Record<string, unknown>);
  for (const [name, value] of entries) {
    if (value === undefined || value === null) continue;
    out.set(name.toLowerCase(), Array.isArray(value) ? value.join(" ") : String(value));
  }
  return out;
}

/** The `webhook-signature` value for a message (`v1,<base64>`). */
export function signWebhook(
  msgId: string,
  timestamp: number,
  payload: WebhookPayload,
  secret: string,
): string {
  const hmac = createHmac("sha256", key(secret));
  hmac.update(`${msgId}.${timestamp}.`);
  hmac.update(asBuffer(payload));
  return `v1,${hmac.digest("base64")}`;
}

/**
 * Checks a delivery's signature and timestamp; returns the parsed JSON event.
 *
 * `payload` must be the raw request body, byte for byte. `headers` is a `Headers`, a
 * Node `IncomingHttpHeaders` or any record of the request's headers (names in any case).
 * Throws {@link WebhookVerificationError}.
 */
export function verifyWebhook<T = unknown>(
  payload: WebhookPayload,
  headers: WebhookHeaders,
  secret: string,
  options: VerifyOptions = {},
): T {
  const h = lowered(headers);
  const msgId = h.get("webhook-id");
  const timestamp = h.get("webhook-timestamp");
  const signatures = h.get("webhook-signature");
  if (!msgId || !timestamp || !signatures) {
    throw new WebhookVerificationError("missing webhook-id, webhook-timestamp or signature");
  }
  if (!/^\d+$/.test(timestamp.trim())) {
    throw new WebhookVerificationError("webhook-timestamp is not a Unix time");
  }
  const sentAt = Number(timestamp.trim());
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const now = options.now ?? Date.now() / 1000;
  if (sentAt < now - tolerance) throw new WebhookVerificationError("the message is too old");
  if (sentAt > now + tolerance) {
    throw new WebhookVerificationError("the message timestamp is in the future");
  }
  const body = asBuffer(payload);
  const expected = Buffer.from(signWebhook(msgId, sentAt, body, secret).slice(3), "utf8");
  for (const candidate of signatures.split(/\s+/)) {
    const comma = candidate.indexOf(",");
    if (comma < 0 || candidate.slice(0, comma) !== "v1") continue;
    const value = Buffer.from(candidate.slice(comma + 1), "utf8");
    if (value.length === expected.length && timingSafeEqual(value, expected)) {
      try {
        return JSON.parse(body.toString("utf8")) as T;
      } catch (error) {
        throw new WebhookVerificationError("the body is not JSON", { cause: error });
      }
    }
  }
  throw new WebhookVerificationError("no matching signature");
}
