"""The workspace-admin dashboard under ``/dashboard`` (server-rendered, htmx, Chart.js).

Placement: a top-level package and a ``hubwire.extensions`` plugin of its own
(``dashboard.plugin``), not part of the OAuth server (see ``docs/architecture.md``).

- The dashboard is a browser surface behind the *user login*, and the user login (the
  ``users`` table, the ``hwu_ss_`` session cookie, password checks and login rate limits)
  is owned by ``oauth/``: the dashboard may import ``core``, ``oauth`` (login and sessions)
  and the connector registry, and reads the session with ``oauth.users`` directly; neither
  ``core`` nor ``oauth`` imports the dashboard.
- It calls core's services (API keys, webhooks, connections, jobs, usage) directly, in the
  request's one transaction (``core.deps.Session``), with a ``Principal`` built from the
  session user's role, exactly as a user token on the public API would be. So a page can
  never do more than the same person could do with ``curl``; the role rules of
  ``core.auth.scopes`` (``ADMIN_SCOPES``) decide what a ``member`` may do.
- Core reaches it only through the plugin manager (``hubwire_api_routers``), like every
  other plugin.

Pages are Jinja2 files in ``templates/``; the front-end packages come from the npm registry
(``assets/package.json``) into the gitignored ``static/vendor`` at build time
(``make dashboard-assets``, run by ``make install``)."""
