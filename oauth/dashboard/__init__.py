"""The workspace-admin dashboard under ``/dashboard`` (server-rendered, htmx, Chart.js).

Placement: a ``hubwire.extensions`` plugin of its own (``oauth.dashboard.plugin``) inside
``oauth/``, not ``core/dashboard``.

- The dashboard is a browser surface behind the *user login*, and the user login (the
  ``users`` table, the ``hwu_ss_`` session cookie, password checks and login rate limits)
  is owned by ``oauth/``. DESIGN.md §2 lets ``oauth`` import ``core`` but not the reverse, so
  a ``core/dashboard`` would need a new hook just to turn the cookie into a person; placed
  here it reads the session with ``oauth.users`` directly.
- It calls core's services (API keys, webhooks, connections, jobs, usage) directly, in the
  request's one transaction (``core.deps.Session``), with a ``Principal`` built from the
  session user's role, exactly as a user token on the public API would be. So a page can
  never do more than the same person could do with ``curl``; the role rules of
  ``core.auth.scopes`` (``ADMIN_SCOPES``) decide what a ``member`` may do.
- Core reaches it only through the plugin manager (``hubwire_api_routers``), like every
  other plugin; it has its own entry point so the OAuth server's plugin module stays as is.

Pages are Jinja2 files in ``templates/``; the front-end packages come from the npm registry
(``assets/package.json``) into the gitignored ``static/vendor`` at build time
(``make dashboard-assets``, run by ``make install``)."""
