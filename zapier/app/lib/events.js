'use strict';

const { baseUrl } = require('./base');

/**
 * Every trigger outputs the same shape from its REST hook (`perform`) and its
 * polling list (`performList`): the event's resource, with `id` set to the EVENT id
 * (`evt_…`, unique per occurrence, which Zapier deduplicates on) and the resource's own
 * id kept in `resourceId`.
 */
const toItem = (envelope) => ({
  ...(envelope.data || {}),
  id: envelope.id,
  resourceId: envelope.data ? envelope.data.id : null,
  eventType: envelope.type,
  occurredAt: envelope.timestamp,
});

const hookTrigger = ({ key, noun, label, description, event, sample, outputFields }) => {
  const performSubscribe = async (z, bundle) => {
    const response = await z.request({
      method: 'POST',
      url: `${baseUrl()}/v1/hooks`,
      body: { targetUrl: bundle.targetUrl, event },
    });
    return response.data;
  };

  const performUnsubscribe = async (z, bundle) => {
    const id = bundle.subscribeData && bundle.subscribeData.id;
    await z.request({ method: 'DELETE', url: `${baseUrl()}/v1/hooks/${encodeURIComponent(id)}` });
    return { id };
  };

  // A delivery: Hubwire POSTs the event envelope to the hook's target URL.
  const perform = async (z, bundle) => [toItem(bundle.cleanedRequest)];

  // Newest first: sample data in the Zap editor, and polling if a hook is unavailable.
  const performList = async (z, bundle) => {
    const response = await z.request({
      url: `${baseUrl()}/v1/events`,
      params: { type: event, limit: 25 },
    });
    return response.data.data.map(toItem);
  };

  return {
    key,
    noun,
    display: { label, description },
    operation: {
      type: 'hook',
      inputFields: [],
      performSubscribe,
      performUnsubscribe,
      perform,
      performList,
      sample,
      outputFields,
    },
  };
};

const EVENT_FIELDS = [
  { key: 'id', label: 'Event ID (unique per occurrence)', type: 'string' },
  { key: 'resourceId', label: 'Record ID', type: 'string' },
  { key: 'eventType', label: 'Event Type', type: 'string' },
  { key: 'occurredAt', label: 'Occurred At', type: 'datetime' },
];

module.exports = { toItem, hookTrigger, EVENT_FIELDS };
