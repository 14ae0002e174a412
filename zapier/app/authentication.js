'use strict';

const { baseUrl, SCOPES } = require('./lib/base');

// OAuth 2.0 against Hubwire's authorization server: authorization code with PKCE; the
// refresh token rotates on every use (the old one stops working), so both are kept.
const tokenRequest = async (z, form) => {
  const response = await z.request({
    method: 'POST',
    url: `${baseUrl()}/oauth/token`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: {
      ...form,
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
    },
    // Hubwire's token endpoint answers with the RFC 6749 error shape, not the API envelope.
    skipThrowForStatus: true,
  });
  if (response.status >= 400) {
    const reason = (response.data && response.data.error) || `HTTP ${response.status}`;
    throw new z.errors.Error(`The token request was refused: ${reason}`, 'AuthError', 401);
  }
  return {
    access_token: response.data.access_token,
    refresh_token: response.data.refresh_token,
  };
};

const getAccessToken = (z, bundle) =>
  tokenRequest(z, {
    grant_type: 'authorization_code',
    code: bundle.inputData.code,
    redirect_uri: bundle.inputData.redirect_uri,
    code_verifier: bundle.inputData.code_verifier,
  });

const refreshAccessToken = (z, bundle) =>
  tokenRequest(z, {
    grant_type: 'refresh_token',
    refresh_token: bundle.authData.refresh_token,
  });

// The connection test: the person the token acts for; the label names their workspace.
const test = async (z) => {
  const response = await z.request({ url: `${baseUrl()}/v1/me` });
  return response.data;
};

module.exports = {
  type: 'oauth2',
  oauth2Config: {
    authorizeUrl: {
      url: '{{process.env.HUBWIRE_BASE_URL}}/oauth/authorize',
      params: {
        client_id: '{{process.env.CLIENT_ID}}',
        state: '{{bundle.inputData.state}}',
        redirect_uri: '{{bundle.inputData.redirect_uri}}',
        response_type: 'code',
      },
    },
    getAccessToken,
    refreshAccessToken,
    scope: SCOPES,
    autoRefresh: true,
    enablePkce: true,
  },
  test,
  connectionLabel: '{{json.label}}',
};
