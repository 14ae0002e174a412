// The built SDK's `connections` namespace against a live Hubwire server, with the example
// API-key connector (`example_crm`, no OAuth consent). tests/sdk/typescript/test_sdk.py
// installs the connector, starts the server, mints the key and runs `node --test` on this
// file with these variables set.
import assert from "node:assert/strict";
import { test } from "node:test";

// This file lives outside the package, so it imports the ES module build by path.
import { ConflictError, Hubwire, NotFoundError, ValidationError } from "../../../sdk/typescript/dist/esm/index.js";

function env(name) {
  const value = process.env[name];
  assert.ok(value, `${name} must be set (run through tests/sdk/typescript/test_sdk.py)`);
  return value;
}

const baseUrl = env("HUBWIRE_BASE_URL");
const apiKey = env("HUBWIRE_TEST_EXAMPLE_KEY");
const client = () => new Hubwire({ apiKey: env("HUBWIRE_TEST_KEY"), baseUrl });

test("a connection round-trips: create, test, pause/resume, sync, logs, metrics, stats, delete", async () => {
  const hubwire = client();
  const created = await hubwire.connections.create(
    { connector: "example_crm", name: "Example TS", apiKey, settings: { region: "eu" } },
    { idempotencyKey: "ts-connect-1" },
  );
  assert.match(created.id, /^conn_/);
  assert.equal(created.status, "active");
  assert.equal(created.accountId, "Sandbox Ltd");
  assert.equal(created.authorizeUrl, null);
  assert.equal(created.concurrencyLimit, 2);
  assert.deepEqual(created.settings, { region: "eu" });
  assert.ok(!JSON.stringify(created).includes(apiKey), "the key came back");
  const again = await hubwire.connections.create(
    { connector: "example_crm", name: "Example TS", apiKey, settings: { region: "eu" } },
    { idempotencyKey: "ts-connect-1" },
  );
  assert.equal(again.id, created.id);
  const id = created.id;

  assert.equal((await hubwire.connections.get(id)).name, "Example TS");
  const trimmed = await hubwire.connections.get(id, { fields: "status" });
  assert.deepEqual(trimmed, { id, status: "active" });
  const listed = await hubwire.connections.list({ connector: "example_crm", status: "active" }).toArray();
  assert.deepEqual(listed.map((c) => c.id), [id]);
  assert.deepEqual(await hubwire.connections.list({ connector: "hubspot" }).toArray(), []);

  const checked = await hubwire.connections.test(id);
  assert.equal(checked.ok, true);
  assert.equal(checked.account, "Sandbox Ltd");
  assert.ok(Number.isInteger(checked.latencyMs));

  assert.equal((await hubwire.connections.pause(id)).status, "paused");
  const paused = await hubwire.connections.list({ status: "paused" }).toArray();
  assert.deepEqual(paused.map((c) => c.id), [id]);
  await assert.rejects(hubwire.connections.sync(id), (e) => e instanceof ConflictError && e.status === 409);
  assert.equal((await hubwire.connections.resume(id)).status, "active");

  const updated = await hubwire.connections.update(id, {
    name: "Renamed",
    concurrencyLimit: 4,
    fieldMapping: { company: "company_name" },
  });
  assert.equal(updated.name, "Renamed");
  assert.equal(updated.concurrencyLimit, 4);
  assert.deepEqual(updated.fieldMapping, { company: "company_name" });
  assert.deepEqual(updated.settings, { region: "eu" });

  // The job runs in the background; the SDK's part is the job to poll.
  const queued = await hubwire.connections.sync(id);
  assert.match(queued.jobId, /^job_/);
  const job = await hubwire.jobs.get(queued.jobId);
  assert.equal(job.type, "connection.sync");
  assert.deepEqual(job.input, { connectionId: id });

  const tests = await hubwire.connections.logs(id, { kind: "test" }).toArray();
  assert.deepEqual(
    tests.map((log) => [log.kind, log.level, log.message]),
    [["test", "info", "test passed: ok"]],
  );
  const auth = await hubwire.connections.logs(id, { kind: "auth", pageSize: 1 }).toArray();
  assert.deepEqual(auth.map((log) => log.message), ["connected"]);

  const metrics = await hubwire.connections.metrics(id);
  assert.ok(metrics.providerCalls >= 1, JSON.stringify(metrics));
  assert.equal(metrics.failed, 0);

  const today = new Date();
  const day = today.toISOString().slice(0, 10);
  const stats = await hubwire.connections.periodStats(id, today, day);
  assert.equal(stats.connectionId, id);
  assert.deepEqual(stats.days.map((d) => d.date), [day]);
  assert.ok(stats.totals.providerCalls >= 1);
  const yesterday = new Date(today.getTime() - 86_400_000);
  const workspace = await hubwire.connections.workspacePeriodStats(yesterday, day);
  assert.equal(workspace.connections, 1);
  assert.equal(workspace.days.length, 2);
  assert.deepEqual(
    workspace.perConnection.map((c) => [c.connectionId, c.name]),
    [[id, "Renamed"]],
  );

  await hubwire.connections.delete(id);
  await assert.rejects(hubwire.connections.get(id), NotFoundError);
  await assert.rejects(hubwire.connections.delete(id), NotFoundError);
  assert.deepEqual(await hubwire.connections.list().toArray(), []);
});

test("a refused key is a ValidationError and nothing is saved", async () => {
  const hubwire = client();
  await assert.rejects(
    hubwire.connections.create({ connector: "example_crm", apiKey: "wrong-key" }),
    (e) => e instanceof ValidationError && e.status === 422 && /refused/.test(e.message),
  );
  await assert.rejects(
    hubwire.connections.periodStats("conn_nosuch", "2026-01-01", "2026-01-02"),
    NotFoundError,
  );
  assert.deepEqual(await hubwire.connections.list().toArray(), []);
});
