/* eslint-env jest */
'use strict';

// Runs the app with zapier-platform-core's app tester against a live Hubwire server
// (tests/zapier/test_app.py starts it and passes the tokens through the environment).
const http = require('http');
const zapier = require('zapier-platform-core');
const App = require('../index');

const appTester = zapier.createAppTester(App);
const env = (name) => {
  if (!process.env[name]) throw new Error(`${name} is not set (run through tests/zapier)`);
  return process.env[name];
};
const authData = () => ({
  access_token: env('HUBWIRE_ACCESS_TOKEN'),
  refresh_token: env('HUBWIRE_REFRESH_TOKEN'),
});

// A local REST hook target: records every POST Hubwire delivers.
const received = [];
let target;
let targetUrl;
const waitFor = async (predicate, what, deadline = 20000) => {
  const end = Date.now() + deadline;
  for (;;) {
    const found = received.find(predicate);
    if (found) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

beforeAll(async () => {
  env('HUBWIRE_BASE_URL');
  target = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ path: req.url, headers: req.headers, body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
  });
  await new Promise((resolve) => target.listen(0, '127.0.0.1', resolve));
  targetUrl = `http://127.0.0.1:${target.address().port}`;
});

afterAll(() => new Promise((resolve) => target.close(resolve)));

const subscribe = async (key, path) => {
  const bundle = { authData: authData(), targetUrl: `${targetUrl}${path}` };
  const hook = await appTester(App.triggers[key].operation.performSubscribe, bundle);
  expect(hook.id).toMatch(/^wh_/);
  return hook;
};
const unsubscribe = async (key, hook) => {
  const bundle = { authData: authData(), subscribeData: { id: hook.id } };
  const result = await appTester(App.triggers[key].operation.performUnsubscribe, bundle);
  expect(result.id).toBe(hook.id);
};
const perform = (key, delivery) =>
  appTester(App.triggers[key].operation.perform, {
    authData: authData(),
    cleanedRequest: delivery.body,
  });
const performList = (key) =>
  appTester(App.triggers[key].operation.performList, { authData: authData() });

