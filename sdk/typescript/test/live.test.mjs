// The built SDK against a live Hubwire server over HTTP. tests/sdk/typescript/test_sdk.py
// starts the server, mints the keys and runs `node --test` with these variables set.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";

import {
  AuthenticationError,
  HubwireError,
  Hubwire,
  IdempotencyMismatchError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
  WebhookVerificationError,
  verifyWebhook,
} from "@hubwire/sdk";

function env(name) {
  const value = process.env[name];
  assert.ok(value, `${name} must be set (run through tests/sdk/typescript/test_sdk.py)`);
  return value;
}

const baseUrl = env("HUBWIRE_BASE_URL");
const client = () => new Hubwire({ apiKey: env("HUBWIRE_TEST_KEY"), baseUrl });

test("create, list across pages, update, get, delete, typed 404", async () => {
  const hubwire = client();
  const created = [];
  for (let i = 0; i < 5; i++) {
    created.push(await hubwire.leads.create({ email: `ts${i}@example.com`, name: `TS ${i}`, tags: ["sdk"] }));
  }
  assert.match(created[0].id, /^lead_/);
  assert.equal(created[0].status, "new");

  const qualified = await hubwire.leads.update(created[0].id, { status: "qualified" });
  assert.equal(qualified.status, "qualified");
  assert.equal(qualified.name, "TS 0");

  // Iterating follows pagination.nextCursor: 4 "new" leads, 2 per page.
  const ids = [];
  for await (const lead of hubwire.leads.list({ status: "new", pageSize: 2 })) ids.push(lead.id);
  assert.deepEqual(ids.sort(), created.slice(1).map((l) => l.id).sort());
  const sizes = [];
  for await (const page of hubwire.leads.list({ status: "new", pageSize: 2 }).pages()) {
    sizes.push(page.data.length);
  }
  assert.deepEqual(sizes, [2, 2]);
  assert.equal((await hubwire.leads.list({ pageSize: 100 }).toArray()).length, 5);
  // `limit`, the API's name, sets the page size (it was silently ignored).
  const limited = [];
  for await (const page of hubwire.leads.list({ status: "new", limit: 3 }).pages()) {
    limited.push(page.data.length);
  }
  assert.deepEqual(limited, [3, 1]);
  assert.throws(() => hubwire.leads.list({ limit: 3, pageSize: 2 }), /give the page size once/);
  const first = await hubwire.leads.page({ limit: 3 });
  assert.equal(first.data.length, 3);
  assert.equal(first.pagination.hasMore, true);

  assert.equal((await hubwire.leads.get(created[1].id)).email, "ts1@example.com");
  await hubwire.leads.delete(created[1].id);
  const error = await hubwire.leads.get(created[1].id).then(
    () => assert.fail("the deleted lead was found"),
    (e) => e,
  );
  assert.ok(error instanceof NotFoundError, String(error));
  assert.ok(error instanceof HubwireError);
  assert.equal(error.status, 404);
  assert.equal(error.code, "NOT_FOUND");
  assert.match(error.requestId, /^req_/);
  assert.ok(error.message);

  // Events recorded the creates; the other namespaces answer too.
  const types = [];
  for await (const event of hubwire.events.list({ type: "lead.created" })) types.push(event.type);
  assert.equal(types.length, 5);
  assert.deepEqual(await hubwire.jobs.list().toArray(), []);
  await assert.rejects(hubwire.webhooks.get("wh_missing"), NotFoundError);
  await assert.rejects(hubwire.calls.get("call_missing"), NotFoundError);
});

test("errors are typed", async () => {
  const bad = new Hubwire({ apiKey: "hw_live_nope_nope", baseUrl });
  await assert.rejects(bad.leads.list().toArray(), (e) => e instanceof AuthenticationError && e.status === 401);
  const readOnly = new Hubwire({ apiKey: env("HUBWIRE_TEST_READONLY_KEY"), baseUrl });
  await assert.rejects(
    readOnly.leads.create({ email: "x@example.com" }),
    (e) => e instanceof PermissionDeniedError && e.code === "FORBIDDEN",
  );
  await assert.rejects(
    client().leads.create({ email: "not-an-email" }),
    (e) => e instanceof ValidationError && e.status === 422 && Object.keys(e.details).length > 0,
  );
});

test("POSTs are idempotent", async () => {
  const hubwire = client();
  const first = await hubwire.leads.create({ email: "once@example.com" }, { idempotencyKey: "ts-order-1" });
  const again = await hubwire.leads.create({ email: "once@example.com" }, { idempotencyKey: "ts-order-1" });
  assert.equal(again.id, first.id);
  await assert.rejects(
    hubwire.leads.create({ email: "other@example.com" }, { idempotencyKey: "ts-order-1" }),
    IdempotencyMismatchError,
  );
});

test("a 429 is retried after Retry-After, then succeeds", async () => {
  // basic scaled to 30/min: a burst of 5 per second, so a 429 says "Retry-After: 1".
  const key = env("HUBWIRE_TEST_LIMITED_KEY");
  const retries = [];
  const hubwire = new Hubwire({ apiKey: key, baseUrl, maxRetries: 3, onRetry: (info) => retries.push(info) });
  for (let round = 0; round < 3 && retries.length === 0; round++) {
    // Spend this second's burst, then ask through the SDK at once.
    for (;;) {
      const raw = await fetch(`${baseUrl}/v1/leads`, { headers: { Authorization: `Bearer ${key}` } });
      await raw.arrayBuffer();
      if (raw.status === 429) break;
    }
    const started = performance.now();
    const page = await hubwire.leads.page();
    assert.ok(Array.isArray(page.data));
    if (retries.length > 0) assert.ok(performance.now() - started >= 900);
  }
  assert.ok(retries.length > 0, "the SDK never met a 429");
  assert.equal(retries[0].reason, "HTTP 429");
  assert.equal(retries[0].delay, 1); // exactly what Retry-After asked for
});

test("a delivered test webhook verifies", async () => {
  const received = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.end("ok");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const hubwire = client();
    const url = `http://127.0.0.1:${server.address().port}/hook`;
    const created = await hubwire.webhooks.create({ url, events: ["lead.*"] });
    assert.match(created.secret, /^whsec_/);
    assert.equal((await hubwire.webhooks.test(created.id)).success, true);
    assert.deepEqual((await hubwire.webhooks.list().toArray()).map((w) => w.id), [created.id]);
    assert.equal(received.length, 1);
    const [{ headers, body }] = received;
    const event = verifyWebhook(body, headers, created.secret);
    assert.equal(event.type, "webhook.test");
    assert.throws(() => verifyWebhook(Buffer.concat([body, Buffer.from(" ")]), headers, created.secret), WebhookVerificationError);
    assert.throws(() => verifyWebhook(body, headers, created.secret, { now: Date.now() / 1000 + 301 }), WebhookVerificationError);
    await hubwire.webhooks.delete(created.id);
  } finally {
    server.close();
  }
});

test("a message signed by the Standard Webhooks library verifies", () => {
  const { payload, headers, secret } = JSON.parse(env("HUBWIRE_TEST_SIGNED"));
  assert.deepEqual(verifyWebhook(payload, headers, secret), JSON.parse(payload));
  assert.throws(() => verifyWebhook(payload, headers, "whsec_" + Buffer.from("wrong").toString("base64")), WebhookVerificationError);
});
