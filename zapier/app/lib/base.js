'use strict';

// Hubwire's base URL: set with `zapier env:set 1.0.0 HUBWIRE_BASE_URL=https://…`.
const baseUrl = () =>
  (process.env.HUBWIRE_BASE_URL || 'https://api.hubwire.example').replace(/\/+$/, '');

const SCOPES = [
  'leads:read',
  'leads:write',
  'calls:read',
  'chat:read',
  'chat:write',
  'events:read',
  'webhooks:write',
].join(' ');

// Every request carries the connection's access token.
const includeBearerToken = (request, z, bundle) => {
  if (bundle.authData && bundle.authData.access_token) {
    request.headers = request.headers || {};
    request.headers.Authorization = `Bearer ${bundle.authData.access_token}`;
  }
  return request;
};

// Hubwire's error envelope becomes a readable message in the Zap history.
const explainErrors = (response, z) => {
  if (response.request && response.request.skipThrowForStatus) {
    return response;
  }
  if (response.status >= 400 && response.status !== 401) {
    let message = `Hubwire answered ${response.status}`;
    try {
      const { error } = JSON.parse(response.content);
      if (error && error.message) {
        message = `${error.code}: ${error.message}`;
      }
    } catch (err) {
      // not JSON: keep the status
    }
    if (response.status === 404) {
      throw new z.errors.Error(message, 'NotFound', 404);
    }
    throw new z.errors.Error(message, 'HubwireError', response.status);
  }
  return response;
};

module.exports = { baseUrl, SCOPES, includeBearerToken, explainErrors };
