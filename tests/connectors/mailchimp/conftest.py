"""A Mailchimp sandbox on loopback (real HTTP) and connections to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from connectors.kit import ConnectionContext
from connectors.mailchimp.sandbox import SandboxConfig, create_sandbox, subscriber_hash
from tests.support.live_server import serve_asgi

TOKEN = "mailchimp-sandbox-token"
LIST_ID = "a1b2c3d4e5"


class MailchimpSandbox:
    """A running sandbox: its URL, the SDK's API endpoint, and its admin surface."""

    def __init__(self, url: str, app: Any) -> None:
        self.url, self.app = url, app
        self.endpoint = f"{url}/{app.state.sandbox.config.dc}"

    def _post(self, path: str, **body: Any) -> dict[str, Any]:
        response = httpx.post(f"{self.url}{path}", json=body, timeout=30)
        assert response.status_code < 300, response.text
        answer: dict[str, Any] = response.json()
        return answer

    def unsubscribe(self, email: str) -> dict[str, Any]:
        return self._post("/_sandbox/unsubscribe", email=email)

    def clean(self, email: str) -> dict[str, Any]:
        return self._post("/_sandbox/clean", email=email)

    def change_email(self, old: str, new: str) -> dict[str, Any]:
        """The member changes its address at Mailchimp (an ``upemail`` webhook)."""
        return self._post("/_sandbox/change-email", old_email=old, new_email=new)

    def member(self, email: str) -> dict[str, Any] | None:
        """The member as the API shows it, or None."""
        store = self.app.state.sandbox.store
        audience = store.audiences[LIST_ID]
        found = audience.members.get(subscriber_hash(email))
        return None if found is None else dict(store.member_json(audience, found))

    def members(self) -> dict[str, str]:
        """Every member's status, by address."""
        rows = self.app.state.sandbox.store.audiences[LIST_ID].members.values()
        return {m.email: m.status for m in rows}

    def outbox(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = httpx.get(f"{self.url}/_sandbox/outbox").json()["outbox"]
        return rows

    def stats(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.url}/_sandbox/stats").json())


def serve(**overrides: Any) -> Iterator[MailchimpSandbox]:
    config = SandboxConfig(static_tokens={TOKEN: "static"}, **overrides)
    app = create_sandbox(config)
    with serve_asgi(app) as url:
        yield MailchimpSandbox(url, app)


@pytest.fixture
def mailchimp() -> Iterator[MailchimpSandbox]:
    # Webhooks stay in the outbox: the tests deliver them (or not).
    # Webhook URLs are not checked: the tests' Hubwire is not listening.
    yield from serve(deliver_webhooks=False, check_webhook_urls=False, batch_delay=0.2)


def context(sandbox: MailchimpSandbox, **settings: Any) -> ConnectionContext:
    return ConnectionContext(
        "conn_mailchimp",
        "ws_test",
        {"access_token": TOKEN},
        base_url=sandbox.url,
        settings={"listId": LIST_ID, **settings},
    )


@pytest.fixture
def connection(mailchimp: MailchimpSandbox) -> ConnectionContext:
    return context(mailchimp)
