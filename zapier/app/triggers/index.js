'use strict';

const { hookTrigger, EVENT_FIELDS } = require('../lib/events');
const { event, LEAD, LEAD_FIELDS, CALL, APPOINTMENT, PAYMENT, MESSAGE } = require('../lib/samples');

const newLead = hookTrigger({
  key: 'new_lead',
  noun: 'Lead',
  label: 'New Lead',
  description: 'Triggers when a lead is created in Hubwire.',
  event: 'lead.created',
  sample: event('evt_1a2b3c4d5e6f7g8h9i0j', 'lead.created', LEAD),
  outputFields: [...EVENT_FIELDS, ...LEAD_FIELDS],
});

// Hubwire emits an event of its own when a lead becomes qualified, converted or rejected.
const leadStatusChanged = hookTrigger({
  key: 'lead_status_changed',
  noun: 'Lead',
  label: 'Lead Status Changed',
  description:
    'Triggers when a lead becomes qualified, converted or rejected (the event type says which).',
  event: 'lead.qualified,lead.converted,lead.rejected',
  sample: event('evt_2b3c4d5e6f7g8h9i0j1k', 'lead.qualified', { ...LEAD, status: 'qualified' }),
  outputFields: [...EVENT_FIELDS, ...LEAD_FIELDS],
});

const callEnded = hookTrigger({
  key: 'call_ended',
  noun: 'Call',
  label: 'Call Ended',
  description: 'Triggers when a call ends (status ended or failed).',
  event: 'call.ended',
  sample: event('evt_3c4d5e6f7g8h9i0j1k2l', 'call.ended', CALL),
  outputFields: [
    ...EVENT_FIELDS,
    { key: 'direction', label: 'Direction', type: 'string' },
    { key: 'status', label: 'Status', type: 'string' },
    { key: 'fromNumber', label: 'From Number', type: 'string' },
    { key: 'toNumber', label: 'To Number', type: 'string' },
    { key: 'startedAt', label: 'Started At', type: 'datetime' },
    { key: 'endedAt', label: 'Ended At', type: 'datetime' },
    { key: 'durationSeconds', label: 'Duration (seconds)', type: 'integer' },
    { key: 'outcome', label: 'Outcome', type: 'string' },
    { key: 'summary', label: 'Summary', type: 'string' },
    { key: 'leadId', label: 'Lead ID', type: 'string' },
    { key: 'agentId', label: 'Agent ID', type: 'string' },
  ],
});

const newAppointment = hookTrigger({
  key: 'new_appointment',
  noun: 'Appointment',
  label: 'New Appointment',
  description: 'Triggers when an appointment is booked (through the API or a tool like Calendly).',
  event: 'appointment.scheduled',
  sample: event('evt_6f7g8h9i0j1k2l3m4n5o', 'appointment.scheduled', APPOINTMENT),
  outputFields: [
    ...EVENT_FIELDS,
    { key: 'leadId', label: 'Lead ID', type: 'string' },
    { key: 'title', label: 'Title', type: 'string' },
    { key: 'startsAt', label: 'Starts At', type: 'datetime' },
    { key: 'endsAt', label: 'Ends At', type: 'datetime' },
    { key: 'timeZone', label: 'Invitee Time Zone', type: 'string' },
    { key: 'status', label: 'Status', type: 'string' },
    { key: 'location', label: 'Location', type: 'string' },
    { key: 'joinUrl', label: 'Join URL', type: 'string' },
    { key: 'source', label: 'Source', type: 'string' },
    { key: 'notes', label: 'Notes', type: 'string' },
  ],
});

// The key stays `payment_received` so zaps built on the earlier label keep working.
const paymentReceived = hookTrigger({
  key: 'payment_received',
  noun: 'Payment',
  label: 'New Payment',
  description: 'Triggers when a payment succeeds (recorded through the API or a tool like Stripe).',
  event: 'payment.completed',
  sample: event('evt_4d5e6f7g8h9i0j1k2l3m', 'payment.completed', PAYMENT),
  outputFields: [
    ...EVENT_FIELDS,
    { key: 'amount', label: 'Amount (minor units)', type: 'integer' },
    { key: 'currency', label: 'Currency', type: 'string' },
    { key: 'status', label: 'Status', type: 'string' },
    { key: 'leadId', label: 'Lead ID', type: 'string' },
    { key: 'provider', label: 'Provider', type: 'string' },
    { key: 'providerId', label: 'Provider ID', type: 'string' },
    { key: 'customerEmail', label: 'Customer Email', type: 'string' },
    { key: 'customerName', label: 'Customer Name', type: 'string' },
    { key: 'description', label: 'Description', type: 'string' },
    { key: 'occurredAt', label: 'Paid At', type: 'datetime' },
  ],
});

const newChatMessage = hookTrigger({
  key: 'new_chat_message',
  noun: 'Chat Message',
  label: 'New Chat Message',
  description: 'Triggers when a chat message is posted in any session.',
  event: 'chat.message_received',
  sample: event('evt_5e6f7g8h9i0j1k2l3m4n', 'chat.message_received', MESSAGE),
  outputFields: [
    ...EVENT_FIELDS,
    { key: 'sessionId', label: 'Session ID', type: 'string' },
    { key: 'role', label: 'Role', type: 'string' },
    { key: 'content', label: 'Content', type: 'string' },
    { key: 'createdAt', label: 'Created At', type: 'datetime' },
  ],
});

module.exports = [
  newLead,
  leadStatusChanged,
  callEnded,
  newAppointment,
  paymentReceived,
  newChatMessage,
];
