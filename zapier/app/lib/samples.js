'use strict';

const event = (id, type, data) => ({
  ...data,
  id,
  resourceId: data.id,
  eventType: type,
  occurredAt: '2026-01-01T12:00:00Z',
});

const LEAD = {
  id: 'lead_8x2k4m9q1w3e5r7t0y6u',
  name: 'Ada Lovelace',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  company: 'Analytical Engines Ltd',
  source: 'website',
  status: 'new',
  tags: ['vip'],
  customFields: { budget: 5000 },
  createdAt: '2026-01-01T12:00:00Z',
  updatedAt: '2026-01-01T12:00:00Z',
};

const LEAD_FIELDS = [
  { key: 'name', label: 'Name', type: 'string' },
  { key: 'firstName', label: 'First Name', type: 'string' },
  { key: 'lastName', label: 'Last Name', type: 'string' },
  { key: 'email', label: 'Email', type: 'string' },
  { key: 'phone', label: 'Phone', type: 'string' },
  { key: 'company', label: 'Company', type: 'string' },
  { key: 'source', label: 'Source', type: 'string' },
  { key: 'status', label: 'Status', type: 'string' },
  { key: 'tags', label: 'Tags', type: 'string', list: true },
  { key: 'createdAt', label: 'Created At', type: 'datetime' },
  { key: 'updatedAt', label: 'Updated At', type: 'datetime' },
];

const CALL = {
  id: 'call_3k9x2m8q1w4e6r5t0y7u',
  direction: 'inbound',
  status: 'ended',
  fromNumber: '+1 415 555 0100',
  toNumber: '+1 415 555 0199',
  startedAt: '2026-01-01T11:50:00Z',
  endedAt: '2026-01-01T12:00:00Z',
  durationSeconds: 600,
  outcome: 'connected',
  summary: 'Asked about pricing.',
  leadId: 'lead_8x2k4m9q1w3e5r7t0y6u',
  agentId: 'agent_7q2k8x9m1w3e5r4t0y6u',
};

const PAYMENT = {
  id: 'pay_5m2k9x4q8w1e3r7t0y6u',
  leadId: 'lead_8x2k4m9q1w3e5r7t0y6u',
  amount: 4900,
  currency: 'USD',
  status: 'succeeded',
  refundedAmount: 0,
  provider: 'stripe',
  providerId: 'pi_3MtwBwLkdIwHu7ix28a3tqPa',
  customerEmail: 'ada@example.com',
  customerPhone: null,
  customerName: 'Ada Lovelace',
  description: 'Pro plan, January',
  failureReason: null,
  occurredAt: '2026-01-01T12:00:00Z',
  createdAt: '2026-01-01T12:00:00Z',
  updatedAt: '2026-01-01T12:00:00Z',
};

const MESSAGE = {
  id: 'msg_7q2k9x4m8w1e3r5t0y6u',
  sessionId: 'chs_2k9x4m8q1w3e5r7t0y6u',
  role: 'user',
  content: 'Hi, do you have availability on Thursday?',
  metadata: { page: '/pricing' },
  createdAt: '2026-01-01T12:00:00Z',
};

const APPOINTMENT = {
  id: 'appt_4k2m8x9q1w3e5r7t0y6u',
  leadId: 'lead_8x2k4m9q1w3e5r7t0y6u',
  title: 'Product demo',
  startsAt: '2026-01-08T14:00:00Z',
  endsAt: '2026-01-08T14:30:00Z',
  timeZone: 'Europe/London',
  status: 'scheduled',
  location: null,
  joinUrl: 'https://meet.example.com/abc-defg-hij',
  source: 'calendly',
  notes: null,
  cancelReason: null,
  customFields: {},
  createdAt: '2026-01-01T12:00:00Z',
  updatedAt: '2026-01-01T12:00:00Z',
};

module.exports = { event, LEAD, LEAD_FIELDS, CALL, APPOINTMENT, PAYMENT, MESSAGE };
