'use strict';

const authentication = require('./authentication');
const { includeBearerToken, explainErrors } = require('./lib/base');
const triggers = require('./triggers');
const creates = require('./creates');
const searches = require('./searches');

const byKey = (items) => Object.fromEntries(items.map((item) => [item.key, item]));

module.exports = {
  version: require('./package.json').version,
  platformVersion: require('zapier-platform-core').version,
  authentication,
  beforeRequest: [includeBearerToken],
  afterResponse: [explainErrors],
  triggers: byKey(triggers),
  creates: byKey(creates),
  searches: byKey(searches),
  searchOrCreates: {
    find_lead: {
      key: 'find_lead',
      display: {
        label: 'Find or Create Lead',
        description: 'Finds a lead by email, or creates it when none exists.',
      },
      search: 'find_lead',
      create: 'create_lead',
    },
  },
};
