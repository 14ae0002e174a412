// The built package loads through both require() and import().
const assert = require("node:assert/strict");
const { test } = require("node:test");

test("require() loads the CommonJS build", () => {
  const sdk = require("@hubwire/sdk");
  assert.equal(typeof sdk.Hubwire, "function");
  assert.equal(typeof sdk.verifyWebhook, "function");
  assert.ok(new sdk.NotFoundError("x") instanceof sdk.HubwireError);
  assert.equal(typeof require("@hubwire/sdk/generated").listLeads, "function");
  assert.match(require.resolve("@hubwire/sdk"), /dist[\\/]cjs[\\/]index\.js$/);
});

test("import() loads the ES module build", async () => {
  const sdk = await import("@hubwire/sdk");
  assert.equal(typeof sdk.Hubwire, "function");
  const client = new sdk.Hubwire({ apiKey: "hw_test_a_b", baseUrl: "http://127.0.0.1:1/" });
  assert.equal(client.baseUrl, "http://127.0.0.1:1");
  assert.equal(typeof (await import("@hubwire/sdk/generated")).createLead, "function");
  // Two builds: the ES module one is not the CommonJS one.
  assert.notEqual(sdk.Hubwire, require("@hubwire/sdk").Hubwire);
});
