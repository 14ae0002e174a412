'use strict';

const { baseUrl } = require('../lib/base');
const { LEAD, LEAD_FIELDS, MESSAGE } = require('../lib/samples');

const STATUSES = {
  new: 'New',
  contacted: 'Contacted',
  qualified: 'Qualified',
  converted: 'Converted',
  rejected: 'Rejected',
};

const leadInputFields = (required) => [
  { key: 'firstName', label: 'First Name' },
  { key: 'lastName', label: 'Last Name', helpText: 'Salesforce requires a last name.' },
  {
    key: 'name',
    label: 'Full Name',
    helpText: 'Alternatively the full name alone: its last word becomes the last name.',
    required: false,
  },
  { key: 'email', label: 'Email', helpText: 'A name, an email or a phone is needed.', required },
  { key: 'phone', label: 'Phone', helpText: 'E.g. +44 20 7946 0000.' },
  { key: 'company', label: 'Company' },
  { key: 'source', label: 'Source', helpText: 'Where the lead came from, e.g. website.' },
  { key: 'status', label: 'Status', choices: STATUSES },
  { key: 'tags', label: 'Tags', list: true, helpText: 'Labels to attach.' },
];

// Only the fields the Zap maps are sent: Hubwire refuses unknown or empty fields.
const leadBody = (inputData) => {
  const body = {};
  const keys = ['firstName', 'lastName', 'name', 'email', 'phone', 'company', 'source'];
  for (const key of [...keys, 'status', 'tags']) {
    const value = inputData[key];
    if (value !== undefined && value !== null && value !== '') {
      body[key] = value;
    }
  }
  return body;
};

const createLead = {
  key: 'create_lead',
  noun: 'Lead',
  display: { label: 'Create Lead', description: 'Creates a new lead in Hubwire.' },
  operation: {
    inputFields: leadInputFields(false),
    perform: async (z, bundle) => {
      const response = await z.request({
        method: 'POST',
        url: `${baseUrl()}/v1/leads`,
        body: leadBody(bundle.inputData),
      });
      return response.data;
    },
    sample: LEAD,
    outputFields: [{ key: 'id', label: 'Lead ID' }, ...LEAD_FIELDS],
  },
};

const updateLead = {
  key: 'update_lead',
  noun: 'Lead',
  display: { label: 'Update Lead', description: "Changes an existing lead's fields." },
  operation: {
    inputFields: [
      {
        key: 'id',
        label: 'Lead ID',
        required: true,
        helpText: 'The lead to change (lead_…), e.g. from "Find Lead" or "New Lead".',
      },
      ...leadInputFields(false),
    ],
    perform: async (z, bundle) => {
      const response = await z.request({
        method: 'PATCH',
        url: `${baseUrl()}/v1/leads/${encodeURIComponent(bundle.inputData.id)}`,
        body: leadBody(bundle.inputData),
      });
      return response.data;
    },
    sample: { ...LEAD, status: 'qualified' },
    outputFields: [{ key: 'id', label: 'Lead ID' }, ...LEAD_FIELDS],
  },
};

const sendChatMessage = {
  key: 'send_chat_message',
  noun: 'Chat Message',
  display: {
    label: 'Send Chat Message',
    description: 'Posts a message to a chat session, or starts a new session.',
  },
  operation: {
    inputFields: [
      { key: 'content', label: 'Message', required: true, type: 'text' },
      {
        key: 'sessionId',
        label: 'Session ID',
        helpText: 'The session to post to (chs_…). Leave empty to start a new session.',
      },
      { key: 'leadId', label: 'Lead ID', helpText: 'Links a new session to this lead.' },
      {
        key: 'role',
        label: 'Sender Role',
        choices: { agent: 'Agent', assistant: 'Assistant', user: 'User', system: 'System' },
        default: 'agent',
      },
    ],
    perform: async (z, bundle) => {
      const { content, sessionId, leadId, role } = bundle.inputData;
      const body = { content, role: role || 'agent' };
      if (sessionId) body.sessionId = sessionId;
      if (leadId && !sessionId) body.leadId = leadId;
      const response = await z.request({
        method: 'POST',
        url: `${baseUrl()}/v1/chat/messages`,
        body,
      });
      return response.data;
    },
    sample: { ...MESSAGE, role: 'agent' },
    outputFields: [
      { key: 'id', label: 'Message ID' },
      { key: 'sessionId', label: 'Session ID' },
      { key: 'role', label: 'Role' },
      { key: 'content', label: 'Content' },
      { key: 'createdAt', label: 'Created At', type: 'datetime' },
    ],
  },
};

module.exports = [createLead, updateLead, sendChatMessage];