const api = async (method, path, body) => {
  const response = await fetch(`${env('HUBWIRE_BASE_URL')}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${authData().access_token}`,
      'content-type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json().catch(() => null) };
};

const email = `zap-${Date.now()}@example.com`;
let leadId;

describe('authentication', () => {
  test('the connection test answers for an OAuth token and labels the connection', async () => {
    const me = await appTester(App.authentication.test, { authData: authData() });
    expect(me.id).toMatch(/^usr_/);
    expect(me.scopes).toContain('webhooks:write');
    expect(me.label).toContain(me.workspaceSlug);
  });
});

describe('actions and search', () => {
  test('create lead', async () => {
    const lead = await appTester(App.creates.create_lead.operation.perform, {
      authData: authData(),
      inputData: { name: 'Ada Lovelace', email, company: 'Analytical Engines', tags: ['zap'] },
    });
    expect(lead.id).toMatch(/^lead_/);
    expect(lead.email).toBe(email);
    expect(lead.status).toBe('new');
    leadId = lead.id;
  });

  test('find lead by email, and nothing for an unknown email', async () => {
    const found = await appTester(App.searches.find_lead.operation.perform, {
      authData: authData(),
      inputData: { email },
    });
    expect(found.map((lead) => lead.id)).toEqual([leadId]);
    const none = await appTester(App.searches.find_lead.operation.perform, {
      authData: authData(),
      inputData: { email: `nobody-${Date.now()}@example.com` },
    });
    expect(none).toEqual([]);
  });

  test('update lead', async () => {
    const lead = await appTester(App.creates.update_lead.operation.perform, {
      authData: authData(),
      inputData: { id: leadId, company: 'Engines Ltd' },
    });
    expect(lead.id).toBe(leadId);
    expect(lead.company).toBe('Engines Ltd');
    expect(lead.email).toBe(email);
  });

  test('update lead reports a missing lead', async () => {
    await expect(
      appTester(App.creates.update_lead.operation.perform, {
        authData: authData(),
        inputData: { id: 'lead_doesnotexist', name: 'x' },
      }),
    ).rejects.toThrow(/NOT_FOUND/);
  });

  test('send chat message (new session, then into it)', async () => {
    const first = await appTester(App.creates.send_chat_message.operation.perform, {
      authData: authData(),
      inputData: { content: 'Hello from a Zap', leadId },
    });
    expect(first.sessionId).toMatch(/^chs_/);
    expect(first.role).toBe('agent');
    const second = await appTester(App.creates.send_chat_message.operation.perform, {
      authData: authData(),
      inputData: { content: 'A follow-up', sessionId: first.sessionId, role: 'user' },
    });
    expect(second.sessionId).toBe(first.sessionId);
  });
});

describe('REST hook triggers', () => {
  test('new lead: subscribe, deliver, perform, list, unsubscribe', async () => {
    const hook = await subscribe('new_lead', '/new_lead');
    const lead = await appTester(App.creates.create_lead.operation.perform, {
      authData: authData(),
      inputData: { name: 'Grace Hopper', email: `grace-${Date.now()}@example.com` },
    });
    const delivery = await waitFor(
      (r) => r.path === '/new_lead' && r.body.data.id === lead.id,
      'the new lead delivery',
    );
    // Signed as a Standard Webhooks message, like every Hubwire webhook.
    expect(delivery.headers['webhook-signature']).toMatch(/^v1,/);
    const [item] = await perform('new_lead', delivery);
    expect(item.id).toBe(delivery.body.id);
    expect(item.resourceId).toBe(lead.id);
    expect(item.email).toBe(lead.email);
    // The polling list has the same item, with the same id, newest first.
    const listed = await performList('new_lead');
    expect(listed[0]).toEqual(item);
    await unsubscribe('new_lead', hook);
    await appTester(App.creates.create_lead.operation.perform, {
      authData: authData(),
      inputData: { name: 'After unsubscribe' },
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // Delivery is at least once: a retried message may repeat, but nothing new arrives.
    const after = received.filter((r) => r.path === '/new_lead');
    expect(after.every((r) => r.body.id === delivery.body.id)).toBe(true);
  });

  test('lead status changed', async () => {
    const hook = await subscribe('lead_status_changed', '/status');
    await appTester(App.creates.update_lead.operation.perform, {
      authData: authData(),
      inputData: { id: leadId, status: 'qualified' },
    });
    const delivery = await waitFor((r) => r.path === '/status', 'the status delivery');
    const [item] = await perform('lead_status_changed', delivery);
    expect(item.eventType).toBe('lead.qualified');
    expect(item.status).toBe('qualified');
    expect(item.resourceId).toBe(leadId);
    expect((await performList('lead_status_changed'))[0].id).toBe(item.id);
    await unsubscribe('lead_status_changed', hook);
  });

  test('call ended', async () => {
    const hook = await subscribe('call_ended', '/call');
    const call = await api('POST', '/v1/calls', {
      direction: 'inbound',
      fromNumber: '+1 415 555 0100',
      startedAt: new Date(Date.now() - 60000).toISOString(),
      endedAt: new Date().toISOString(),
      leadId,
    });
    expect(call.status).toBe(201);
    const delivery = await waitFor((r) => r.path === '/call', 'the call delivery');
    const [item] = await perform('call_ended', delivery);
    expect(item.resourceId).toBe(call.json.id);
    expect(item.eventType).toBe('call.ended');
    expect((await performList('call_ended'))[0].id).toBe(item.id);
    await unsubscribe('call_ended', hook);
  });

  test('new appointment', async () => {
    const hook = await subscribe('new_appointment', '/appointment');
    const appointment = await api('POST', '/v1/appointments', {
      leadId,
      title: 'Demo',
      startsAt: '2030-01-08T14:00:00Z',
      endsAt: '2030-01-08T14:30:00Z',
      timeZone: 'Europe/Paris',
    });
    expect(appointment.status).toBe(201);
    const delivery = await waitFor((r) => r.path === '/appointment', 'the appointment delivery');
    const [item] = await perform('new_appointment', delivery);
    expect(item.resourceId).toBe(appointment.json.id);
    expect(item.eventType).toBe('appointment.scheduled');
    expect(item.timeZone).toBe('Europe/Paris');
    expect((await performList('new_appointment'))[0].id).toBe(item.id);
    await unsubscribe('new_appointment', hook);
  });

  test('new chat message', async () => {
    const hook = await subscribe('new_chat_message', '/chat');
    const message = await appTester(App.creates.send_chat_message.operation.perform, {
      authData: authData(),
      inputData: { content: 'Is Thursday free?', role: 'user' },
    });
    const delivery = await waitFor((r) => r.path === '/chat', 'the chat delivery');
    const [item] = await perform('new_chat_message', delivery);
    expect(item.resourceId).toBe(message.id);
    expect(item.content).toBe('Is Thursday free?');
    expect((await performList('new_chat_message'))[0].id).toBe(item.id);
    await unsubscribe('new_chat_message', hook);
  });

  test('new payment', async () => {
    const hook = await subscribe('payment_received', '/payment');
    const payment = await api('POST', '/v1/payments', {
      amount: 4900,
      currency: 'eur',
      leadId,
      description: 'Pro plan',
    });
    expect(payment.status).toBe(201);
    const delivery = await waitFor((r) => r.path === '/payment', 'the payment delivery');
    const [item] = await perform('payment_received', delivery);
    expect(item.resourceId).toBe(payment.json.id);
    expect(item.eventType).toBe('payment.completed');
    expect(item.currency).toBe('EUR');
    expect((await performList('payment_received'))[0].id).toBe(item.id);
    await unsubscribe('payment_received', hook);
  });
});

describe('token refresh', () => {
  test('refreshAccessToken gets new tokens from the live server', async () => {
    const old = authData();
    const fresh = await appTester(App.authentication.oauth2Config.refreshAccessToken, {
      authData: old,
    });
    expect(fresh.access_token).toMatch(/^hwo_at_/);
    expect(fresh.access_token).not.toBe(old.access_token);
    expect(fresh.refresh_token).not.toBe(old.refresh_token);
    const me = await appTester(App.authentication.test, { authData: fresh });
    expect(me.id).toMatch(/^usr_/);
    // The spent refresh token is refused.
    await expect(
      appTester(App.authentication.oauth2Config.refreshAccessToken, { authData: old }),
    ).rejects.toThrow(/refused/);
  });
});
