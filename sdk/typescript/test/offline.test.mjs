// Retries, idempotency keys and timeouts against a scripted local HTTP server.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";

import { APIConnectionError, APITimeoutError, Hubwire, InternalServerError, RateLimitedError } from "@hubwire/sdk";

async function scripted(answers) {
  const seen = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (c) => chunks.push(c));
    request.on("end", () => {
      seen.push({ method: request.method, headers: request.headers, body: Buffer.concat(chunks).toString() });
      const [status, headers, body, delay] = answers.length > 1 ? answers.shift() : answers[0];
      setTimeout(() => {
        response.writeHead(status, { "Content-Type": "application/json", ...headers });
        response.end(JSON.stringify(body));
      }, delay ?? 0);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { seen, server, baseUrl: `http://127.0.0.1:${server.address().port}` };
}

const envelope = (code) => ({ error: { code, message: code.toLowerCase(), details: {}, requestId: "req_1" } });
const lead = { id: "lead_1", email: "a@example.com", status: "new" };

test("a POST retried on 503 keeps one Idempotency-Key", async () => {
  const { seen, server, baseUrl } = await scripted([
    [503, {}, envelope("SERVICE_UNAVAILABLE")],
    [502, {}, {}],
    [201, {}, lead],
  ]);
  try {
    const hubwire = new Hubwire({ apiKey: "hw_test_x_y", baseUrl, maxRetries: 2 });
    hubwire.api.setConfig({}); // the generated client stays usable
    const created = await hubwire.leads.create({ email: "a@example.com" });
    assert.equal(created.id, "lead_1");
    assert.equal(seen.length, 3);
    const keys = new Set(seen.map((r) => r.headers["idempotency-key"]));
    assert.equal(keys.size, 1);
    assert.match([...keys][0], /^hwsdk_/);
    assert.ok(seen.every((r) => r.body === '{"email":"a@example.com"}'));
    assert.ok(seen.every((r) => r.headers.authorization === "Bearer hw_test_x_y"));
  } finally {
    server.close();
  }
});

test("retries are spent, then the typed error is thrown", async () => {
  const { seen, server, baseUrl } = await scripted([[500, {}, envelope("INTERNAL_ERROR")]]);
  try {
    const hubwire = new Hubwire({ apiKey: "k", baseUrl, maxRetries: 1 });
    await assert.rejects(hubwire.leads.get("lead_1"), (e) => e instanceof InternalServerError && e.code === "INTERNAL_ERROR");
    assert.equal(seen.length, 2);
  } finally {
    server.close();
  }
});

test("a long Retry-After is not waited for", async () => {
  const { seen, server, baseUrl } = await scripted([[429, { "Retry-After": "120" }, envelope("RATE_LIMITED")]]);
  try {
    const hubwire = new Hubwire({ apiKey: "k", baseUrl });
    await assert.rejects(hubwire.leads.get("lead_1"), (e) => e instanceof RateLimitedError && e.retryAfter === 120);
    assert.equal(seen.length, 1);
  } finally {
    server.close();
  }
});

test("a slow server times out", async () => {
  const { seen, server, baseUrl } = await scripted([[200, {}, lead, 500]]);
  try {
    const hubwire = new Hubwire({ apiKey: "k", baseUrl, timeout: 100, maxRetries: 1 });
    await assert.rejects(hubwire.leads.get("lead_1"), APITimeoutError);
    assert.equal(seen.length, 2);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("an unreachable server is an APIConnectionError", async () => {
  const hubwire = new Hubwire({ apiKey: "k", baseUrl: "http://127.0.0.1:9", maxRetries: 0 });
  await assert.rejects(hubwire.leads.get("lead_1"), (e) => e instanceof APIConnectionError && !(e instanceof APITimeoutError));
});

test("withWorkspace sends Hubwire-Workspace on every request, the original client does not", async () => {
  const { seen, server, baseUrl } = await scripted([[201, {}, lead]]);
  try {
    const partner = new Hubwire({ apiKey: "hwp_test_x_y", baseUrl, headers: { "X-Trace": "t" } });
    await partner.withWorkspace("ws_customer").leads.create({ email: "a@example.com" });
    await partner.leads.create({ email: "a@example.com" });
    assert.equal(seen[0].headers["hubwire-workspace"], "ws_customer");
    assert.equal(seen[0].headers["x-trace"], "t");
    assert.equal(seen[1].headers["hubwire-workspace"], undefined);
  } finally {
    server.close();
  }
});
