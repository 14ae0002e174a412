'use strict';

const { baseUrl } = require('../lib/base');
const { LEAD, LEAD_FIELDS } = require('../lib/samples');

const findLead = {
  key: 'find_lead',
  noun: 'Lead',
  display: {
    label: 'Find Lead',
    description: 'Finds a lead by email address (optionally creating one when none exists).',
  },
  operation: {
    inputFields: [
      {
        key: 'email',
        label: 'Email',
        required: true,
        helpText: 'The exact email address of the lead.',
      },
    ],
    perform: async (z, bundle) => {
      const response = await z.request({
        url: `${baseUrl()}/v1/leads`,
        params: { email: bundle.inputData.email, sort: '-createdAt', limit: 1 },
      });
      return response.data.data;
    },
    sample: LEAD,
    outputFields: [{ key: 'id', label: 'Lead ID' }, ...LEAD_FIELDS],
  },
};

module.exports = [findLead];
