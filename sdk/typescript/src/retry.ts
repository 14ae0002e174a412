/**
 * Retries, timeouts and idempotency keys as a `fetch` wrapper, so every generated call
 * gets them.
 *
 * Retried: 408, 429 and 5xx responses (except 501) and connection errors and timeouts,
 * with exponential backoff and jitter; a `Retry-After` header sets the wait instead (one
 * over `maxRetryAfter` seconds is not waited for: the error is thrown). Every POST carries
 * an `Idempotency-Key`, generated once per call and sent unchanged on each of its retries,
 * so the server replays instead of acting twice.
 */
import { randomUUID } from "node:crypto";

import { APIConnectionError, APITimeoutError, parseRetryAfter } from "./errors.js";

export const RETRY_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

export interface RetryInfo {
  method: string;
  url: string;
  /** 1 for the first retry. */
  retry: number;
  /** Seconds the SDK waits before the retry. */
  delay: number;
  /** `HTTP 429`, `HTTP 503`, `TimeoutError`, `TypeError: fetch failed`, … */
  reason: string;
}

export interface RetryOptions {
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Seconds; doubled on each retry, with jitter (default 0.5). */
  initialBackoff?: number;
  /** Seconds (default 8). */
  maxBackoff?: number;
  /** A `Retry-After` beyond this many seconds is not waited for (default 60). */
  maxRetryAfter?: number;
  /** Per attempt, in milliseconds (default 30 000). */
  timeout?: number;
  /** Called before each retry (logging, metrics). */
  onRetry?: (info: RetryInfo) => void;
  /** The fetch to wrap (default `globalThis.fetch`). */
  fetch?: typeof fetch;
}

export function newIdempotencyKey(): string {
  return `hwsdk_${randomUUID().replaceAll("-", "")}`;
}

const sleep = (seconds: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** A `fetch` that retries, times out and adds idempotency keys as described above. */
export function retryingFetch(options: RetryOptions = {}): typeof fetch {
  const maxRetries = options.maxRetries ?? 2;
  const initialBackoff = options.initialBackoff ?? 0.5;
  const maxBackoff = options.maxBackoff ?? 8;
  const maxRetryAfter = options.maxRetryAfter ?? 60;
  const timeout = options.timeout ?? 30_000;
  const inner = options.fetch ?? globalThis.fetch;

  const backoff = (attempt: number): number =>
    Math.min(maxBackoff, initialBackoff * 2 ** attempt) * (0.75 + Math.random() * 0.25);

  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const original = new Request(input, init);
    const method = original.method.toUpperCase();
    const headers = new Headers(original.headers);
    if (method === "POST" && !headers.has("Idempotency-Key") && !headers.has("X-Idempotency-Key")) {
      headers.set("Idempotency-Key", newIdempotencyKey());
    }
    // Read the body once so every attempt can send it again.
    const body = original.body === null ? undefined : await original.arrayBuffer();
    const retryable =
      method !== "POST" || headers.has("Idempotency-Key") || headers.has("X-Idempotency-Key");

    for (let attempt = 0; ; attempt++) {
      const timer = AbortSignal.timeout(timeout);
      const signal = original.signal ? AbortSignal.any([original.signal, timer]) : timer;
      const canRetry = retryable && attempt < maxRetries;
      let delay: number;
      let reason: string;
      try {
        const response = await inner(original.url, {
          method,
          headers,
          body,
          signal,
          redirect: original.redirect,
        });
        if (!RETRY_STATUSES.has(response.status) || !canRetry) return response;
        const after = parseRetryAfter(response.headers.get("Retry-After"));
        if (after !== null && after > maxRetryAfter) return response;
        delay = after ?? backoff(attempt);
        reason = `HTTP ${response.status}`;
        await response.body?.cancel().catch(() => undefined);
      } catch (error) {
        if (original.signal?.aborted) throw error; // the caller cancelled: never retry
        const timedOut = timer.aborted;
        if (!canRetry) {
          const message = error instanceof Error ? error.message : String(error);
          if (timedOut) {
            throw new APITimeoutError(`request timed out after ${timeout} ms`, { cause: error });
          }
          throw new APIConnectionError(`connection failed: ${message}`, { cause: error });
        }
        delay = backoff(attempt);
        reason = timedOut ? "TimeoutError" : error instanceof Error ? `${error.name}: ${error.message}` : "error";
      }
      options.onRetry?.({ method, url: original.url, retry: attempt + 1, delay, reason });
      await sleep(delay);
    }
  };
}
