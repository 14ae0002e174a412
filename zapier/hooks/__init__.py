"""Zapier REST hooks: `POST /v1/hooks` / `DELETE /v1/hooks/{id}` over core's webhooks."""
